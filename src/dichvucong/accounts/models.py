"""Users (citizens, businesses, staff) and their roles scoped to an agency."""

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel

from .roles import Role


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")
    STAFF = "staff", _("Cán bộ, công chức")


class User(AbstractUser, PublicIdModel):
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    id_number = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    organisation_name = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=300, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, null=True, blank=True, unique=True)
    job_title = models.CharField(_("chức danh"), max_length=150, blank=True)
    email_verified_at = models.DateTimeField(_("xác minh thư điện tử lúc"), null=True, blank=True)
    # Bumped by `user_sessions_end` (logout, logout from the identity provider, password reset): every session of the
    # user signed with the previous value stops being valid on its next request (`get_session_auth_hash`).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="business") | (Q(tax_code__isnull=False) & ~Q(tax_code="")),
                name="business_has_tax_code",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == UserKind.BUSINESS and self.organisation_name:
            return self.organisation_name
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_officer(self) -> bool:
        return self.kind == UserKind.STAFF

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django checks this on every request of a session (and with SECRET_KEY_FALLBACKS): it changes with the
        password (Django's rule) and with `session_generation`, so that "log out" ends the user's sessions
        everywhere, not only in this browser."""
        return salted_hmac(
            "dichvucong.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def hash_token_key(key: str) -> str:
    """API tokens are stored as their SHA-256 only (a 40-byte random key needs no slow hash)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(PublicIdModel):
    """A bearer token of the API (`Authorization: Token <key>`): it expires, its owner can revoke it, and only the
    hash of its key is stored; the key itself is shown once, when issued (accounts/tokens.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    name = models.CharField(_("tên"), max_length=100, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class RoleAssignment(TimestampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("cơ quan"),
    )
    active = models.BooleanField(default=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="unique_role_per_agency"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(agency__isnull=True), name="unique_province_role"
            ),
            models.CheckConstraint(
                condition=(Q(role__in=["province_admin", "monitor"]) & Q(agency__isnull=True))
                | (~Q(role__in=["province_admin", "monitor"]) & Q(agency__isnull=False)),
                name="role_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.agency.name if self.agency_id else _("toàn tỉnh")
        return f"{self.user} – {self.get_role_display()} – {scope}"

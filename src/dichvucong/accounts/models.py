"""Users (citizens, businesses, staff) and their roles scoped to an agency."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
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

"""Signing certificates (chứng thư số) of officers and agency seals.

Only the public part is stored in the database; the private key stays in its keystore: a PKCS#12 file under
`settings.SIGNING_KEYSTORE_DIR` (backend `pkcs12`) or a USB token / HSM (backend `pkcs11`). Decree 130/2018/NĐ-CP
art. 3 and Law 20/2023/QH15 on e-transactions: the signature is valid when made with the key matching a
certificate valid at signing time, which is why every certificate keeps its validity window.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel


class CertificateKind(models.TextChoices):
    OFFICER = "officer", _("Chữ ký số cá nhân (cán bộ)")
    AGENCY_SEAL = "agency_seal", _("Chữ ký số cơ quan (con dấu, do văn thư ký)")


class KeyBackend(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12/.pfx)")
    PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (USB token, HSM)")


class SigningCertificateQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Active and inside its validity window at `at` (default: now)."""
        at = at or timezone.now()
        return self.filter(active=True, not_before__lte=at, not_after__gte=at)


class SigningCertificate(PublicIdModel):
    kind = models.CharField(_("loại"), max_length=20, choices=CertificateKind.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("người sở hữu"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("cơ quan"),
    )
    subject = models.CharField(_("chủ thể"), max_length=500)
    common_name = models.CharField(_("tên hiển thị (CN)"), max_length=300)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu (hex)"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    backend = models.CharField(_("nơi lưu khóa"), max_length=10, choices=KeyBackend.choices, default=KeyBackend.PKCS12)
    storage_path = models.CharField(
        _("vị trí khóa"),
        max_length=500,
        help_text=_("PKCS#12: đường dẫn tương đối trong thư mục kho khóa; PKCS#11: pkcs11:token=...;object=..."),
    )
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    active = models.BooleanField(_("đang dùng"), default=True)

    objects = SigningCertificateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "common_name", "-not_after"]
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="officer") & Q(owner_user__isnull=False))
                | (Q(kind="agency_seal") & Q(agency__isnull=False) & Q(owner_user__isnull=True)),
                name="signing_certificate_owner_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "active"], name="signing_cert_kind_active")]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.get_kind_display()}, {self.serial[:16]})"

"""Identity: links between local accounts and the national identity provider's subjects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel


class ExternalIdentity(TimestampedModel):
    """A local account linked to a subject of an OpenID Connect provider (found by CCCD or tax code the first time,
    by (issuer, subject) afterwards)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(_("nhà cung cấp định danh"), max_length=300)
    subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255)
    #: The CCCD (citizen) or the tax code (business) the provider vouched for when the link was made.
    identifier = models.CharField(_("số định danh"), max_length=14)
    last_login_at = models.DateTimeField(_("đăng nhập lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["issuer", "subject"]
        verbose_name = _("liên kết định danh điện tử")
        verbose_name_plural = _("liên kết định danh điện tử")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique_subject"),
            models.UniqueConstraint(fields=["issuer", "user"], name="identity_one_link_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.issuer} {self.subject}"


class RegistryChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến (người nộp tự tra cứu)")
    COUNTER = "counter", _("Tại bộ phận một cửa (cán bộ tra cứu)")


class RegistryConsent(PublicIdModel):
    """The applicant's consent to a lookup in the national population database, and what the lookup was for:
    who (the applicant's CCCD, their account if any), who recorded it, when, through which channel, which fields.
    `snapshot` keeps the few values the officer compares with what the applicant typed (mismatch warning)."""

    citizen_id = models.CharField(_("số CCCD"), max_length=12, db_index=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="registry_consents"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("kênh"), max_length=10, choices=RegistryChannel.choices)
    purpose = models.CharField(_("mục đích"), max_length=200)
    fields = models.JSONField(_("trường thông tin"), default=list)
    statement = models.TextField(_("nội dung đồng ý"))
    consent_at = models.DateTimeField(_("đồng ý lúc"))
    request_id = models.CharField(max_length=64, unique=True)
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-consent_at"]
        verbose_name = _("đồng ý tra cứu CSDL dân cư")
        verbose_name_plural = _("đồng ý tra cứu CSDL dân cư")

    def __str__(self) -> str:
        return f"{self.citizen_id} – {self.get_channel_display()} – {self.consent_at:%d/%m/%Y %H:%M}"

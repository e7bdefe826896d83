"""Identity: links between local accounts and the national identity provider's subjects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import TimestampedModel


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

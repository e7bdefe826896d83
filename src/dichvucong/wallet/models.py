"""The citizen's data wallet (kho quản lý dữ liệu điện tử của tổ chức, cá nhân; Decree 45/2020/NĐ-CP art. 11-13).

A `WalletItem` is a document the citizen already gave or received through the portal: the files of dossiers they
submitted and the electronic results issued to them. It refers to the stored file (no copy) and keeps its own
snapshot (name, size, checksum, the dossier code), so it outlives the dossier; the citizen attaches it to a new
dossier without uploading it again (`{"wallet_item": uuid, "document": id}` in the submission).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel


class WalletItemKind(models.TextChoices):
    SUBMITTED_DOCUMENT = "submitted_document", _("Giấy tờ đã nộp")
    RESULT = "result", _("Kết quả giải quyết TTHC")


class WalletItem(PublicIdModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_items", verbose_name=_("chủ sở hữu")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=WalletItemKind.choices)
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source_dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hồ sơ nguồn"),
    )
    source_code = models.CharField(_("mã hồ sơ nguồn"), max_length=40, blank=True)
    required_document = models.ForeignKey(
        "catalog.RequiredDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu công dân")
        constraints = [models.UniqueConstraint(fields=["owner", "sha256"], name="wallet_item_once_per_owner")]
        indexes = [models.Index(fields=["owner", "-created_at"], name="wallet_owner_recent")]

    def __str__(self) -> str:
        return self.title

"""Reorganisation plans (sắp xếp đơn vị hành chính, tổ chức bộ máy) as data.

Interface for other contexts (stable names)
-------------------------------------------
- `Plan`: `title`, `legal_basis`, `effective_on`, `status` draft|approved|applying|applied, with its ordered
  `operations`. Drafted, checked and previewed (`preview.plan_preview`), approved (`services.plan_approve`), then
  applied on its effective date (`services.plan_apply`, the beat task `reorg.apply_due_plans`, the command
  `reorg_apply`).
- `Operation`: `kind` create|merge|rename|move|split|abolish_tier and its `spec` (JSON, see `spec.py`).
- `JournalEntry`: one row per applied batch (`key`), written in the batch's own transaction: applying resumes after
  the last committed batch, never repeating one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt, chờ hiệu lực")
    APPLYING = "applying", _("Đang áp dụng")
    APPLIED = "applied", _("Đã áp dụng")


class OperationKind(models.TextChoices):
    CREATE = "create", _("Thành lập mới")
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    RENAME = "rename", _("Đổi tên")
    MOVE = "move", _("Chuyển cơ quan cấp trên")
    SPLIT = "split", _("Chia tách")
    ABOLISH_TIER = "abolish_tier", _("Bỏ một cấp chính quyền")


class Plan(PublicIdModel):
    title = models.CharField(_("tên phương án"), max_length=300)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    effective_on = models.DateField(_("có hiệu lực từ ngày"), db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("phương án sắp xếp")
        verbose_name_plural = _("phương án sắp xếp")

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_on:%d/%m/%Y})"


class Operation(TimestampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="operations")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=15, choices=OperationKind.choices)
    spec = models.JSONField(_("nội dung"), default=dict)

    class Meta:
        ordering = ["plan_id", "order", "id"]
        verbose_name = _("nội dung sắp xếp")
        verbose_name_plural = _("nội dung sắp xếp")
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="reorg_operation_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_kind_display()}"


class JournalEntry(models.Model):
    """One applied batch of a plan: its key (`structure`, `dossiers:<code>:<n>`, `roles:<code>`, ...) and counts."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="journal")
    key = models.CharField(max_length=120)
    done_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("nhật ký áp dụng")
        verbose_name_plural = _("nhật ký áp dụng")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="reorg_journal_key_once")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.key}"

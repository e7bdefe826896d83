"""Yearly government decisions that change the working calendar on top of the statutory rules.

Each year the Prime Minister (through the Government Office / Ministry of Labour) announces day swaps for civil
servants: a weekday becomes a day off and a Saturday becomes a make-up working day (e.g. Official Dispatch
2450/VPCP-KGVX of 2024: Monday 29/4/2024 off, Saturday 4/5/2024 worked). Rows here override both the weekend rule
and the statutory holidays of `holidays.VN` (see `calendar.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc")


class CalendarDecision(PublicIdModel):
    """A legal document (decision, official dispatch, announcement) that swaps or adds days."""

    number = models.CharField(_("số, ký hiệu văn bản"), max_length=100)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("văn bản điều chỉnh lịch làm việc")
        verbose_name_plural = _("văn bản điều chỉnh lịch làm việc")

    def __str__(self) -> str:
        return self.number


class CalendarException(TimestampedModel):
    """One date whose status the decision fixes: a day off or a (make-up) working day. One row per date."""

    decision = models.ForeignKey(
        CalendarDecision, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("văn bản")
    )
    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=DayKind.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày điều chỉnh")
        verbose_name_plural = _("ngày điều chỉnh")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()} ({self.decision.number})"

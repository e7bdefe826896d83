"""Monitoring the provincial plan (issue 13): rollups of dossiers, the plan register and its targets.

Rollups (docs/adr/0015-monitoring-rollups.md):

- `DossierFact`: one narrow row per submitted dossier with what the reports need (receiving agency, procedure, how it
  was received, received / due / finished dates, outcome). Kept current in the transaction of every dossier
  transition (`dossier_hooks.py`); "in progress as of a date" reads it through two small indexes.
- `FlowDay` / `FlowMonth`: counters per (day or month, agency, procedure): received by channel, resolved early / on
  time / late, returned (refused), withdrawn, stopped. A transition applies the difference between the dossier's old
  and new fact (`INSERT … ON CONFLICT DO UPDATE SET n = n + delta`), so a report over a period reads months and edge
  days, never the dossier table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel


class ChannelKind(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE_PARTIAL = "online_partial", _("Trực tuyến một phần (mức độ 3)")
    ONLINE_FULL = "online_full", _("Trực tuyến toàn trình (mức độ 4)")
    POSTAL = "postal", _("Bưu chính")


class Outcome(models.TextChoices):
    OPEN = "", _("Đang giải quyết")
    EARLY = "early", _("Giải quyết trước hạn")
    ON_TIME = "on_time", _("Giải quyết đúng hạn")
    LATE = "late", _("Giải quyết quá hạn")
    RETURNED = "returned", _("Từ chối, trả lại")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


RESOLVED_OUTCOMES = (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE)


class PaidKind(models.TextChoices):
    NONE = "", _("Chưa thanh toán / không thu phí")
    ONLINE = "online", _("Thanh toán trực tuyến")
    DESK = "desk", _("Nộp tại Bộ phận một cửa (tiền mặt, POS, chuyển khoản)")


class DossierFact(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="monitoring_fact"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=ChannelKind.choices)
    received_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    apologised = models.BooleanField(default=False)
    supplements = models.PositiveSmallIntegerField(default=0)
    e_result = models.BooleanField(default=False, help_text=_("có kết quả điện tử đã ban hành"))
    # submitted on the National Public Service Portal (`Dossier.origin`); such a dossier is also counted online
    national_portal = models.BooleanField(default=False)
    # how its fees were paid (QĐ 766: online payment share): "" (no fee paid), online, desk (cash / POS / transfer)
    paid = models.CharField(max_length=6, choices=PaidKind.choices, blank=True, default="")
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu hồ sơ (tổng hợp)")
        verbose_name_plural = _("số liệu hồ sơ (tổng hợp)")
        indexes = [
            # open dossiers (in progress now, and the open part of "as of a date")
            models.Index(fields=["agency", "received_on"], name="mon_fact_open", condition=Q(finished_on__isnull=True)),
            # dossiers finished after their due date (overdue "as of" a past date, while still open then)
            models.Index(
                fields=["finished_on", "agency"],
                name="mon_fact_finished_late",
                condition=Q(finished_on__gt=models.F("due_on")),
            ),
            # the dossiers behind a figure (`figure_dossier_ids`)
            models.Index(fields=["received_on", "agency"], name="mon_fact_received"),
            models.Index(fields=["finished_on", "outcome"], name="mon_fact_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.channel} {self.outcome or 'open'}"


#: The counters of a flow row, in the order of the reports' columns.
COUNTERS = (
    "received_counter",
    "received_online_partial",
    "received_online_full",
    "received_postal",
    "received_national_portal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_apologised",
    "resolved_e_result",
    "returned",
    "withdrawn",
    "stopped",
    "paid_online",
    "paid_desk",
)


class FlowCounters(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    received_counter = models.IntegerField(default=0)
    received_online_partial = models.IntegerField(default=0)
    received_online_full = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    # of the online ones (partial + full), those submitted on the National Public Service Portal
    received_national_portal = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    # resolved early or on time by the date, but after an apology (QĐ 766 counts these as late)
    resolved_apologised = models.IntegerField(default=0)
    # resolved with an electronic result issued (QĐ 766: results delivered electronically)
    resolved_e_result = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    # fees paid (on the paid day): through the payment platform, or at the desk (cash, POS, transfer)
    paid_online = models.IntegerField(default=0)
    paid_desk = models.IntegerField(default=0)

    class Meta:
        abstract = True


class FlowDay(FlowCounters):
    day = models.DateField()

    class Meta:
        verbose_name = _("số liệu theo ngày")
        verbose_name_plural = _("số liệu theo ngày")
        constraints = [models.UniqueConstraint(fields=["day", "agency", "procedure"], name="mon_flowday_key")]


class FlowMonth(FlowCounters):
    month = models.DateField(help_text=_("ngày đầu tháng"))

    class Meta:
        verbose_name = _("số liệu theo tháng")
        verbose_name_plural = _("số liệu theo tháng")
        constraints = [models.UniqueConstraint(fields=["month", "agency", "procedure"], name="mon_flowmonth_key")]


class AgencyFlowCounters(FlowCounters):
    """The same counters without the procedure: the reports by tier, agency and month read these (a province has a
    few hundred agencies but thousands of procedures)."""

    procedure = None

    class Meta:
        abstract = True


class FlowAgencyDay(AgencyFlowCounters):
    day = models.DateField()

    class Meta:
        verbose_name = _("số liệu cơ quan theo ngày")
        verbose_name_plural = _("số liệu cơ quan theo ngày")
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="mon_flowagencyday_key")]


class FlowAgencyMonth(AgencyFlowCounters):
    month = models.DateField(help_text=_("ngày đầu tháng"))

    class Meta:
        verbose_name = _("số liệu cơ quan theo tháng")
        verbose_name_plural = _("số liệu cơ quan theo tháng")
        constraints = [models.UniqueConstraint(fields=["month", "agency"], name="mon_flowagencymonth_key")]


# --- the plan register ---------------------------------------------------------------------------------------------


class Plan(PublicIdModel):
    """A provincial plan (kế hoạch) with measurable targets, e.g. Kế hoạch 111/KH-UBND of 23/7/2021."""

    number = models.CharField(_("số kế hoạch"), max_length=60, unique=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    signed_on = models.DateField(_("ngày ký"))
    period_start = models.DateField(_("thực hiện từ"))
    period_end = models.DateField(_("thực hiện đến"))

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plan_period_valid")
        ]

    def __str__(self) -> str:
        return self.number


class TargetKind(models.TextChoices):
    LEVEL4_COUNT = "level4_count", _("Số thủ tục cung cấp trực tuyến mức độ 4")
    LEVEL4_SHARE = "level4_share", _("Tỷ lệ thủ tục mức độ 4 (theo cấp)")
    ONLINE_DOSSIER_SHARE = "online_dossier_share", _("Tỷ lệ hồ sơ nộp trực tuyến (thủ tục có phát sinh hồ sơ)")


class PlanTarget(TimestampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=24, choices=TargetKind.choices)
    tier = models.CharField(_("cấp"), max_length=10, blank=True)
    value = models.DecimalField(_("chỉ tiêu"), max_digits=10, decimal_places=2)
    deadline = models.DateField(_("thời hạn"))
    label = models.CharField(_("nội dung"), max_length=300)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return self.label


class PlanItem(TimestampedModel):
    """One procedure an agency commits to bring online (the plan's Phụ lục 04-07)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    annex = models.CharField(_("phụ lục"), max_length=10)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    target_level = models.PositiveSmallIntegerField(_("mức độ đăng ký"), default=4)
    process_due = models.DateField(_("hạn gửi quy trình nội bộ"))
    online_due = models.DateField(_("hạn cung cấp trực tuyến"))

    class Meta:
        ordering = ["plan", "annex", "agency__code", "procedure__code"]
        verbose_name = _("thủ tục đăng ký cung cấp trực tuyến")
        verbose_name_plural = _("thủ tục đăng ký cung cấp trực tuyến")
        constraints = [models.UniqueConstraint(fields=["plan", "agency", "procedure"], name="plan_item_once")]

    def __str__(self) -> str:
        return f"{self.plan} {self.agency_id} {self.procedure_id}"


# --- the monthly reporting cycle -----------------------------------------------------------------------------------


class MonthlyReport(PublicIdModel):
    """An agency's report for one month (Plan 111 V.7: before the 25th). Its figures are frozen in `data` when it
    is generated; a resubmission is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã gửi")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng (ngày đầu tháng)"))
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(default=dict)
    note = models.TextField(_("nhận xét, giải trình"), blank=True)
    generated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(_("gửi muộn"), default=False)

    class Meta:
        ordering = ["-month", "agency__code", "-version"]
        verbose_name = _("báo cáo tháng")
        verbose_name_plural = _("báo cáo tháng")
        constraints = [models.UniqueConstraint(fields=["agency", "month", "version"], name="monthly_report_version")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y} v{self.version}"

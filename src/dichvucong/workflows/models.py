"""Internal processes (quy trình nội bộ) as data, and dossiers running through them.

Interface for other contexts (stable names)
-------------------------------------------
Definitions
- `Process`: one version of the internal process of a `procedure` (catalog.Procedure) for one `agency`
  (`scope="agency"`, an explicit exception for a district/commune unit needs a `justification`) or for every unit
  of a `tier` (`scope="tier"`: tier template, Plan 111/KH-UBND: identical in every district and every commune).
  `version`, `status` draft|submitted|reviewed|approved|active|retired, `owner_agency` (drafts and submits it),
  `decision_number`/`decision_date`/`decision_signer` (the Chairman's approval decision), `active_from`,
  `retired_on`. Resolve the process that applies with `selectors.process_for(procedure=, agency=, on=)`.
- `ProcessStep`: `key`, `order`, `name`, `role` (reception|specialist|division_head|leader|clerk|other_agency),
  `duration_hours` (a working day is `HOURS_PER_DAY` = 8 office hours, so half a day is 4 h), `actions` (kinds of
  API.md: forward, return, approve, sign, request_payment, consult, transfer, deliver), `is_start`.
- `ProcessTransition`: `from_step` --`action`--> `to_step` (empty `to_step` on `deliver`/`transfer`: the process
  ends at this agency).

Running dossiers (see `processing.py`)
- `ProcessRun`: a dossier running through one pinned `process` version at one `agency`; a transfer (liên thông)
  closes it and opens a new run at the receiving agency under that agency's own process.
- `WorkItem`: the dossier at one step: `assignee`, `started_at`, `due_at`, `completed_at`, `timeliness`.
- `Handover`: who handed the dossier to whom and when, and whether it was early/on time/late against the
  step's due time: the rows of the processing control slip (Mẫu 05, Circular 01/2018/TT-VPCP).
- `Consultation`: a request for the opinion of another agency (xin ý kiến) with its own due time.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.agencies.models import Tier
from dichvucong.common.models import PublicIdModel, TimestampedModel

#: Office hours in one working day (Decree 45/2020: the working day of a state agency is 8 hours).
HOURS_PER_DAY = Decimal(8)


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình")
    REVIEWED = "reviewed", _("Đã kiểm soát")
    APPROVED = "approved", _("Đã phê duyệt")
    ACTIVE = "active", _("Đang áp dụng")
    RETIRED = "retired", _("Hết hiệu lực")


#: Versions that were (or will be) in force: the ones `process_for` may resolve by date.
DECIDED_STATUSES = (ProcessStatus.APPROVED, ProcessStatus.ACTIVE, ProcessStatus.RETIRED)


class ProcessScope(models.TextChoices):
    AGENCY = "agency", _("Một cơ quan")
    TIER = "tier", _("Mọi cơ quan cùng cấp (quy trình mẫu)")


class StepRole(models.TextChoices):
    RECEPTION = "reception", _("Bộ phận một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    DIVISION_HEAD = "division_head", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo cơ quan")
    CLERK = "clerk", _("Văn thư")
    OTHER_AGENCY = "other_agency", _("Cơ quan phối hợp")


class ActionKind(models.TextChoices):
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    RETURN = "return", _("Trả lại bước trước")
    APPROVE = "approve", _("Duyệt")
    SIGN = "sign", _("Ký duyệt")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    CONSULT = "consult", _("Xin ý kiến cơ quan khác")
    TRANSFER = "transfer", _("Chuyển liên thông")
    DELIVER = "deliver", _("Hoàn thành, chuyển kết quả về một cửa")


#: Actions that move the dossier to another step; `return` goes back, `deliver`/`transfer` end the run here.
MOVING_ACTIONS = (ActionKind.FORWARD, ActionKind.APPROVE, ActionKind.SIGN)
ENDING_ACTIONS = (ActionKind.DELIVER, ActionKind.TRANSFER)


class Process(PublicIdModel):
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="processes", verbose_name=_("thủ tục")
    )
    scope = models.CharField(_("phạm vi"), max_length=10, choices=ProcessScope.choices)
    tier = models.CharField(_("cấp (quy trình mẫu)"), max_length=10, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("cơ quan áp dụng"),
    )
    justification = models.TextField(_("lý do ngoại lệ"), blank=True)
    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="owned_processes", verbose_name=_("cơ quan xây dựng")
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên quy trình"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProcessStatus.choices, default=ProcessStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("ý kiến kiểm soát"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký quyết định"), max_length=200, blank=True)
    active_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    retired_on = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)

    class Meta:
        ordering = ["procedure_id", "scope", "tier", "agency_id", "-version"]
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="agency") & Q(agency__isnull=False) & Q(tier=""))
                | (Q(scope="tier") & Q(agency__isnull=True) & ~Q(tier="")),
                name="process_scope_agency_xor_tier",
            ),
            models.UniqueConstraint(
                fields=["procedure", "agency", "version"],
                condition=Q(scope="agency"),
                name="process_agency_version_unique",
            ),
            models.UniqueConstraint(
                fields=["procedure", "tier", "version"], condition=Q(scope="tier"), name="process_tier_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} – {self.scope_label} – v{self.version}"

    @property
    def scope_label(self) -> str:
        if self.scope == ProcessScope.AGENCY:
            return str(self.agency) if self.agency_id else ""
        return str(_("Mọi đơn vị %(tier)s") % {"tier": Tier(self.tier).label.lower()}) if self.tier else ""

    @property
    def scope_code(self) -> str:
        """`agency:<code>` or `tier:<tier>`: the API's `scope`."""
        return f"agency:{self.agency.code}" if self.scope == ProcessScope.AGENCY else f"tier:{self.tier}"

    @property
    def is_editable(self) -> bool:
        return self.status == ProcessStatus.DRAFT


class ProcessStep(TimestampedModel):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(_("mã bước"), max_length=40)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=StepRole.choices, blank=True)
    other_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan phối hợp"),
    )
    duration_hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2)
    actions = models.JSONField(_("thao tác được phép"), default=list, blank=True)
    is_start = models.BooleanField(_("bước bắt đầu"), default=False)

    class Meta:
        ordering = ["process_id", "order", "id"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="process_step_key_unique"),
            models.CheckConstraint(condition=Q(duration_hours__gte=0), name="process_step_duration_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def duration_days(self) -> Decimal:
        return (self.duration_hours / HOURS_PER_DAY).normalize()

    @property
    def action_labels(self) -> list[str]:
        """The step's actions as people say them ("Chuyển bước tiếp theo", "Ký duyệt"...), never their codes."""
        labels = dict(ActionKind.choices)
        return [str(labels.get(action, action)) for action in self.actions or []]


class ProcessTransition(TimestampedModel):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="transitions")
    from_step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="outgoing")
    action = models.CharField(max_length=20, choices=ActionKind.choices)
    to_step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.CASCADE, related_name="incoming")

    class Meta:
        ordering = ["process_id", "from_step__order", "action", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_step", "action", "to_step"], name="process_transition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.from_step.key} -{self.action}-> {self.to_step.key if self.to_step_id else '∎'}"


# Runs of dossiers through processes live in their own module (kept under ~600 lines per module).
from .run_models import (  # noqa: E402, F401
    OPEN_RUN_STATUSES,
    Consultation,
    ConsultationStatus,
    Handover,
    ProcessRun,
    RunStatus,
    Timeliness,
    WorkItem,
)

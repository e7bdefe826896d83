"""Dossiers running through processes (see models.py for the interface description and processing.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel
from dichvucong.workdays.timeliness import Timeliness

from .models import ActionKind, Process, ProcessStep, StepRole


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang xử lý")
    WAITING_CONSULTATION = "waiting_consultation", _("Chờ ý kiến cơ quan khác")
    WAITING_PAYMENT = "waiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    TRANSFERRED = "transferred", _("Đã chuyển liên thông")
    COMPLETED = "completed", _("Đã hoàn thành")


OPEN_RUN_STATUSES = (RunStatus.RUNNING, RunStatus.WAITING_CONSULTATION, RunStatus.WAITING_PAYMENT)


class ProcessRun(PublicIdModel):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="process_runs")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="runs")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="process_runs")
    status = models.CharField(max_length=24, choices=RunStatus.choices, default=RunStatus.RUNNING, db_index=True)
    current_step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    transferred_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["dossier_id", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status__in=list(OPEN_RUN_STATUSES)),
                name="process_run_one_open_per_dossier",
            ),
        ]
        indexes = [
            # The visibility rule's "involved" branch (ADR 0026): runs opened at an agency by a transfer.
            models.Index(
                fields=["agency", "dossier"],
                condition=Q(transferred_from__isnull=False),
                name="wf_run_agency_transferred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.agency_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RUN_STATUSES


class WorkItem(PublicIdModel):
    run = models.ForeignKey(ProcessRun, on_delete=models.CASCADE, related_name="items")
    step = models.ForeignKey(ProcessStep, on_delete=models.PROTECT, related_name="items")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="work_items")
    role = models.CharField(max_length=20, choices=StepRole.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="work_items"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ActionKind.choices, blank=True)
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["agency", "completed_at"], name="wf_item_agency_open"),
            models.Index(fields=["assignee", "completed_at"], name="wf_item_assignee_open"),
            # The visibility rule's "involved" branch (ADR 0026): inter-agency steps held at an agency.
            models.Index(fields=["agency", "run"], condition=Q(role="other_agency"), name="wf_item_agency_other"),
        ]

    def __str__(self) -> str:
        return f"{self.run.dossier_id}: {self.step.name}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


class Handover(TimestampedModel):
    """One hand-over of the dossier between officers/units: a row of Mẫu 05 (Circular 01/2018/TT-VPCP)."""

    run = models.ForeignKey(ProcessRun, on_delete=models.CASCADE, related_name="handovers")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="handovers")
    at = models.DateTimeField()
    action = models.CharField(max_length=20, choices=ActionKind.choices)
    from_step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_due_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ConsultationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")


class Consultation(PublicIdModel):
    """Xin ý kiến: the dossier waits at its step until the consulted agency answers (own due time)."""

    run = models.ForeignKey(ProcessRun, on_delete=models.CASCADE, related_name="consultations")
    step = models.ForeignKey(ProcessStep, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("cơ quan được xin ý kiến"),
    )
    question = models.TextField(_("nội dung xin ý kiến"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.PENDING, db_index=True
    )
    answer = models.TextField(_("ý kiến trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.run.dossier_id} → {self.agency_id}"

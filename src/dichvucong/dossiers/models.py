"""Dossiers (hồ sơ TTHC): the application case, its history, files, supplements and apologies.

Only the services in `services.py` / `submission.py` write these rows (never `.save()` from a view).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel
from dichvucong.workdays.timeliness import Timeliness

from . import access
from .state_machine import NATIONAL_CHANNEL, Channel, Origin, Status, national_status


class DossierQuerySet(models.QuerySet):
    """`keyset_branches`: when visibility is an OR of several conditions, the same queryset once per condition
    (set by `access.visible`); `common.pagination.keyset_page` reads a page of each (one index range each) and
    merges them. Later filters apply to every branch; anything else that changes the rows drops them (the list
    then reads the one OR query), and the page's rows are always fetched through the full queryset."""

    keyset_branches = None

    def _clone(self):
        clone = super()._clone()
        clone.keyset_branches = self.keyset_branches
        return clone

    def with_keyset_branches(self, branches):
        clone = self._chain()
        clone.keyset_branches = list(branches)
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        if self.keyset_branches:
            clone.keyset_branches = [b._filter_or_exclude(negate, args, kwargs) for b in self.keyset_branches]
        return clone

    def _without_branches(self, clone):
        clone.keyset_branches = None
        return clone

    def none(self):
        return self._without_branches(super().none())

    def annotate(self, *args, **kwargs):
        return self._without_branches(super().annotate(*args, **kwargs))

    def alias(self, *args, **kwargs):
        return self._without_branches(super().alias(*args, **kwargs))

    def extra(self, *args, **kwargs):
        return self._without_branches(super().extra(*args, **kwargs))

    def distinct(self, *field_names):
        return self._without_branches(super().distinct(*field_names))

    def submitted(self):
        """Everything but drafts: drafts are neither coded nor counted."""
        return self.exclude(status=Status.DRAFT)

    def visible_to(self, user, *, statuses=None, include_own=False, received_at=None):
        """The dossiers `user` may see (the access policy, `access.py`), with one of `statuses` when given;
        `include_own`: also the user's own (one dossier by reference, whatever the user's role); `received_at`:
        only those received at these agencies (the officer's desk: one index range, ADR 0026)."""
        return access.visible(self, user, statuses=statuses, include_own=include_own, received_at=received_at)


class Dossier(PublicIdModel):
    # Circular 01/2018/TT-VPCP art. 19: <agency code>-<YYMMDD>-<4-digit daily sequence>; empty for drafts.
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("cơ quan tiếp nhận")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("chủ hồ sơ (tài khoản)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người tạo (công dân hoặc cán bộ)"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    # Applicant snapshot (chủ hồ sơ) at submission: the account may change later, the dossier must not.
    applicant_kind = models.CharField(
        _("loại đối tượng"),
        max_length=10,
        default="citizen",
        choices=[("citizen", _("Công dân")), ("business", _("Tổ chức, doanh nghiệp"))],
    )
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=200)
    applicant_id_number = models.CharField(_("số CCCD"), max_length=12, blank=True, db_index=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant_organisation = models.CharField(_("tổ chức"), max_length=300, blank=True)
    applicant_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    form_data = models.JSONField(_("tờ khai điện tử"), default=dict, blank=True)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    origin = models.CharField(_("nơi nộp"), max_length=16, choices=Origin.choices, default=Origin.LOCAL)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.NEW)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận (tính hạn)"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("thời điểm tiếp nhận hợp lệ"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    timeliness = models.CharField(_("tiến độ"), max_length=10, choices=Timeliness.choices, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="")
    # The workflow engine (workflows app) writes the name of the current internal step here.
    current_step = models.CharField(_("bước xử lý hiện tại"), max_length=200, blank=True)
    sets_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            # A retried request (same Idempotency-Key from the same account) never creates a second dossier.
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_per_creator",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(code__isnull=False), name="dossier_coded_unless_draft"
            ),
        ]
        # The lists order by (-created_at, -pk): an officer's queue and a province-wide list read their first page
        # in index order and stop after it (docs/benchmarks.md (b)). `status` alone is the second's prefix.
        indexes = [
            models.Index(fields=["agency", "status", "-created_at", "-id"], name="dossier_agency_status_list"),
            models.Index(fields=["status", "-created_at", "-id"], name="dossier_status_list"),
            models.Index(fields=["owner", "-created_at"]),
            # Keyset lists without a status filter (docs/adr/0018-keyset-lists.md): a province role's list reads
            # (created_at, id) from the cursor and skips drafts; an officer's agency branch reads
            # (agency, created_at, id); an officer's on-behalf branch (created_by, created_at, id).
            models.Index(fields=["-created_at", "-id"], name="dossier_created_list"),
            models.Index(fields=["agency", "-created_at", "-id"], name="dossier_agency_list"),
            models.Index(fields=["created_by", "-created_at", "-id"], name="dossier_creator_list"),
            # The desk page's kinds in due order (workflows/desk.py): one agency and status, (due_at, id) ascending,
            # stopping after a page. Without it PostgreSQL walks the due_at index of every agency (4 s at 1M).
            models.Index(fields=["agency", "status", "due_at", "id"], name="dossier_agency_status_due"),
        ]

    def __str__(self) -> str:
        return self.code or f"{_('Bản nháp')} {self.uuid}"

    @property
    def national_status(self) -> int | None:
        return national_status(self.status)

    @property
    def national_channel(self) -> int:
        return NATIONAL_CHANNEL[Channel(self.channel)]

    @property
    def reference(self) -> str:
        """What URLs use: the code once submitted, the UUID for a draft."""
        return self.code or str(self.uuid)

    @property
    def due_date(self):
        return timezone.localtime(self.due_at).date() if self.due_at else None


class DossierEvent(models.Model):
    """One line of the dossier's history (and of the tracking book, Mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lịch sử hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} {self.at:%Y-%m-%d %H:%M}"


def upload_path(instance, filename: str) -> str:
    """A random stored name: nothing of the user's file name reaches the storage."""
    ext = os.path.splitext(filename)[1].lower()[:6]
    today = timezone.localdate()
    return f"dossiers/uploads/{today:%Y/%m}/{uuid.uuid4().hex}{ext}"


class Upload(PublicIdModel):
    """A file uploaded before its dossier exists; unused uploads expire and are removed by `uploads_cleanup`."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tệp tải lên")
        verbose_name_plural = _("tệp tải lên")

    def __str__(self) -> str:
        return self.original_name


class Attachment(PublicIdModel):
    """A file of the dossier (thành phần hồ sơ điện tử), optionally tied to a required document of the procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    upload = models.OneToOneField(Upload, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachment")
    file = models.FileField(max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    supplement = models.ForeignKey(
        "SupplementRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class ReceivedDocument(TimestampedModel):
    """A paper document checked at the counter (listed on the receipt, Mẫu 01)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="received_documents")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=500)
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("giấy tờ đã nhận")
        verbose_name_plural = _("giấy tờ đã nhận")

    def __str__(self) -> str:
        return self.name


class SupplementRequest(PublicIdModel):
    """A request to supplement the dossier (Mẫu 02). The time between request and supplement is excluded from
    the statutory time (Decree 61/2018 art. 19(4), TT 01/2018): it is one pause interval of the deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.JSONField(default=list)
    note = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resume_status = models.CharField(max_length=24)
    supplemented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")

    def __str__(self) -> str:
        return f"{self.dossier} {self.requested_at:%Y-%m-%d}"


class Apology(PublicIdModel):
    """Apology and new return date (Mẫu 04): at most once per dossier, issued before the deadline."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    reason = models.TextField()
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Who signs Mẫu 04 in the name of the agency's head (the leader; a deputy signs "KT."), not who clicked.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier} → {self.new_due_at:%Y-%m-%d}"


class DeadlineAlert(models.Model):
    """A dossier found due soon or overdue by the daily deadline check (`dossiers.flag_deadlines`), once per kind and
    due time: a later due time (apology, supplement pause) can be flagged again. The officers concerned are
    notified when it is recorded (Decree 61/2018 art. 19: the one-stop desk follows up dossiers nearing their date)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    notified = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cảnh báo hạn xử lý")
        verbose_name_plural = _("cảnh báo hạn xử lý")
        constraints = [models.UniqueConstraint(fields=["dossier", "kind", "due_at"], name="deadline_alert_once")]

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind} {self.due_at:%Y-%m-%d}"

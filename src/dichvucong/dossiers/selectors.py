"""Reads of dossiers. Who may see what is decided by the access policy (`access.py`, ADR 0003): lists through
`Dossier.objects.visible_to(user)`, one dossier through `dossier_access(user, dossier)`; a dossier one may not see
is a 404, never a 403.
"""

import datetime
import uuid

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.identity import parse_citizen_id
from dichvucong.agencies.models import Agency
from dichvucong.agencies.selectors import ORGANISED_NOW, organised_view, predecessors_of, successor_map
from dichvucong.catalog.models import Procedure
from dichvucong.common.errors import NotFoundError, ValidationFailed

from . import dossier_deadlines as deadlines
from .access import dossier_access
from .models import Attachment, Dossier, DossierEvent
from .registry import STEP, registry
from .state_machine import TRANSITIONS, Channel, Status

ACTIVE_DEADLINE = (Status.ACCEPTED, Status.PROCESSING, Status.PAYMENT_REQUESTED)


def _overdue_q(now) -> Q:
    return Q(status__in=ACTIVE_DEADLINE, due_at__lt=now)


def _due_soon_q(now) -> Q:
    return Q(status__in=ACTIVE_DEADLINE, due_at__gte=now, due_at__lte=deadlines.due_soon_limit(now))


def _truthy(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def list_filter_procedures(user) -> list[tuple[str, str]]:
    """(code, name) of the procedures of the dossiers `user` may see (drafts aside), by code: the choices of the
    office list's procedure picker. One query: a semi-join per procedure on the dossiers' procedure index."""
    seen = Dossier.objects.visible_to(user).exclude(status=Status.DRAFT).filter(procedure=OuterRef("pk"))
    return list(Procedure.objects.filter(Exists(seen)).order_by("code").values_list("code", "name"))


def dossier_list(
    *,
    user,
    status: str | None = None,
    channel: str | None = None,
    procedure: str | None = None,
    due_soon=None,
    overdue=None,
    agency: str | None = None,
    q: str | None = None,
    organised: str | None = None,
    own: bool = False,
) -> QuerySet[Dossier]:
    """The dossiers `user` may see, filtered; one query whatever the page size (related rows joined).
    `agency` with `organised="now"` also lists the dossiers of the units merged into it (a reorganisation).
    `own`: only the user's own dossiers, drafts included, whatever their roles ("my dossiers")."""
    statuses = [s for s in (status or "").split(",") if s]
    if any(s not in Status.values for s in statuses):
        raise ValidationFailed(
            _("Trạng thái không hợp lệ."),
            code="invalid_status",
            fields={"status": [_("Một trong: %(values)s.") % {"values": ", ".join(Status.values)}]},
        )
    # With drafts filtered out, province roles need no visibility condition (index-only COUNT, access.visible).
    visible = Dossier.objects.visible_to(user, statuses=statuses, include_own=own)
    qs = (
        (visible.filter(owner=user) if own else visible)
        .select_related("procedure", "agency")
        .order_by("-created_at", "-pk")
    )
    now = timezone.now()
    if channel:
        if channel not in Channel.values:
            raise ValidationFailed(
                _("Hình thức nộp không hợp lệ."),
                code="invalid_channel",
                fields={"channel": ["online, counter, postal."]},
            )
        qs = qs.filter(channel=channel)
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if agency and organised_view(organised) == ORGANISED_NOW:
        unit = Agency.objects.filter(code=agency).first()
        qs = qs.filter(agency_id__in=predecessors_of(unit)) if unit else qs.none()
    elif agency:
        qs = qs.filter(agency__code=agency)
    if q:
        qs = qs.filter(
            Q(code__icontains=q.strip()) | Q(applicant_name__icontains=q.strip()) | Q(applicant_id_number=q.strip())
        )
    if due_soon is not None and _truthy(due_soon):
        qs = qs.filter(_due_soon_q(now))
    if overdue is not None and _truthy(overdue):
        qs = qs.filter(_overdue_q(now))
    return qs


def _by_reference(qs: QuerySet[Dossier], reference: str) -> Dossier | None:
    try:
        return qs.filter(uuid=uuid.UUID(str(reference))).first()
    except ValueError:
        return qs.filter(code=reference).first()


def dossier_detail_queryset(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related(
        "procedure", "procedure__field", "agency", "agency__parent", "owner", "received_by", "apology"
    ).prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "pk")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("required_document")),
        "received_documents",
        "supplement_requests",
    )


def dossier_get_for(*, user, reference: str) -> Dossier:
    """The dossier with code (or draft UUID) `reference` if `user` may see it, else NotFoundError (404)."""
    dossier = _by_reference(dossier_detail_queryset(Dossier.objects.visible_to(user, include_own=True)), reference)
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    return dossier


def attachment_get_for(*, user, reference: str, attachment_uuid) -> Attachment:
    """Only the owner and the handling officers may download (`open_files`); anyone else gets 404."""
    dossier = dossier_get_for(user=user, reference=reference)
    if not dossier_access(user, dossier).open_files:
        raise NotFoundError(_("Không tìm thấy tệp."), code="attachment_not_found")
    attachment = dossier.attachments.filter(uuid=attachment_uuid).first()
    if attachment is None:
        raise NotFoundError(_("Không tìm thấy tệp."), code="attachment_not_found")
    return attachment


def dossier_form_get_for(*, user, reference: str) -> Dossier:
    """The dossier whose generated forms (receipt, supplement request, refusal, apology, control slip of TT 01/2018)
    `user` may print: they carry the applicant's name, CCCD and address, so they are files like the attachments:
    the owner and the handling officers only (`open_files`). The province roles (monitor, province admin) see the
    dossier but get 404 for its forms, as for its files, receipts and result (docs/security.md)."""
    dossier = dossier_get_for(user=user, reference=reference)
    if not dossier_access(user, dossier).open_files:
        raise NotFoundError(_("Không tìm thấy biểu mẫu."), code="form_not_found")
    return dossier


def dossier_lookup(*, code: str, id_number: str) -> Dossier:
    """Public lookup by code + the applicant's CCCD. A wrong pair and an unknown code give the same 404; a CCCD that
    is not one by its structure (12 digits, province code, birth year) is a 400 `invalid_id_number` (it says
    nothing about any dossier)."""
    code, id_number = (code or "").strip(), (id_number or "").strip()
    id_number = parse_citizen_id(id_number).number
    dossier = None
    if code and id_number:
        dossier = (
            dossier_detail_queryset(Dossier.objects.submitted())
            .filter(code=code, applicant_id_number=id_number)
            .first()
        )
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ với mã và số CCCD đã nhập."), code="dossier_not_found")
    return dossier


def deadline_flags(
    dossier: Dossier, now: datetime.datetime | None = None, limit: datetime.datetime | None = None
) -> dict:
    """`overdue` and `due_soon` (due before the end of the next working day) for an open, accepted dossier."""
    now = now or timezone.now()
    if dossier.due_at is None or dossier.status not in ACTIVE_DEADLINE:
        return {"overdue": False, "due_soon": False}
    overdue = dossier.due_at < now
    limit = limit or deadlines.due_soon_limit(now)
    return {"overdue": overdue, "due_soon": not overdue and dossier.due_at <= limit}


_EVENT_LABELS = {
    "receive": _("Tiếp nhận trực tiếp tại Bộ phận một cửa"),
    "save_draft": _("Lưu bản nháp"),
    "step": _("Chuyển bước xử lý"),
    "result_back_to_desk": _("Bưu chính phát không thành công, kết quả chuyển về Bộ phận một cửa"),
    # Written by a reorganisation plan (reorg.carryover) on each dossier it carries to a successor agency.
    "reorganised": _("Chuyển cơ quan giải quyết do sắp xếp tổ chức bộ máy"),
}


def event_label(action: str) -> str:
    transition = TRANSITIONS.get(action)
    step = registry.get(action, STEP) if transition is None else None
    if step is not None:
        return str(step.label)
    return str(transition.label if transition else _EVENT_LABELS.get(action, action))


def dossier_timeline(dossier: Dossier) -> list[dict]:
    """The history for people: [{at, action, label, actor, note, to_status}] (drafts' saves left out)."""
    return [
        {
            "at": event.at,
            "action": event.action,
            "label": event_label(event.action),
            "actor": event.actor_label,
            "note": event.note,
            "to_status": event.to_status,
        }
        for event in dossier.events.all()
        if event.action != "save_draft"
    ]


def dossier_counts_by_agency(
    *, start: datetime.date, end: datetime.date, organised: str | None = None, at: datetime.date | None = None
) -> dict[str, dict[str, int]]:
    """Per agency code: dossiers received in [start, end] (local days), how many have a result, how many were late,
    how many are still open. `organised="now"` rolls the units of a reorganisation up into their successors on `at`
    (default today), so that totals across the change stay comparable; "then" (default) counts each dossier for
    the unit that handled it. One query (plus the successor map)."""
    view = organised_view(organised)
    tz = timezone.get_current_timezone()
    lower = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    upper = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = (
        Dossier.objects.submitted()
        .filter(received_at__gte=lower, received_at__lt=upper)
        .values("agency_id", "agency__code")
        .annotate(
            received=Count("pk"),
            with_result=Count("pk", filter=Q(status__in=[Status.PROCESSED, Status.RESULT_RETURNED])),
            late=Count("pk", filter=Q(timeliness="late")),
            open=Count("pk", filter=Q(status__in=list(OPEN_FOR_COUNTS))),
        )
    )
    mapping = successor_map(at) if view == ORGANISED_NOW else {}
    codes = {row["agency_id"]: row["agency__code"] for row in rows}
    missing = set(mapping.values()) - set(codes)
    codes.update(Agency.objects.filter(pk__in=missing).values_list("pk", "code"))
    result: dict[str, dict[str, int]] = {}
    for row in rows:
        code = codes[mapping.get(row["agency_id"], row["agency_id"])]
        counts = result.setdefault(code, {"received": 0, "with_result": 0, "late": 0, "open": 0})
        for key in counts:
            counts[key] += row[key]
    return dict(sorted(result.items()))


#: Statuses counted as open in the statistics (received, no final outcome yet).
OPEN_FOR_COUNTS = (
    Status.NEW,
    Status.ACCEPTED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
)


def expected_due_if_accepted_today(dossier: Dossier, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The appointment date the dossier would get if the desk accepted it now (online: from the received time, the
    daily cut-off and days off applied; the procedure's statutory time). None for a dossier already accepted or
    closed, or a procedure without a statutory time."""
    if dossier.accepted_at is not None or dossier.status not in (Status.DRAFT, Status.NEW):
        return None
    procedure = dossier.procedure
    if procedure.processing_days is None and not procedure.processing_hours:
        return None
    now = now or timezone.now()
    received = dossier.received_at or deadlines.effective_received_at(now)
    start = max(received, deadlines.effective_received_at(now)) if dossier.channel == Channel.ONLINE else now
    return deadlines.compute_due_at(
        received_at=start, processing_days=procedure.processing_days, processing_hours=procedure.processing_hours
    )

"""Reads of dossiers. Visibility is decided here once (`dossiers_visible_to`) for the API, HTML and exports.

- a citizen or business sees the dossiers they own (drafts included);
- an officer sees the submitted dossiers of the agencies where they hold a role, and those their agencies handle or
  handled in an internal process (a transfer — liên thông — to them, a step of theirs, a consultation addressed
  to them: `workflows`);
- province roles (province_admin, monitor) see every submitted dossier;
- everyone else sees nothing (and gets 404, never 403, for a dossier they may not see).
"""

import datetime
import uuid

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.identity import parse_citizen_id
from dichvucong.accounts.roles import PROVINCE_ROLES
from dichvucong.accounts.selectors import user_agencies, user_role_assignments
from dichvucong.common.errors import NotFoundError, ValidationFailed

from . import dossier_deadlines as deadlines
from .models import Attachment, Dossier, DossierEvent
from .registry import STEP, registry
from .state_machine import TRANSITIONS, Channel, Status

ACTIVE_DEADLINE = (Status.ACCEPTED, Status.PROCESSING, Status.PAYMENT_REQUESTED)


def _is_province_user(user) -> bool:
    return any(a.role in PROVINCE_ROLES for a in user_role_assignments(user))


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    base = Dossier.objects.all()
    if _is_province_user(user):
        return base.filter(Q(owner=user) | ~Q(status=Status.DRAFT))
    agencies = user_agencies(user)
    condition = Q(owner=user)
    if agencies:
        # An officer also sees what they submitted on a citizen's behalf (online, to any agency).
        condition |= Q(created_by=user) & ~Q(status=Status.DRAFT)
        condition |= (Q(agency__in=agencies) | _process_involved_q(agencies)) & ~Q(status=Status.DRAFT)
    return base.filter(condition)


def _process_involved_q(agencies) -> Q:
    """Dossiers that `agencies` handle(d) in an internal process: their run (after a transfer), a step held there
    (inter-agency step) or a consultation addressed to them. Subqueries: no duplicate rows, no extra query."""
    from dichvucong.workflows.models import Consultation, ProcessRun, WorkItem

    ids = [agency.pk for agency in agencies]
    # `in_array` (common.lookups): each subquery runs once, so the agency condition keeps its index.
    return (Q(pk__in_array=ProcessRun.objects.filter(agency_id__in=ids).values("dossier_id"))
            | Q(pk__in_array=WorkItem.objects.filter(agency_id__in=ids).values("run__dossier_id"))
            | Q(pk__in_array=Consultation.objects.filter(agency_id__in=ids).values("run__dossier_id")))


def is_handling_officer(user, dossier: Dossier) -> bool:
    """An officer of the dossier's agency or of an agency handling it in its process (a transfer, an inter-agency
    step): may open its files (province monitors and consulted agencies see the dossier, not the files)."""
    ids = {agency.pk for agency in user_agencies(user)}
    if not ids:
        return False
    if dossier.agency_id in ids:
        return True
    from dichvucong.workflows.models import ProcessRun, WorkItem

    return (ProcessRun.objects.filter(dossier=dossier, agency_id__in=ids).exists()
            or WorkItem.objects.filter(run__dossier=dossier, agency_id__in=ids).exists())


def _overdue_q(now) -> Q:
    return Q(status__in=ACTIVE_DEADLINE, due_at__lt=now)


def _due_soon_q(now) -> Q:
    return Q(status__in=ACTIVE_DEADLINE, due_at__gte=now, due_at__lte=deadlines.due_soon_limit(now))


def _truthy(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def dossier_list(*, user, status: str | None = None, channel: str | None = None, procedure: str | None = None,
                 due_soon=None, overdue=None, agency: str | None = None, q: str | None = None) -> QuerySet[Dossier]:
    """The dossiers `user` may see, filtered; one query whatever the page size (related rows joined)."""
    statuses = [s for s in (status or "").split(",") if s]
    if any(s not in Status.values for s in statuses):
        raise ValidationFailed(_("Trạng thái không hợp lệ."), code="invalid_status",
                               fields={"status": [_("Một trong: %(values)s.") % {"values": ", ".join(Status.values)}]})
    if statuses and Status.DRAFT not in statuses and _is_province_user(user):
        # Province roles see every submitted dossier: with drafts filtered out there is no visibility condition
        # left, and the COUNT stays an index-only scan (the `owner OR not draft` rule sends it to the heap).
        visible = Dossier.objects.all()
    else:
        visible = dossiers_visible_to(user)
    qs = visible.select_related("procedure", "agency").order_by("-created_at", "-pk")
    now = timezone.now()
    if statuses:
        qs = qs.filter(status__in=statuses)
    if channel:
        if channel not in Channel.values:
            raise ValidationFailed(_("Hình thức nộp không hợp lệ."), code="invalid_channel",
                                   fields={"channel": ["online, counter, postal."]})
        qs = qs.filter(channel=channel)
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if agency:
        qs = qs.filter(agency__code=agency)
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(applicant_name__icontains=q.strip())
                       | Q(applicant_id_number=q.strip()))
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
    return qs.select_related("procedure", "procedure__field", "agency", "agency__parent", "owner", "received_by",
                             "apology").prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "pk")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("required_document")),
        "received_documents", "supplement_requests")


def dossier_get_for(*, user, reference: str) -> Dossier:
    """The dossier with code (or draft UUID) `reference` if `user` may see it, else NotFoundError (404)."""
    dossier = _by_reference(dossier_detail_queryset(dossiers_visible_to(user)), reference)
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    return dossier


def attachment_get_for(*, user, reference: str, attachment_uuid) -> Attachment:
    """Only the owner and the officers of the dossier's agency may download; anyone else gets 404."""
    dossier = dossier_get_for(user=user, reference=reference)
    if not (dossier.owner_id == getattr(user, "pk", None) or is_handling_officer(user, dossier)):
        raise NotFoundError(_("Không tìm thấy tệp."), code="attachment_not_found")
    attachment = dossier.attachments.filter(uuid=attachment_uuid).first()
    if attachment is None:
        raise NotFoundError(_("Không tìm thấy tệp."), code="attachment_not_found")
    return attachment


def dossier_lookup(*, code: str, id_number: str) -> Dossier:
    """Public lookup by code + the applicant's CCCD. A wrong pair and an unknown code give the same 404; a CCCD that
    is not one by its structure (12 digits, province code, birth year) is a 400 `invalid_id_number` (it says
    nothing about any dossier)."""
    code, id_number = (code or "").strip(), (id_number or "").strip()
    id_number = parse_citizen_id(id_number).number
    dossier = None
    if code and id_number:
        dossier = (dossier_detail_queryset(Dossier.objects.submitted())
                   .filter(code=code, applicant_id_number=id_number).first())
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ với mã và số CCCD đã nhập."), code="dossier_not_found")
    return dossier


def deadline_flags(dossier: Dossier, now: datetime.datetime | None = None,
                   limit: datetime.datetime | None = None) -> dict:
    """`overdue` and `due_soon` (due before the end of the next working day) for an open, accepted dossier."""
    now = now or timezone.now()
    if dossier.due_at is None or dossier.status not in ACTIVE_DEADLINE:
        return {"overdue": False, "due_soon": False}
    overdue = dossier.due_at < now
    limit = limit or deadlines.due_soon_limit(now)
    return {"overdue": overdue, "due_soon": not overdue and dossier.due_at <= limit}


_EVENT_LABELS = {"receive": _("Tiếp nhận trực tiếp tại Bộ phận một cửa"), "save_draft": _("Lưu bản nháp"),
                 "step": _("Chuyển bước xử lý")}


def event_label(action: str) -> str:
    transition = TRANSITIONS.get(action)
    step = registry.get(action, STEP) if transition is None else None
    if step is not None:
        return str(step.label)
    return str(transition.label if transition else _EVENT_LABELS.get(action, action))


def dossier_timeline(dossier: Dossier) -> list[dict]:
    """The history for people: [{at, action, label, actor, note, to_status}] (drafts' saves left out)."""
    return [{"at": event.at, "action": event.action, "label": event_label(event.action), "actor": event.actor_label,
             "note": event.note, "to_status": event.to_status}
            for event in dossier.events.all() if event.action != "save_draft"]

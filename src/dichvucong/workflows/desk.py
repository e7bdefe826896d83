"""All desk work of an officer in one queue (selectors; issue 18 item 1).

The process steps (`queues.queue`) are only part of what officers do. The desk also:

- `accept`: dossiers submitted (online or by post) and waiting to be accepted, including those the applicant has
  supplemented while still unaccepted — the one-stop desk (reception) of the receiving agency;
- `paid`: accepted dossiers whose fees the applicant has paid, waiting at the desk to be sent for processing;
- `forward`: other accepted dossiers waiting at the desk to be sent for processing;
- `process`: dossiers in processing without an internal process (the agency's specialists, heads, leaders mark
  them processed);
- `return`: results waiting to be returned to the applicant (reception and clerk of the receiving agency);
- `consult`: requests for the opinion of the officer's agencies, unanswered;
- `step`: open steps of an internal process (`mine`: assigned to the officer; `unit`: those of the unit the
  officer may see, `queues._team_q`).

Dossier rows come from `Dossier.objects.visible_to(user)` (ADR 0003) restricted to the agencies where the officer
holds the role that does that work; nothing of another unit appears. Each row has its due time (the step's or the
dossier's appointment), `overdue` / `due_soon` flags, and sorts by due time or by waiting time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_role_assignments
from dichvucong.dossiers.dossier_deadlines import due_soon_limit
from dichvucong.dossiers.models import Dossier, SupplementRequest
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import Payment, PaymentStatus

from .models import Consultation, ConsultationStatus
from .processing import AGENCY_HANDLERS
from .queues import _team_q, open_items
from .run_models import ProcessRun, RunStatus
from .selectors import require_staff

#: (kind, label, the roles that do it at the receiving agency; None: the step/consultation rules)
KINDS: list[tuple[str, object]] = [
    ("accept", _("Chờ tiếp nhận")),
    ("paid", _("Đã nộp phí, chờ chuyển xử lý")),
    ("forward", _("Đã tiếp nhận, chờ chuyển xử lý")),
    ("step", _("Bước xử lý")),
    ("process", _("Đang xử lý (không theo quy trình)")),
    ("consult", _("Xin ý kiến cần trả lời")),
    ("return", _("Kết quả chờ trả")),
]
KIND_LABELS = dict(KINDS)
SCOPES = ("mine", "unit")
SORTS = ("due", "-due", "waiting")
LIMIT = 200

DESK_ROLES = {
    "accept": (Role.RECEPTION,),
    "paid": (Role.RECEPTION,),
    "forward": (Role.RECEPTION,),
    "process": AGENCY_HANDLERS,
    "return": (Role.RECEPTION, Role.CLERK),
}


@dataclass
class DeskRow:
    """One piece of work: what to do (`kind`), on which dossier, due when, and where to do it."""

    kind: str
    dossier: Dossier
    due_at: datetime.datetime | None
    since: datetime.datetime | None
    what: str = ""
    assignee: object = None
    item: object = None
    consultation: object = None
    overdue: bool = False
    due_soon: bool = False
    flags: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _agencies_for(user, roles) -> set[int]:
    return {a.agency_id for a in user_role_assignments(user) if a.agency_id and a.role in roles}


def _running_q() -> Q:
    return Q(Exists(ProcessRun.objects.filter(dossier=OuterRef("pk"), status=RunStatus.RUNNING)))


def _paid_q() -> Q:
    return Q(Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID)))


def _supplemented_q() -> Q:
    return Q(Exists(SupplementRequest.objects.filter(dossier=OuterRef("pk"), supplemented_at__isnull=False)))


def _dossiers(user, kind: str):
    """The dossiers of desk `kind` for `user` (a queryset through `visible_to`), or None when no role does it."""
    agencies = _agencies_for(user, DESK_ROLES[kind])
    if not agencies:
        return None
    qs = Dossier.objects.visible_to(user).filter(agency_id__in=agencies).select_related("procedure", "agency")
    if kind == "accept":
        return qs.filter(status=Status.NEW).annotate(supplemented=_supplemented_q())
    if kind == "paid":
        return qs.filter(_paid_q(), status=Status.ACCEPTED)
    if kind == "forward":
        return qs.filter(status=Status.ACCEPTED).exclude(_paid_q())
    if kind == "process":
        return qs.filter(status=Status.PROCESSING).exclude(_running_q())
    return qs.filter(status=Status.PROCESSED)


def _consultations(user):
    agencies = _agencies_for(user, AGENCY_HANDLERS)
    return Consultation.objects.filter(status=ConsultationStatus.PENDING, agency_id__in=agencies).select_related(
        "run__dossier__procedure", "run__dossier__agency", "run__agency", "step"
    )


def _steps(user, scope: str):
    return open_items().filter(Q(assignee=user) if scope == "mine" else (Q(assignee=user) | _team_q(user)))


def desk_counts(user) -> dict[str, int]:
    """How many pieces of work of each kind wait for `user` (unit scope: everything the officer may pick up)."""
    require_staff(user)
    counts = {}
    for kind, _label in KINDS:
        if kind == "step":
            counts[kind] = _steps(user, "unit").count()
        elif kind == "consult":
            counts[kind] = _consultations(user).count() if _agencies_for(user, AGENCY_HANDLERS) else 0
        else:
            qs = _dossiers(user, kind)
            counts[kind] = qs.count() if qs is not None else 0
    counts["total"] = sum(counts.values())
    return counts


def _dossier_due(dossier: Dossier) -> datetime.datetime | None:
    return dossier.due_at


def desk_rows(
    user,
    *,
    scope: str = "mine",
    kind: str | None = None,
    sort: str = "due",
    only: str | None = None,
    now: datetime.datetime | None = None,
) -> list[DeskRow]:
    """The desk work of `user`: every kind (or `kind`), `scope` `mine` (steps assigned to the officer, and the
    unassigned desk work of the officer's roles) or `unit` (also the unit's steps held by others), sorted by due
    time (`due`: soonest first, no due time last; `-due`; `waiting`: longest waiting first); `only` = `overdue` or
    `due_soon` keeps those."""
    require_staff(user)
    now = now or timezone.now()
    limit = due_soon_limit(now)
    kinds = [kind] if kind in KIND_LABELS else [k for k, _label in KINDS]
    rows: list[DeskRow] = []
    for current in kinds:
        if current == "step":
            for item in _steps(user, scope).order_by("due_at", "id")[:LIMIT]:
                rows.append(
                    DeskRow(
                        "step",
                        item.run.dossier,
                        item.due_at,
                        item.started_at,
                        what=item.step.name,
                        assignee=item.assignee,
                        item=item,
                    )
                )
        elif current == "consult":
            for consultation in _consultations(user).order_by("due_at", "id")[:LIMIT]:
                rows.append(
                    DeskRow(
                        "consult",
                        consultation.run.dossier,
                        consultation.due_at,
                        consultation.requested_at,
                        what=consultation.question,
                        consultation=consultation,
                    )
                )
        else:
            qs = _dossiers(user, current)
            if qs is None:
                continue
            for dossier in qs.order_by("due_at", "submitted_at", "id")[:LIMIT]:
                row = DeskRow(
                    current,
                    dossier,
                    _dossier_due(dossier),
                    dossier.finished_at if current == "return" else (dossier.accepted_at or dossier.submitted_at),
                    what=str(KIND_LABELS[current]),
                )
                if current == "accept" and getattr(dossier, "supplemented", False):
                    row.flags.append(str(_("Đã bổ sung")))
                rows.append(row)
    for row in rows:
        if row.due_at is not None and row.kind != "return":
            row.overdue = row.due_at < now
            row.due_soon = not row.overdue and row.due_at <= limit
    if only == "overdue":
        rows = [row for row in rows if row.overdue]
    elif only == "due_soon":
        rows = [row for row in rows if row.due_soon]
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    if sort == "waiting":
        rows.sort(key=lambda r: (r.since or far, r.dossier.pk))
    elif sort == "-due":
        rows.sort(key=lambda r: (r.due_at is not None, r.due_at or far, r.dossier.pk), reverse=True)
    else:
        rows.sort(key=lambda r: (r.due_at is None, r.due_at or far, r.dossier.pk))
    return rows

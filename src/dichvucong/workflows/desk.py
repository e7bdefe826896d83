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

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_role_assignments
from dichvucong.common.pagination import capped_count
from dichvucong.dossiers.dossier_deadlines import due_soon_limit
from dichvucong.dossiers.models import Dossier, SupplementRequest
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import Payment, PaymentStatus

from .models import Consultation, ConsultationStatus
from .processing import AGENCY_HANDLERS
from .queues import _team_q, open_items
from .run_models import ProcessRun, RunStatus, WorkItem
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
#: The assignee's columns `User.display_name` reads.
ASSIGNEE_FIELDS = ("kind", "organisation_name", "full_name", "first_name", "last_name", "username")
#: Rows on one page of the desk (issue 19: the page read 7 × 200 rows, 294 KB of HTML, > 10 s at 1M dossiers).
PAGE_SIZE = 50

KIND_STATUS = {
    "accept": Status.NEW,
    "paid": Status.ACCEPTED,
    "forward": Status.ACCEPTED,
    "process": Status.PROCESSING,
    "return": Status.PROCESSED,
}
DESK_ROLES = {
    "accept": (Role.RECEPTION,),
    "paid": (Role.RECEPTION,),
    "forward": (Role.RECEPTION,),
    "process": AGENCY_HANDLERS,
    "return": (Role.RECEPTION, Role.CLERK),
}


@dataclass(frozen=True)
class DeskDossier:
    """What the desk shows of a dossier (read with `values()`: no model instances, ADR 0026)."""

    pk: int
    code: str
    applicant_name: str
    procedure_name: str


@dataclass(frozen=True)
class DeskItem:
    """What the desk needs of an open step: its public id (the bulk assignment form) and its agency."""

    pk: int
    uuid: object
    agency_id: int


@dataclass(frozen=True)
class DeskAssignee:
    pk: int
    display_name: str


@dataclass
class DeskRow:
    """One piece of work: what to do (`kind`), on which dossier, due when, and where to do it."""

    kind: str
    dossier: DeskDossier
    due_at: datetime.datetime | None
    since: datetime.datetime | None
    what: str = ""
    assignee: DeskAssignee | None = None
    item: DeskItem | None = None
    consultation: int | None = None
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
    """The dossiers of desk `kind` for `user` (a queryset through `visible_to`), or None when no role does it.
    They are received at the officer's agencies and never drafts: the visibility rule's agency branch, one index
    range `(agency, status)` (`visible_to(received_at=...)`, ADR 0026)."""
    agencies = _agencies_for(user, DESK_ROLES[kind])
    if not agencies:
        return None
    qs = Dossier.objects.visible_to(user, statuses=[KIND_STATUS[kind]], received_at=agencies)
    if kind == "accept":
        return qs.annotate(supplemented=_supplemented_q())
    if kind == "paid":
        return qs.filter(_paid_q())
    if kind == "forward":
        return qs.exclude(_paid_q())
    if kind == "process":
        return qs.exclude(_running_q())
    return qs


def _consultations(user):
    agencies = _agencies_for(user, AGENCY_HANDLERS)
    return Consultation.objects.filter(status=ConsultationStatus.PENDING, agency_id__in=agencies).select_related(
        "run__dossier__procedure", "run__dossier__agency", "run__agency", "step"
    )


def _steps(user, scope: str):
    return open_items().filter(Q(assignee=user) if scope == "mine" else (Q(assignee=user) | _team_q(user)))


def desk_counts(user) -> dict[str, int]:
    """How many pieces of work of each kind wait for `user` (unit scope: everything the officer may pick up).
    Each count is exact up to `common.pagination.COUNT_CAP` (ADR 0018), then estimated; `exact` says which."""
    require_staff(user)
    counts: dict = {}
    exact = True
    for kind, _label in KINDS:
        if kind == "step":
            qs = _steps(user, "unit")
        elif kind == "consult":
            qs = _consultations(user) if _agencies_for(user, AGENCY_HANDLERS) else None
        else:
            qs = _dossiers(user, kind)
        n, kind_exact = capped_count(qs) if qs is not None else (0, True)
        counts[kind] = n
        exact = exact and kind_exact
    counts["total"] = sum(counts.values())
    counts["exact"] = exact
    return counts


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
    return desk_page(user, scope=scope, kind=kind, sort=sort, only=only, now=now, per_page=LIMIT)[0]


def _ordered(qs, sort: str, since, only: str | None, now, limit, *, flags_due: bool = True):
    """`qs` in the desk's order (`sort`), with `only` (overdue / due soon) applied in SQL, so each kind reads
    one index range from its first row and stops after a page."""
    if only == "overdue":
        qs = qs.filter(due_at__lt=now) if flags_due else qs.none()
    elif only == "due_soon":
        qs = qs.filter(due_at__gte=now, due_at__lte=limit) if flags_due else qs.none()
    if sort == "waiting":
        return qs.order_by(
            F(since).asc(nulls_last=True) if isinstance(since, str) else since.asc(nulls_last=True), "id"
        )
    if sort == "-due":
        return qs.order_by(F("due_at").desc(nulls_last=True), "-id")
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")


def _keys(user, current: str, *, scope: str, sort: str, only, now, limit, take: int):
    """The first `take` pieces of work of kind `current` in the page's order, as key tuples only
    `(kind, due_at, since, dossier_id, source_pk, supplemented)` (no model rows; ADR 0026)."""
    if current == "step":
        qs = _ordered(_steps(user, scope), sort, "started_at", only, now, limit)
        return [("step", *row, False) for row in qs.values_list("due_at", "started_at", "run__dossier_id", "pk")[:take]]
    if current == "consult":
        qs = _ordered(_consultations(user), sort, "requested_at", only, now, limit)
        return [
            ("consult", *row, False) for row in qs.values_list("due_at", "requested_at", "run__dossier_id", "pk")[:take]
        ]
    qs = _dossiers(user, current)
    if qs is None:
        return []
    since = F("finished_at") if current == "return" else Coalesce("accepted_at", "submitted_at")
    qs = _ordered(qs.annotate(desk_since=since), sort, "desk_since", only, now, limit, flags_due=current != "return")
    flag = "supplemented" if current == "accept" else None
    columns = ("due_at", "desk_since", "pk", *((flag,) if flag else ()))
    return [
        (current, row[0], row[1], row[2], row[2], bool(row[3]) if flag else False)
        for row in qs.values_list(*columns)[:take]
    ]


def _page_rows(keys: list[tuple], now, limit) -> list[DeskRow]:
    """DeskRows for the page's keys: one query for the dossiers' shown columns, one for the steps (with their step
    name and assignee) and one for the consultations' questions, whatever the page holds."""
    dossier_ids = {key[3] for key in keys}
    dossiers = {
        row["pk"]: DeskDossier(row["pk"], row["code"], row["applicant_name"], row["procedure__name"])
        for row in Dossier.objects.filter(pk__in=dossier_ids).values("pk", "code", "applicant_name", "procedure__name")
    }
    item_ids = [key[4] for key in keys if key[0] == "step"]
    items = {}
    if item_ids:
        for item in (
            WorkItem.objects.filter(pk__in=item_ids)
            .select_related("step", "assignee")
            .only("pk", "uuid", "agency_id", "step__name", *(f"assignee__{f}" for f in ASSIGNEE_FIELDS))
        ):
            assignee = DeskAssignee(item.assignee.pk, item.assignee.display_name) if item.assignee_id else None
            items[item.pk] = (DeskItem(item.pk, item.uuid, item.agency_id), item.step.name, assignee)
    consult_ids = [key[4] for key in keys if key[0] == "consult"]
    questions = (
        dict(Consultation.objects.filter(pk__in=consult_ids).values_list("pk", "question")) if consult_ids else {}
    )
    labels = {kind: str(label) for kind, label in KINDS}
    supplemented = str(_("Đã bổ sung"))
    rows = []
    for kind, due_at, since, dossier_id, source_pk, flag in keys:
        row = DeskRow(kind, dossiers[dossier_id], due_at, since, what=labels[kind])
        if kind == "step":
            row.item, row.what, row.assignee = items[source_pk]
        elif kind == "consult":
            row.what, row.consultation = questions[source_pk], source_pk
        if flag:
            row.flags.append(supplemented)
        if due_at is not None and kind != "return":
            row.overdue = due_at < now
            row.due_soon = not row.overdue and due_at <= limit
        rows.append(row)
    return rows


def desk_page(
    user,
    *,
    scope: str = "mine",
    kind: str | None = None,
    sort: str = "due",
    only: str | None = None,
    now: datetime.datetime | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> tuple[list[DeskRow], bool]:
    """One page of `desk_rows` (same arguments) and whether a next page exists. Each kind reads the keys of at most
    `page × per_page + 1` pieces of work in the page's order (one index range each); the keys are merged and the
    page cut from the merge; only the page's rows are then read, with the columns the desk shows (ADR 0026)."""
    require_staff(user)
    now = now or timezone.now()
    limit = due_soon_limit(now)
    page = max(1, page)
    per_page = per_page or PAGE_SIZE
    take = page * per_page + 1
    kinds = [kind] if kind in KIND_LABELS else [k for k, _label in KINDS]
    keys: list[tuple] = []
    for current in kinds:
        keys += _keys(user, current, scope=scope, sort=sort, only=only, now=now, limit=limit, take=take)
    # The SQL `only` filters are those of the flags below (the return kind has none: `_ordered` empties it).
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    if sort == "waiting":
        keys.sort(key=lambda k: (k[2] or far, k[3]))
    elif sort == "-due":
        keys.sort(key=lambda k: (k[1] is not None, k[1] or far, k[3]), reverse=True)
    else:
        keys.sort(key=lambda k: (k[1] is None, k[1] or far, k[3]))
    start = (page - 1) * per_page
    return _page_rows(keys[start : start + per_page], now, limit), len(keys) > start + per_page

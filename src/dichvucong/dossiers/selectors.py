"""Reads of dossiers. Who may see what is decided by the access policy (`access.py`, ADR 0003): lists through
`Dossier.objects.visible_to(user)`, one dossier through `dossier_access(user, dossier)`; a dossier one may not see
is a 404, never a 403.
"""

import datetime
import json
import uuid

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.identity import parse_citizen_id
from dichvucong.agencies.models import Agency
from dichvucong.agencies.selectors import ORGANISED_NOW, organised_view, predecessors_of, successor_map
from dichvucong.catalog.models import Procedure, RequiredDocument
from dichvucong.common.errors import NotFoundError, ValidationFailed
from dichvucong.common.sql_rows import Columns, statement

from . import dossier_deadlines as deadlines
from .access import dossier_access, may_see
from .models import Apology, Attachment, Dossier, DossierEvent, ReceivedDocument, SupplementRequest
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


def _event_count():
    """How many history rows the dossier has: part of the HTTP validator (`dossier_validator`), read in the dossier's
    own query (an index range on the events' dossier_id; the history is append-only), so that an event written
    without saving the dossier still changes the validator. (Not MAX(id): PostgreSQL turns it into a backward scan
    of the events' primary key filtered on the dossier, which reads the whole table for an old dossier.)"""
    per_dossier = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier")
    return Subquery(per_dossier.annotate(n=Count("pk")).values("n"))


def dossier_validator(dossier: Dossier) -> tuple:
    """What changes whenever anything the status read or the lookup shows changes (docs/adr/0019): the dossier's
    `updated_at` (every service saves it), the number of its events (history, supplements, results returned to the desk),
    the procedure's and the agency's `updated_at` (their names are shown), and the flags that move with the clock
    (overdue, due soon). Needs the head read of `dossier_status_read` / `dossier_lookup` (no query)."""
    flags = deadline_flags(dossier)
    return (
        dossier.uuid,
        dossier.updated_at.isoformat() if dossier.updated_at else "",
        getattr(dossier, "event_count", None),
        dossier.procedure.updated_at.isoformat(),
        dossier.agency.updated_at.isoformat(),
        flags["overdue"],
        flags["due_soon"],
    )


def dossier_last_modified(dossier: Dossier) -> datetime.datetime | None:
    """Last-Modified of a dossier read: its latest save, or later when a clock-driven flag turned on since (overdue
    at the due time; due soon on the working day before, so at the latest at the start of today)."""
    moments = [dossier.updated_at, dossier.procedure.updated_at, dossier.agency.updated_at]
    flags = deadline_flags(dossier)
    if flags["overdue"]:
        moments.append(dossier.due_at)
    elif flags["due_soon"]:
        moments.append(timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0))
    return max(moment for moment in moments if moment is not None)


def _as_datetime(value):
    """A raw column's time as the ORM gives it: aware (SQLite hands back naive UTC, or text)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def _as_json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _as_uuid(value):
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _children_sql(vendor: str, key: str = "%s") -> str:
    """One statement for the four lists of the status read (history, attachments, paper documents, supplement
    requests): UNION ALL of the four tables over shared columns, typed NULLs where a table has no such column.
    `key`: the dossier's id (a parameter, four times) or an SQL expression giving it."""

    def null(kind: str) -> str:
        return f"CAST(NULL AS {kind})" if vendor == "postgresql" else "NULL"

    ts, txt, big, uid, js = (
        null("timestamp with time zone"),
        null("text"),
        null("bigint"),
        null("uuid"),
        null("jsonb"),
    )
    tables = {
        "event": DossierEvent._meta.db_table,
        "attachment": Attachment._meta.db_table,
        "received": ReceivedDocument._meta.db_table,
        "supplement": SupplementRequest._meta.db_table,
        "document": RequiredDocument._meta.db_table,
    }
    # columns: kind, id, t1, t2, u, s1..s5, n1..n3, j
    return (
        f"SELECT 1 AS kind, e.id AS id, e.at AS t1, {ts} AS t2, {uid} AS u, e.actor_label AS s1, e.action AS s2, "  # noqa: S608
        f"e.from_status AS s3, e.to_status AS s4, e.note AS s5, {big} AS n1, {big} AS n2, {big} AS n3, {js} AS j "
        f"FROM {tables['event']} e WHERE e.dossier_id = {key} "
        f"UNION ALL SELECT 2, a.id, a.created_at, {ts}, a.uuid, a.original_name, a.content_type, a.sha256, r.name, "
        f"{txt}, a.size, a.required_document_id, {big}, {js} "
        f"FROM {tables['attachment']} a LEFT JOIN {tables['document']} r ON r.id = a.required_document_id "
        f"WHERE a.dossier_id = {key} "
        f"UNION ALL SELECT 3, d.id, {ts}, {ts}, {uid}, d.name, {txt}, {txt}, {txt}, {txt}, d.originals, "
        f"d.required_document_id, d.copies, {js} FROM {tables['received']} d WHERE d.dossier_id = {key} "
        f"UNION ALL SELECT 4, q.id, q.requested_at, q.supplemented_at, {uid}, {txt}, {txt}, {txt}, {txt}, q.note, "
        f"{big}, {big}, {big}, q.items FROM {tables['supplement']} q WHERE q.dossier_id = {key} "
        "ORDER BY 1, 3, 2"
    )


def _prefetched(model, rows: list) -> QuerySet:
    """`rows` as the prefetched content of a related manager (what `prefetch_related` would have stored)."""
    qs = model.objects.all()
    qs._result_cache = rows
    qs._prefetch_done = True
    return qs


def _load_children(dossier: Dossier, rows: list | None = None) -> None:
    """Fill the dossier's events, attachments, received documents and supplement requests in one query (or from
    `rows` of `_children_sql`, read already)."""
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(_children_sql(connection.vendor), [dossier.pk] * 4)
            rows = cursor.fetchall()
    events, attachments, received, supplements = [], [], [], []
    for kind, pk, t1, t2, u, s1, s2, s3, s4, s5, n1, n2, n3, j in rows:
        if kind == 1:
            events.append(
                DossierEvent(
                    pk=pk,
                    dossier_id=dossier.pk,
                    at=_as_datetime(t1),
                    actor_label=s1,
                    action=s2,
                    from_status=s3,
                    to_status=s4,
                    note=s5,
                )
            )
        elif kind == 2:
            attachment = Attachment(
                pk=pk,
                dossier_id=dossier.pk,
                created_at=_as_datetime(t1),
                uuid=_as_uuid(u),
                original_name=s1,
                content_type=s2,
                sha256=s3,
                size=n1,
                required_document_id=n2,
            )
            if n2 is not None:
                attachment._state.fields_cache["required_document"] = RequiredDocument(pk=n2, name=s4)
            attachments.append(attachment)
        elif kind == 3:
            received.append(
                ReceivedDocument(
                    pk=pk, dossier_id=dossier.pk, name=s1, originals=n1, required_document_id=n2, copies=n3
                )
            )
        else:
            supplements.append(
                SupplementRequest(
                    pk=pk,
                    dossier_id=dossier.pk,
                    requested_at=_as_datetime(t1),
                    supplemented_at=_as_datetime(t2),
                    note=s5,
                    items=_as_json(j),
                )
            )
    dossier._prefetched_objects_cache = {
        "events": _prefetched(DossierEvent, events),
        "attachments": _prefetched(Attachment, attachments),
        "received_documents": _prefetched(ReceivedDocument, received),
        "supplement_requests": _prefetched(SupplementRequest, supplements),
    }


#: The status read's head (docs/adr/0025-lean-status-read.md): the dossier, what it shows of its procedure and
#: agency (and their `updated_at`, for the validator), its apology, written by hand (`common.sql_rows`).
_HEAD_DOSSIER = Columns(Dossier, "d")
_HEAD_PROCEDURE = Columns(Procedure, "p", ("code", "name", "processing_days", "updated_at"))
_HEAD_AGENCY = Columns(Agency, "g", ("code", "name", "updated_at"))
_HEAD_APOLOGY = Columns(Apology, "y")


_HEAD_PARTS = (_HEAD_DOSSIER, _HEAD_PROCEDURE, _HEAD_AGENCY, _HEAD_APOLOGY)


def _status_head_sql(connection, column: str, together: bool) -> str:
    select = ", ".join(part.sql(connection) for part in _HEAD_PARTS)
    table = Dossier._meta.db_table
    sql = (
        f"SELECT {select}, (SELECT COUNT(*) FROM {DossierEvent._meta.db_table} e WHERE e.dossier_id = d.id) "  # noqa: S608
        f"FROM {table} d "
        f"JOIN {Procedure._meta.db_table} p ON p.id = d.procedure_id "
        f"JOIN {Agency._meta.db_table} g ON g.id = d.agency_id "
        f"LEFT JOIN {Apology._meta.db_table} y ON y.dossier_id = d.id "
        f"WHERE d.{column} = %s"
    )
    if together:  # the children, keyed by the same reference: sent in the same round trip
        key = f"(SELECT k.id FROM {table} k WHERE k.{column} = %s)"  # noqa: S608
        sql = f"{sql}; {_children_sql(connection.vendor, key)}"
    return sql


def _status_head_row(reference: str, *, with_children: bool = False) -> Dossier | None:
    """The dossier with code (or draft UUID) `reference`, its procedure, agency and apology, and the number of its
    events (`_event_count`): one statement, no visibility condition (the caller decides with `access.may_see`).
    `with_children` on PostgreSQL: `_children_sql` in the same round trip (two statements sent at once by the
    client-side cursor), kept on the dossier for `dossier_status_load`."""
    try:
        column, value = "uuid", uuid.UUID(str(reference))
    except ValueError:
        column, value = "code", reference
    if column == "uuid" and connection.vendor != "postgresql":
        value = value.hex  # how Django stores a UUIDField on SQLite (char(32))
    # Two statements in one `execute` need psycopg's client-side binding (Django's default; not with the
    # `server_side_binding` option, whose prepared statements hold one command).
    together = (
        with_children
        and connection.vendor == "postgresql"
        and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    )
    sql = statement(("status_head", column, together), lambda c: _status_head_sql(c, column, together), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value] * (5 if together else 1))
        row = cursor.fetchone()
        children = cursor.fetchall() if together and cursor.nextset() else None
    if row is None:
        return None
    instances, start = [], 0
    for part in _HEAD_PARTS:
        values = row[start : start + len(part)]
        instances.append(part.instance(values, connection) if values[0] is not None else None)
        start += len(part)
    dossier, procedure, agency, apology = instances
    dossier.procedure, dossier.agency = procedure, agency
    dossier._state.fields_cache["apology"] = (
        apology  # None: `dossier.apology` raises DoesNotExist, as after select_related
    )
    if apology is not None:
        apology.dossier = dossier
    dossier.event_count = row[-1] or None  # as the grouped subquery gave it: NULL without events
    if children is not None:
        _load_children(dossier, children)
    return dossier


def dossier_status_head(*, user, reference: str, with_children: bool = False) -> Dossier:
    """The status read's first query: the dossier (code, or UUID for a draft) with its procedure, agency and
    apology, if `user` may see it (`access.may_see`: the rule of `visible_to`, decided on the row), else
    NotFoundError (404). Enough for the HTTP validator (`dossier_validator`); `dossier_status_load` adds what the
    body shows. `with_children` (a request that will render, no validator sent): on PostgreSQL the body's rows
    come in the same round trip (read, and dropped for someone who may not see the dossier)."""
    dossier = _status_head_row(reference, with_children=with_children)
    if dossier is None or not may_see(user, dossier):
        raise NotFoundError(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    return dossier


def dossier_status_load(dossier: Dossier) -> Dossier:
    """The second (and last) query of the status read: history, attachments, paper documents, supplements (none
    when `dossier_status_head(with_children=True)` brought them)."""
    if "events" not in getattr(dossier, "_prefetched_objects_cache", {}):
        _load_children(dossier)
    return dossier


def dossier_lookup_head(*, code: str, id_number: str) -> Dossier:
    """Public lookup by code + the applicant's CCCD, first query: the dossier with the names of its procedure and
    agency (what the answer shows, and the HTTP validator). A wrong pair and an unknown code give the same 404; a
    CCCD that is not one by its structure (12 digits, province code, birth year) is a 400 `invalid_id_number` (it
    says nothing about any dossier)."""
    code, id_number = (code or "").strip(), (id_number or "").strip()
    id_number = parse_citizen_id(id_number).number
    dossier = None
    if code and id_number:
        dossier = (
            Dossier.objects.submitted()
            .filter(code=code, applicant_id_number=id_number)
            .select_related("procedure", "agency")
            .only(*LOOKUP_COLUMNS)
            .annotate(event_count=_event_count())
            .first()
        )
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ với mã và số CCCD đã nhập."), code="dossier_not_found")
    return dossier


#: The columns the lookup reads (what it shows, the validator's, and what the access to them needs).
LOOKUP_COLUMNS = (
    "uuid",
    "procedure",
    "agency",
    "code",
    "status",
    "received_at",
    "due_at",
    "returned_at",
    "updated_at",
    "procedure__name",
    "procedure__updated_at",
    "agency__name",
    "agency__updated_at",
)


def dossier_lookup_load(dossier: Dossier) -> Dossier:
    """The lookup's second (and last) query: the history rows its timeline shows."""
    events = list(
        DossierEvent.objects.filter(dossier_id=dossier.pk)
        .exclude(action="save_draft")
        .only("at", "action", "to_status", "actor_label", "note")
        .order_by("at", "pk")
    )
    dossier._prefetched_objects_cache = {"events": _prefetched(DossierEvent, events)}
    return dossier


def dossier_lookup(*, code: str, id_number: str) -> Dossier:
    """Public lookup by code + CCCD with its timeline: two queries (`dossier_lookup_head`, `dossier_lookup_load`)."""
    return dossier_lookup_load(dossier_lookup_head(code=code, id_number=id_number))


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

"""Keeping the rollups current (docs/adr/0015-monitoring-rollups.md).

`refresh_dossier(dossier)` runs in the transaction of every dossier transition (the `dossier.*` lifecycle events,
`dossier_hooks.py`): it computes the dossier's fact from the locked row, compares it with the stored one and adds
the difference to the day and month counters with one `INSERT … ON CONFLICT DO UPDATE SET n = n + delta` per row
touched (row-level locks in a fixed order: concurrent transitions on other dossiers add up, never overwrite).

`rebuild()` recomputes everything from the dossier table (after a bulk load, or to check the rollups): facts with
one `INSERT … SELECT` on PostgreSQL (the same rules written in SQL) or row by row elsewhere, then the counters
with one `INSERT … SELECT … GROUP BY` each.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db import connection, transaction
from django.utils import timezone

from dichvucong.dossiers.models import Apology, Dossier, SupplementRequest
from dichvucong.dossiers.state_machine import Channel, Origin, Status
from dichvucong.payments.models import Payment, PaymentMethod, PaymentStatus
from dichvucong.results.models import ElectronicResult
from dichvucong.workdays.timeliness import Timeliness, timeliness

from .models import (
    COUNTERS,
    RESOLVED_OUTCOMES,
    ChannelKind,
    DossierFact,
    FlowAgencyDay,
    FlowAgencyMonth,
    FlowDay,
    FlowMonth,
    Outcome,
    PaidKind,
)

FINISHED = {
    Status.PROCESSED: None,
    Status.RESULT_RETURNED: None,
    Status.REFUSED: Outcome.RETURNED,
    Status.WITHDRAWN: Outcome.WITHDRAWN,
    Status.STOPPED: Outcome.STOPPED,
}
OUTCOME_COUNTER = {
    Outcome.EARLY: "resolved_early",
    Outcome.ON_TIME: "resolved_on_time",
    Outcome.LATE: "resolved_late",
    Outcome.RETURNED: "returned",
    Outcome.WITHDRAWN: "withdrawn",
    Outcome.STOPPED: "stopped",
}
FACT_FIELDS = (
    "agency_id",
    "procedure_id",
    "channel",
    "received_on",
    "due_on",
    "finished_on",
    "outcome",
    "apologised",
    "supplements",
    "e_result",
    "national_portal",
    "paid",
    "paid_on",
)


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


def channel_kind(channel: str, online_level: int) -> str:
    if channel == Channel.COUNTER:
        return ChannelKind.COUNTER
    if channel == Channel.POSTAL:
        return ChannelKind.POSTAL
    return ChannelKind.ONLINE_FULL if online_level >= 4 else ChannelKind.ONLINE_PARTIAL


def resolution(*, finished_at, due_at, supplements: int, stored: str = "") -> str:
    """Early / on time / late of a resolved dossier: the stored judgement once returned, otherwise the same rule
    (`workdays.timeliness`: the due date, supplement waits excluded from it; a second supplement request is late);
    no due date (never accepted) counts as on time."""
    value = stored or timeliness(finished_at, due_at, supplement_count=supplements)
    return value or Timeliness.ON_TIME.value


def compute_fact(dossier: Dossier, *, previous: DossierFact | None = None, created: bool = False) -> dict | None:
    """The fact of a dossier now (None for a draft). The channel is kept from `previous`: a procedure moving to
    level 4 later does not change how an old dossier was received. `created`: the dossier was created in this
    transaction (no supplement request, apology nor result to count)."""
    if dossier.status == Status.DRAFT:
        return None
    supplements = 0 if created else SupplementRequest.objects.filter(dossier=dossier).count()
    apologised = False if created else Apology.objects.filter(dossier=dossier).exists()
    status = Status(dossier.status)
    outcome, finished_on = Outcome.OPEN.value, None
    if status in FINISHED:
        finished_at = dossier.finished_at or dossier.returned_at or timezone.now()
        finished_on = _local_date(finished_at)
        outcome = FINISHED[status] or resolution(
            finished_at=finished_at, due_at=dossier.due_at, supplements=supplements, stored=dossier.timeliness
        )
    received = dossier.received_at or dossier.submitted_at or dossier.created_at
    payment = (
        None
        if created
        else Payment.objects.filter(dossier_id=dossier.pk, status=PaymentStatus.PAID)
        .values_list("method", "paid_at", "resolved_at", "created_at")
        .first()
    )
    paid, paid_on = PaidKind.NONE.value, None
    if payment:
        paid = PaidKind.ONLINE.value if payment[0] == PaymentMethod.ONLINE else PaidKind.DESK.value
        paid_on = _local_date(payment[1] or payment[2] or payment[3])
    return {
        "agency_id": dossier.agency_id,
        "procedure_id": dossier.procedure_id,
        "channel": previous.channel if previous else channel_kind(dossier.channel, dossier.procedure.online_level),
        "received_on": _local_date(received),
        "due_on": _local_date(dossier.due_at),
        "finished_on": finished_on,
        "outcome": str(outcome),
        "apologised": apologised,
        "supplements": supplements,
        "e_result": (
            False
            if created
            else ElectronicResult.objects.filter(dossier_id=dossier.pk, issued_at__isnull=False).exists()
        ),
        "national_portal": dossier.origin == Origin.NATIONAL_PORTAL,
        "paid": paid,
        "paid_on": paid_on,
    }


def contributions(fact: dict | None) -> dict[tuple, Counter]:
    """What a fact adds to the flow rows: {(day, agency_id, procedure_id): Counter(counter=n)}."""
    rows: dict[tuple, Counter] = defaultdict(Counter)
    if not fact:
        return rows
    key = (fact["agency_id"], fact["procedure_id"])
    rows[(fact["received_on"], *key)][f"received_{fact['channel']}"] += 1
    if fact["national_portal"]:
        rows[(fact["received_on"], *key)]["received_national_portal"] += 1
    if fact["paid"]:
        rows[(fact["paid_on"], *key)][f"paid_{fact['paid']}"] += 1
    outcome = fact["outcome"]
    if outcome:
        closing = rows[(fact["finished_on"], *key)]
        closing[OUTCOME_COUNTER[Outcome(outcome)]] += 1
        if fact["apologised"] and outcome in (Outcome.EARLY, Outcome.ON_TIME):
            closing["resolved_apologised"] += 1
        if fact["e_result"] and outcome in RESOLVED_OUTCOMES:
            closing["resolved_e_result"] += 1
    return rows


def _upsert_sql(model, keys: tuple[str, ...], rows: int = 1) -> str:
    table = model._meta.db_table
    columns = ", ".join(COUNTERS)
    placeholders = "(" + ", ".join(["%s"] * (len(keys) + len(COUNTERS))) + ")"
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in COUNTERS)
    key_list = ", ".join(keys)
    return (
        f"INSERT INTO {table} ({key_list}, {columns}) VALUES {', '.join([placeholders] * rows)} "  # noqa: S608
        f"ON CONFLICT ({key_list}) DO UPDATE SET {updates}"
    )


#: (table, its key columns, how a (day, agency_id, procedure_id) delta key maps to it)
TABLES = (
    (FlowAgencyMonth, ("month", "agency_id"), lambda day, agency, procedure: (day.replace(day=1), agency)),
    (FlowAgencyDay, ("day", "agency_id"), lambda day, agency, procedure: (day, agency)),
    (
        FlowMonth,
        ("month", "agency_id", "procedure_id"),
        lambda day, agency, procedure: (day.replace(day=1), agency, procedure),
    ),
    (FlowDay, ("day", "agency_id", "procedure_id"), lambda day, agency, procedure: (day, agency, procedure)),
)


def _fact_insert(dossier_id: int, values: dict) -> tuple[str, list]:
    """`INSERT INTO <fact table> …` of a new fact, with its parameters prepared by the model's fields."""
    meta = DossierFact._meta
    row = {"dossier_id": dossier_id, **values}
    fields = [meta.get_field(name) for name in row]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    params = [f.get_db_prep_save(row[name], connection) for name, f in zip(row, fields, strict=True)]
    placeholders = ", ".join(["%s"] * len(params))
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES ({placeholders})", params  # noqa: S608


def apply_deltas(deltas: dict[tuple, Counter], *, then: tuple[str, list] | None = None) -> bool:
    """Add `deltas` to the four counter tables, each in key order (no deadlock between concurrent transitions).

    PostgreSQL: one statement for the four tables (`WITH a AS (INSERT … ON CONFLICT …), … INSERT …`), always built
    in the same table order, so every transaction takes the row locks in one order; elsewhere one `executemany` per
    table. A fact that moved (another agency after a reorganisation, another day) can leave rows at zero behind:
    they are removed afterwards, so the tables stay what a rebuild writes (the rows are locked by the upsert).

    `then` (PostgreSQL): one more statement (`sql, params`) written as the main statement after the upserts (the
    new fact's INSERT: rollups and fact in one statement, ADR 0024); returns whether it was run."""
    batches, emptied = [], []
    for model, keys, project in TABLES:
        rows: dict[tuple, Counter] = defaultdict(Counter)
        for key, delta in deltas.items():
            rows[project(*key)].update(delta)
        params = [
            [*k, *(rows[k].get(c, 0) for c in COUNTERS)]
            for k in sorted(rows)
            if any(rows[k].get(c, 0) for c in COUNTERS)
        ]
        if params:
            batches.append((model, keys, params))
        gone = [k for k in sorted(rows) if any(v < 0 for v in rows[k].values())]
        if gone:
            emptied.append((model, keys, gone))
    if not batches:
        return False
    ran = False
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for model, keys, params in batches:
                cursor.executemany(_upsert_sql(model, keys), params)
        else:
            statements, values = [], []
            for model, keys, params in batches:
                statements.append(_upsert_sql(model, keys, rows=len(params)))
                values += [value for row in params for value in row]
            if then is not None:
                statements.append(then[0])
                values += then[1]
                ran = True
            *ctes, main = statements
            sql = main
            if ctes:
                sql = "WITH " + ", ".join(f"u{i} AS ({cte})" for i, cte in enumerate(ctes)) + " " + main
            cursor.execute(sql, values)
        for model, keys, gone in emptied:
            table = model._meta.db_table
            where = " AND ".join(f"{k} = %s" for k in keys)
            zero = " AND ".join(f"{c} = 0" for c in COUNTERS)
            cursor.executemany(f"DELETE FROM {table} WHERE {where} AND {zero}", gone)  # noqa: S608
    return ran


def refresh_dossier(dossier: Dossier, *, created: bool = False) -> None:
    """Bring the dossier's fact and its share of the counters up to date (inside the caller's transaction).

    `created`: `dossier` was created in this transaction and is the object that was saved (submission, counter
    reception): it has no stored fact and nothing else to count, so nothing is read back."""
    if created:
        stored = None
    else:
        dossier = Dossier.objects.select_related("procedure").get(pk=dossier.pk)
        stored = DossierFact.objects.filter(dossier_id=dossier.pk).first()
    old = {f: getattr(stored, f) for f in FACT_FIELDS} if stored else None
    new = compute_fact(dossier, previous=stored, created=created)
    if old == new:
        return
    deltas: dict[tuple, Counter] = defaultdict(Counter)
    for key, counts in contributions(new).items():
        deltas[key].update(counts)
    for key, counts in contributions(old).items():
        deltas[key].subtract(counts)
    insert = _fact_insert(dossier.pk, new) if new is not None and stored is None else None
    if apply_deltas(deltas, then=insert if connection.vendor == "postgresql" else None):
        return  # the fact was INSERTed by the upserts' statement
    if new is None:
        DossierFact.objects.filter(dossier_id=dossier.pk).delete()
    elif stored is None:
        DossierFact.objects.create(dossier_id=dossier.pk, **new)
    else:
        DossierFact.objects.filter(dossier_id=dossier.pk).update(**new)


# --- rebuilding from the dossier table -----------------------------------------------------------------------------

_TZ = "Asia/Ho_Chi_Minh"

_FACTS_SQL_POSTGRES = """
INSERT INTO monitoring_dossierfact
    (dossier_id, agency_id, procedure_id, channel, received_on, due_on, finished_on, outcome, apologised, supplements,
     e_result, national_portal, paid, paid_on)
SELECT d.id, d.agency_id, d.procedure_id,
    CASE WHEN d.channel = 'counter' THEN 'counter' WHEN d.channel = 'postal' THEN 'postal'
         WHEN p.online_level >= 4 THEN 'online_full' ELSE 'online_partial' END,
    (COALESCE(d.received_at, d.submitted_at, d.created_at) AT TIME ZONE '{tz}')::date,
    (d.due_at AT TIME ZONE '{tz}')::date,
    CASE WHEN d.status IN ('processed', 'result_returned', 'refused', 'withdrawn', 'stopped')
         THEN (COALESCE(d.finished_at, d.returned_at, now()) AT TIME ZONE '{tz}')::date END,
    CASE
        WHEN d.status = 'refused' THEN 'returned'
        WHEN d.status = 'withdrawn' THEN 'withdrawn'
        WHEN d.status = 'stopped' THEN 'stopped'
        WHEN d.status IN ('processed', 'result_returned') THEN
            CASE WHEN d.timeliness <> '' THEN d.timeliness
                 WHEN d.due_at IS NULL THEN 'on_time'
                 WHEN COALESCE(s.n, 0) > 1 THEN 'late'
                 WHEN (COALESCE(d.finished_at, d.returned_at, now()) AT TIME ZONE '{tz}')::date
                      > (d.due_at AT TIME ZONE '{tz}')::date THEN 'late'
                 WHEN (COALESCE(d.finished_at, d.returned_at, now()) AT TIME ZONE '{tz}')::date
                      < (d.due_at AT TIME ZONE '{tz}')::date THEN 'early'
                 ELSE 'on_time' END
        ELSE '' END,
    a.id IS NOT NULL,
    COALESCE(s.n, 0),
    r.id IS NOT NULL,
    d.origin = 'national_portal',
    CASE WHEN pay.id IS NULL THEN '' WHEN pay.method = 'online' THEN 'online' ELSE 'desk' END,
    (COALESCE(pay.paid_at, pay.resolved_at, pay.created_at) AT TIME ZONE '{tz}')::date
FROM dossiers_dossier d
JOIN catalog_procedure p ON p.id = d.procedure_id
LEFT JOIN (SELECT dossier_id, count(*) AS n FROM dossiers_supplementrequest GROUP BY dossier_id) s
       ON s.dossier_id = d.id
LEFT JOIN dossiers_apology a ON a.dossier_id = d.id
LEFT JOIN results_electronicresult r ON r.dossier_id = d.id AND r.issued_at IS NOT NULL
LEFT JOIN payments_payment pay ON pay.dossier_id = d.id AND pay.status = 'paid'
WHERE d.status <> 'draft'
""".replace("{tz}", _TZ)


def _flows_sql(vendor: str) -> tuple[str, ...]:
    true = "TRUE" if vendor == "postgresql" else "1"

    def receiving(c: str) -> str:
        if c == "received_national_portal":
            return f"CASE WHEN national_portal = {true} THEN 1 ELSE 0 END AS {c}"
        if c.startswith("received_"):
            return f"CASE WHEN channel = '{c.removeprefix('received_')}' THEN 1 ELSE 0 END AS {c}"
        return f"0 AS {c}"

    received = ", ".join(receiving(c) for c in COUNTERS)
    paying = ", ".join(
        f"CASE WHEN paid = '{c.removeprefix('paid_')}' THEN 1 ELSE 0 END AS {c}"
        if c.startswith("paid_")
        else f"0 AS {c}"
        for c in COUNTERS
    )
    outcome_of = {v: k for k, v in OUTCOME_COUNTER.items()}
    closing = ", ".join(
        (
            "CASE WHEN apologised AND outcome IN ('early', 'on_time') THEN 1 ELSE 0 END AS resolved_apologised"
            if c == "resolved_apologised"
            else "CASE WHEN e_result AND outcome IN ('early', 'on_time', 'late') THEN 1 ELSE 0 END AS resolved_e_result"
            if c == "resolved_e_result"
            else (f"CASE WHEN outcome = '{outcome_of[c]}' THEN 1 ELSE 0 END AS {c}" if c in outcome_of else f"0 AS {c}")
        )
        for c in COUNTERS
    )
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    columns = ", ".join(COUNTERS)
    days = (
        f"INSERT INTO monitoring_flowday (day, agency_id, procedure_id, {columns}) "  # noqa: S608
        f"SELECT day, agency_id, procedure_id, {sums} FROM ("
        f"SELECT received_on AS day, agency_id, procedure_id, {received} FROM monitoring_dossierfact "
        f"UNION ALL SELECT finished_on AS day, agency_id, procedure_id, {closing} FROM monitoring_dossierfact "
        f"WHERE outcome <> '' "
        f"UNION ALL SELECT paid_on AS day, agency_id, procedure_id, {paying} FROM monitoring_dossierfact "
        f"WHERE paid <> '') AS f GROUP BY day, agency_id, procedure_id ORDER BY day, agency_id, procedure_id"
    )
    month = "date_trunc('month', day)::date" if vendor == "postgresql" else "date(day, 'start of month')"
    months = (
        f"INSERT INTO monitoring_flowmonth (month, agency_id, procedure_id, {columns}) "  # noqa: S608
        f"SELECT {month}, agency_id, procedure_id, {sums} FROM monitoring_flowday "
        f"GROUP BY {month}, agency_id, procedure_id ORDER BY 1, agency_id, procedure_id"
    )
    agency_days = (
        f"INSERT INTO monitoring_flowagencyday (day, agency_id, {columns}) "  # noqa: S608
        f"SELECT day, agency_id, {sums} FROM monitoring_flowday GROUP BY day, agency_id ORDER BY day, agency_id"
    )
    agency_months = (
        f"INSERT INTO monitoring_flowagencymonth (month, agency_id, {columns}) "  # noqa: S608
        f"SELECT month, agency_id, {sums} FROM monitoring_flowmonth GROUP BY month, agency_id ORDER BY month, agency_id"
    )
    return days, months, agency_days, agency_months


REBUILT = (FlowAgencyDay, FlowAgencyMonth, FlowDay, FlowMonth, DossierFact)


def flush_deferred_checks(cursor) -> None:
    """Run the deferred foreign-key checks of the transaction now (PostgreSQL refuses TRUNCATE and ALTER TABLE on a
    table with pending trigger events, e.g. rows written earlier in the same transaction), then defer again."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def set_aside_indexes(cursor, tables: list[str]) -> list[str]:
    """PostgreSQL: drop the secondary indexes, unique constraints and foreign keys of `tables` (the primary keys
    stay); returns the statements recreating them, to run after a bulk load in the same transaction.

    A bulk load is several times faster into bare tables: each index built once by a sort instead of millions of
    random insertions, a foreign key checked by one join instead of one deferred trigger event per row. A failure
    rolls the definitions back with the data. Unique constraints that a foreign key relies on are kept."""
    flush_deferred_checks(cursor)
    cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
        "WHERE c.contype IN ('f', 'u') AND c.conrelid = ANY(%s::regclass[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid AND c.contype = 'u') "
        "ORDER BY c.contype, 1, 2",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    # unique constraints before the foreign keys ('u' > 'f' in the query's order: reversed here)
    ordered = sorted(constraints, key=lambda c: c[3] != "u")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition, _kind in ordered
    ]


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recompute facts and counters from the dossier table; returns the row counts."""
    vendor = connection.vendor
    restore: list[str] = []
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # the rebuild owns these tables for its duration (they are only ever written by it and by transitions,
            # which wait on the lock); memory for the sorts and the index builds of a 10M-row load
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            flush_deferred_checks(cursor)
            cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in REBUILT)}")
            restore = set_aside_indexes(cursor, [model._meta.db_table for model in REBUILT])
        else:
            for model in REBUILT:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
        if vendor == "postgresql":
            cursor.execute(_FACTS_SQL_POSTGRES)
        else:
            batch = []
            for dossier in Dossier.objects.submitted().select_related("procedure").iterator(chunk_size=2000):
                batch.append(DossierFact(dossier_id=dossier.pk, **compute_fact(dossier)))
                if len(batch) >= 2000:
                    DossierFact.objects.bulk_create(batch)
                    batch = []
            DossierFact.objects.bulk_create(batch)
        for statement in _flows_sql(vendor):
            cursor.execute(statement)
        for statement in restore:
            cursor.execute(statement)
    return {
        "facts": DossierFact.objects.count(),
        "days": FlowDay.objects.count(),
        "months": FlowMonth.objects.count(),
        "agency_days": FlowAgencyDay.objects.count(),
        "agency_months": FlowAgencyMonth.objects.count(),
    }

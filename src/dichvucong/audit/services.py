"""Writing to the audit log. Every service that changes state calls `audit_record` inside its transaction.

Appending costs two statements on PostgreSQL, three on SQLite (docs/adr/0020-submission-statements.md): the chain
head is locked and read by one `UPDATE … SET length = length + 1 … RETURNING last_hash` (the row lock a
`SELECT … FOR UPDATE` took before, held to commit), then the row is inserted and the head moved to its hash — on
PostgreSQL in one statement (`WITH head AS (UPDATE …) INSERT …`), on SQLite in two. No savepoint: an error rolls
the caller's whole transaction back, which is what every caller does anyway.
"""

import json

from django.db import connection, models, transaction
from django.utils import timezone

from .keys import audit_keys
from .models import AuditChainHead, AuditEntry


def _normalise(value):
    """Store only JSON scalars/containers so the stored value hashes identically after a database round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _head_sql() -> tuple[str, str]:
    quote = connection.ops.quote_name
    table = quote(AuditChainHead._meta.db_table)
    length, last_hash, pk = quote("length"), quote("last_hash"), quote("id")
    lock = f"UPDATE {table} SET {length} = {length} + %s WHERE {pk} = 1 RETURNING {last_hash}"  # noqa: S608
    move = f"UPDATE {table} SET {last_hash} = %s WHERE {pk} = 1"  # noqa: S608
    return lock, move


def _lock_head(count: int = 1) -> str:
    """Lock the chain head until commit and count the `count` rows about to be appended; return the last hash."""
    lock, _move = _head_sql()
    with connection.cursor() as cursor:
        cursor.execute(lock, [count])
        row = cursor.fetchone()
        if row is None:  # the very first entry of a fresh database
            AuditChainHead.objects.get_or_create(pk=1)
            cursor.execute(lock, [count])
            row = cursor.fetchone()
    return row[0]


def _append(entries: list[AuditEntry]) -> None:
    """INSERT the entries (already chained) and move the head to the last one's hash: one statement on PostgreSQL
    (`WITH head AS (UPDATE …) INSERT … RETURNING id`), two elsewhere."""
    _lock, move = _head_sql()
    if connection.vendor != "postgresql":
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries)
        with connection.cursor() as cursor:
            cursor.execute(move, [entries[-1].hash])
        return
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"WITH head AS ({move}) INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(entries))} RETURNING {quote('id')}"
    )
    params = [entries[-1].hash]
    for entry in entries:
        params += [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [r[0] for r in cursor.fetchall()]
    for entry, pk in zip(entries, sorted(ids), strict=True):  # serial ids, given in VALUES order
        entry.pk = pk
        entry._state.adding = False
        entry._state.db = connection.alias


def _entry(*, actor, action, obj, object_type, object_id, object_repr, before, after) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "code", None) or getattr(obj, "uuid", None) or obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        at=timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:100],
        object_repr=object_repr[:300],
        before=_normalise(before),
        after=_normalise(after),
    )


def _chain(entries: list[AuditEntry]) -> list[AuditEntry]:
    keys = audit_keys()
    prev_hash = _lock_head(len(entries))
    for entry in entries:
        entry.prev_hash = prev_hash
        entry.key_id = keys.current_id
        entry.hash = entry.compute_hash(keys.current)
        prev_hash = entry.hash
    _append(entries)
    return entries


@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before=None,
    after=None,
) -> AuditEntry:
    """Append one row (actor, action, object, time, before/after summary) chained to the previous row."""
    entry = _entry(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
    )
    return _chain([entry])[0]


@transaction.atomic(savepoint=False)
def audit_record_many(records: list[dict]) -> list[AuditEntry]:
    """Append several rows (each the keyword arguments of `audit_record`), chained in list order, under one lock
    of the head and in one INSERT."""
    if not records:
        return []
    defaults = {"obj": None, "object_type": "", "object_id": "", "object_repr": "", "before": None, "after": None}
    return _chain([_entry(**{**defaults, **record}) for record in records])

"""Gap-free sequences: numbers given one by one, never twice, with no holes.

Used by the dossier codes (Circular 01/2018/TT-VPCP art. 19: a daily sequence per receiving agency), the electronic
receipts (Decree 123/2020 art. 32: numbered consecutively within a series) and the result numbers (Decree 30/2020
art. 15: per agency and year). The caller chooses the key (the series and its scope) and the format.

`next_value(key)` must run inside the caller's transaction (`transaction.atomic`): the number is taken by a write
that is committed or rolled back with the caller's work, so a rolled-back submission gives its number back and the
series has no gap. One statement, one locking strategy, the same SQL on PostgreSQL and SQLite (>= 3.35 for
RETURNING):

    INSERT INTO common_sequence (key, value) VALUES (%s, 1)
    ON CONFLICT (key) DO UPDATE SET value = common_sequence.value + 1 RETURNING value

- PostgreSQL: the statement takes the row lock (of the existing row, or of the new index entry) until the caller's
  transaction ends; a concurrent caller of the same key waits, then (READ COMMITTED) increments the committed value.
  Two concurrent first uses: the second waits for the first inserter's transaction, then takes the UPDATE branch
  (value 2). Other keys are not blocked.
- SQLite: any write takes the database's write lock until commit (settings: `transaction_mode = IMMEDIATE`, so the
  lock is taken at BEGIN; `timeout` makes the other writers wait for it instead of failing).

No SELECT ... FOR UPDATE (ignored by SQLite) and no read-then-write in Python (a race between the two).
"""

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from .models import Sequence


def _sql() -> str:
    quote = connection.ops.quote_name
    table, key, value = quote(Sequence._meta.db_table), quote("key"), quote("value")
    return (
        f"INSERT INTO {table} ({key}, {value}) VALUES (%s, 1) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {value} = {table}.{value} + 1 RETURNING {value}"
    )


def next_value(key: str) -> int:
    """Take the next number of the series `key` (1 for the first use), inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("next_value() must run inside the caller's transaction (transaction.atomic)")
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [key])
        return int(cursor.fetchone()[0])


def current_value(key: str) -> int:
    """The last number given under `key` (0 when none yet): for reports and tests, never to compute the next one."""
    return Sequence.objects.filter(key=key).values_list("value", flat=True).first() or 0

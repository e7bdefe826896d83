"""psycopg's own (C) loader for `timestamptz`, instead of the pure-Python one Django registers (docs/adr/0028).

Django's PostgreSQL backend loads every `timestamptz` value through `BaseTzLoader`, a Python subclass of psycopg's
*Python* `TimestamptzLoader` (`_load_iso`, about 100 µs a value on a loaded machine): a 100-row dossier page holds
about 1,000 of them, a sixth of the request's time in cProfile. psycopg's C loader (psycopg[binary]) gives the same
value (an aware `datetime` with `datetime.timezone.utc` when the session's TimeZone is UTC, which Django sets when
`USE_TZ` is on) about five times faster. It cannot be subclassed, and Django's `create_cursor` reads a `timezone`
attribute off the registered loader class to decide whether to register its own again; so the class registered
here carries that attribute and hands out psycopg's C loader when psycopg instantiates it (psycopg then takes its C
fast path, which checks the instance, not the class).

Only when it is the same value: PostgreSQL, `USE_TZ`, a UTC session and psycopg's C implementation. Otherwise
Django's loader stays. tests/common/test_db.py compares both loaders on the edge cases.
"""

import datetime

from django.conf import settings
from django.db.backends.signals import connection_created


def _c_timestamptz_loader():
    try:
        import psycopg
        from psycopg import postgres
        from psycopg.pq import Format
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if psycopg.pq.__impl__ not in ("c", "binary"):
        return None
    loader = postgres.adapters.get_loader(postgres.types["timestamptz"].oid, Format.TEXT)
    return loader if loader.__module__.startswith(("psycopg_binary", "psycopg_c")) else None


_C_LOADER = _c_timestamptz_loader()


class UtcTimestamptzLoader:
    """Registered as the `timestamptz` loader: `timezone` for Django's check, psycopg's C loader as the instance."""

    timezone = datetime.UTC

    def __new__(cls, oid, context=None):
        return _C_LOADER(oid, context)


if _C_LOADER is not None:
    UtcTimestamptzLoader.format = _C_LOADER.format


def postgres_timestamptz_oid() -> int:
    from psycopg import postgres

    return postgres.types["timestamptz"].oid


def fast_timestamptz_applies(connection) -> bool:
    if connection.vendor != "postgresql" or _C_LOADER is None or not settings.USE_TZ:
        return False
    if connection.timezone is not datetime.UTC and str(connection.timezone) != "UTC":
        return False
    return connection.connection.info.parameter_status("TimeZone") == "UTC"


def use_fast_timestamptz(sender=None, connection=None, **kwargs) -> None:
    """`connection_created`: swap the loader on this connection only (its adapters map is its own)."""
    if settings.DB_FAST_TIMESTAMPTZ and fast_timestamptz_applies(connection):
        connection.connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)


def connect_signals() -> None:
    connection_created.connect(use_fast_timestamptz, dispatch_uid="dichvucong.common.db.fast_timestamptz")

"""psycopg's C loader for timestamptz (dichvucong.common.db, docs/adr/0028): same values as Django's loader."""

import datetime

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.psycopg_any import register_tzloader

from dichvucong.common import db
from tests.dossiers.factories import DossierFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loaders only"),
]

VALUES = [
    "2026-12-03 09:30:00+07",
    "2026-12-03 09:30:00.000001+07",
    "2026-03-29 01:59:59.999999+01",
    "1900-01-01 00:00:00-00:00:00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2024-02-29 12:00:00-09:30",
]
SQL = "SELECT " + ", ".join(f"'{v}'::timestamptz" for v in VALUES) + ", NULL::timestamptz"


def _read_with(register):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        register(cursor.cursor)
        cursor.execute(SQL)
        return cursor.fetchone()


def test_the_connection_uses_psycopgs_c_loader():
    connection.ensure_connection()
    assert db.fast_timestamptz_applies(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        loaded = cursor.fetchone()[0]
        loader = cursor.cursor.adapters.get_loader(db.postgres_timestamptz_oid(), 0)
    assert loader is db.UtcTimestamptzLoader
    assert loaded.tzinfo is datetime.UTC


def test_the_c_loader_gives_exactly_djangos_values():
    ours = _read_with(lambda cursor: None)
    djangos = _read_with(lambda cursor: register_tzloader(datetime.UTC, cursor))
    assert ours == djangos
    assert [value.tzinfo for value in ours[:-1]] == [datetime.UTC] * len(VALUES)
    assert [value.tzinfo for value in djangos[:-1]] == [datetime.UTC] * len(VALUES)
    assert ours[-1] is None
    assert ours[1].microsecond == 1 and ours[0].hour == 2


def test_model_datetimes_round_trip_unchanged():
    dossier = DossierFactory()
    stamp = datetime.datetime(2026, 12, 3, 2, 30, 0, 123456, tzinfo=datetime.UTC)
    type(dossier).objects.filter(pk=dossier.pk).update(submitted_at=stamp)
    dossier.refresh_from_db()
    assert dossier.submitted_at == stamp
    assert dossier.submitted_at.tzinfo is datetime.UTC


@pytest.mark.parametrize("enabled", [True, False])
def test_each_new_connection_follows_the_setting(settings, enabled):
    settings.DB_FAST_TIMESTAMPTZ = enabled
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        with other.cursor() as cursor:
            loader = cursor.cursor.adapters.get_loader(db.postgres_timestamptz_oid(), 0)
            cursor.execute("SELECT '2026-12-03 09:30:00+07'::timestamptz")
            value = cursor.fetchone()[0]
    finally:
        other.close()
    assert (loader is db.UtcTimestamptzLoader) is enabled
    assert value == datetime.datetime(2026, 12, 3, 2, 30, tzinfo=datetime.UTC)

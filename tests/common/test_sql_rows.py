"""`common.sql_rows` (docs/adr/0025-lean-status-read.md): instances made from a hand-written SELECT are the ones the
ORM makes (times, JSON, UUIDs, decimals through the backend's converters; left-out fields deferred)."""

import pytest
from django.db import connection

from dichvucong.catalog.models import Procedure
from dichvucong.common.sql_rows import Columns, statement
from dichvucong.dossiers.models import Dossier
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db


def _read(columns: Columns, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql(connection)} FROM {columns.model._meta.db_table} {columns.alias} "
            f"WHERE {columns.alias}.id = %s",
            [pk],
        )
        return columns.instance(cursor.fetchone(), connection)


def test_an_instance_from_a_raw_row_equals_the_orms():
    dossier = DossierFactory(returned=True, form_data={"child_name": "Nguyễn Văn Bình", "n": [1, 2]})
    orm = Dossier.objects.get(pk=dossier.pk)
    raw = _read(Columns(Dossier, "d"), dossier.pk)
    for field in Dossier._meta.concrete_fields:
        assert getattr(raw, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(raw, field.attname)) is type(getattr(orm, field.attname)), field.name
    assert raw._state.adding is False and raw._state.db == orm._state.db


def test_fields_left_out_are_deferred_and_the_primary_key_always_read():
    procedure = DossierFactory().procedure
    raw = _read(Columns(Procedure, "p", ("name", "processing_days")), procedure.pk)
    assert raw.pk == procedure.pk and raw.name == procedure.name
    assert raw.processing_days == procedure.processing_days
    assert "code" in raw.get_deferred_fields() and "name" not in raw.get_deferred_fields()


def test_a_statement_is_built_once_per_vendor():
    calls = []

    def build(conn):
        calls.append(conn.vendor)
        return "SELECT 1"

    assert statement(("test-once",), build) == statement(("test-once",), build) == "SELECT 1"
    assert calls == [connection.vendor]

"""Dossier codes (TT 01/2018 art. 19): format, daily sequence per agency, uniqueness under concurrency."""

import datetime
import threading

import pytest
from django.db import connection, connections

from dichvucong.common.sequences import current_value
from dichvucong.dossiers.dossier_codes import book_entry, format_dossier_code, next_dossier_code, sequence_key

from .conftest import department


def test_format_follows_article_19():
    assert format_dossier_code("000.00.12.H31", datetime.date(2021, 3, 15), 1) == "000.00.12.H31-210315-0001"


def test_the_book_entry_of_the_receipt_is_read_from_the_code():
    assert book_entry("000.00.12.H31-210315-0042") == "Quyển số: 210315, Số thứ tự: 0042"
    assert book_entry(None) == book_entry("") == book_entry("nonsense") == ""


@pytest.mark.django_db
def test_sequence_is_per_agency_and_per_day():
    a, b = department("000.00.04.H31", "Sở Tư pháp"), department("000.00.05.H31", "Sở Xây dựng")
    day, next_day = datetime.date(2021, 3, 15), datetime.date(2021, 3, 16)
    assert [next_dossier_code(agency=a, day=day) for _ in range(3)][-1] == "000.00.04.H31-210315-0003"
    assert next_dossier_code(agency=b, day=day) == "000.00.05.H31-210315-0001"
    assert next_dossier_code(agency=a, day=next_day) == "000.00.04.H31-210316-0001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_number():
    """Threads with their own connections, each in its own transaction (PostgreSQL: real row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency of separate connections is exercised on PostgreSQL")
    agency = department("000.00.04.H31", "Sở Tư pháp")
    day = datetime.date(2021, 3, 15)
    codes, errors = [], []
    barrier = threading.Barrier(8)

    def work():
        try:
            barrier.wait()
            for _ in range(5):
                codes.append(next_dossier_code(agency=agency, day=day))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(codes) == len(set(codes)) == 40
    assert current_value(sequence_key(agency.pk, day)) == 40


# SQLite: the test database is in memory and shared by the test's threads, so real concurrency is shown with separate
# processes on a temporary database FILE, each with its own connection (settings: `timeout`, `transaction_mode =
# IMMEDIATE`), exactly as gunicorn workers would use it.
_SQLITE_SCRIPT = """
import json, os, sys, time
import django
django.setup()
from django.db import connection
from dichvucong.agencies.models import Agency
from dichvucong.common.models import Sequence
from dichvucong.dossiers.dossier_codes import next_dossier_code
import datetime
if sys.argv[1] == "setup":
    with connection.schema_editor() as editor:
        editor.create_model(Agency)
        editor.create_model(Sequence)
    Agency.objects.create(code="000.00.04.H31", name="Sở Tư pháp", tier="province", kind="department")
else:
    agency = Agency.objects.get(code="000.00.04.H31")
    while not os.path.exists(sys.argv[2]):  # start together
        time.sleep(0.005)
    print(json.dumps([next_dossier_code(agency=agency, day=datetime.date(2021, 3, 15)) for _ in range(int(sys.argv[3]))]))
"""


def test_concurrent_processes_on_an_sqlite_file_never_get_the_same_number(tmp_path):
    import json
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    database = tmp_path / "codes.sqlite3"
    src = Path(__file__).resolve().parents[2] / "src"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "dichvucong.settings",
        "DJANGO_ENV": "test",
        "DCV_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(src),
    }

    def run(*args):
        return subprocess.Popen(
            [sys.executable, "-c", _SQLITE_SCRIPT, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    setup = run("setup")
    assert setup.wait(timeout=120) == 0, setup.stderr.read()
    go, workers, each = tmp_path / "go", 6, 10
    processes = [run("work", str(go), str(each)) for _ in range(workers)]
    go.touch()
    codes = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        codes += json.loads(out.strip().splitlines()[-1])
    assert len(codes) == len(set(codes)) == workers * each
    assert sorted(codes) == [f"000.00.04.H31-210315-{n:04d}" for n in range(1, workers * each + 1)]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT value FROM common_sequence").fetchall() == [(workers * each,)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_submission_gives_its_number_back():
    from django.db import transaction

    agency = department("000.00.04.H31", "Sở Tư pháp")
    day = datetime.date(2021, 3, 15)
    next_dossier_code(agency=agency, day=day)
    with pytest.raises(RuntimeError), transaction.atomic():
        next_dossier_code(agency=agency, day=day)
        raise RuntimeError
    assert next_dossier_code(agency=agency, day=day).endswith("-0002")


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_create_one_dossier(world):
    """Two retries of the same submission racing on PostgreSQL: one dossier, both get it."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency of separate connections is exercised on PostgreSQL")
    from dichvucong.dossiers.models import Dossier
    from dichvucong.dossiers.submission import dossier_create

    from .conftest import FORM

    results, errors = [], []
    barrier = threading.Barrier(4)

    def work():
        try:
            barrier.wait()
            result = dossier_create(
                actor=world.citizen,
                procedure_code=world.procedure.code,
                agency_code=world.agency.code,
                form_data=FORM,
                idempotency_key="retry-1",
                attachments=[],
                draft=True,
            )
            results.append(result.dossier.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Dossier.objects.count() == 1 and set(results) == {Dossier.objects.get().pk}

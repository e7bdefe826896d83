"""A decision published before its effective date: versions and dated offerings are recorded at once, the live
procedure changes only on the day (beat task `catalog.apply_due_versions`, `manage.py catalog_apply_due`)."""

import datetime
import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.catalog.models import Procedure, ProcedureVersion
from dichvucong.catalog.selectors import offering_for
from dichvucong.catalog.services import (
    ImportRejected,
    catalog_export_records,
    catalog_import,
    decision_create,
    decision_publish,
    versions_apply_due,
)
from dichvucong.catalog.tasks import apply_due_versions
from dichvucong.common.errors import ValidationFailed
from tests.catalog.conftest import load_records, procedure_record

LIST = "/api/v1/procedures/"
_numbers = iter(range(1000))


def _decide(admin, effective: datetime.date, changes: list[dict]):
    decision = decision_create(
        actor=admin,
        number=f"{next(_numbers)}/QĐ-UBND",
        title="Công bố",
        signed_on=timezone.localdate(),
        signer="Chủ tịch",
        effective_on=effective,
        changes=changes,
    )
    return decision_publish(actor=admin, decision=decision)


@pytest.fixture
def soon():
    return timezone.localdate() + datetime.timedelta(days=10)


@pytest.fixture
def waiting(tree, make_staff, soon):
    """1.001612 at level 3 (3 days); a decision effective in 10 days raises it to level 4, 2 days, a new name."""
    load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3))
    admin = make_staff("province_admin")
    decision = _decide(
        admin,
        soon,
        [
            {
                "kind": "change",
                "procedure_code": "1.001612",
                "payload": {"online_level": 4, "processing_days": "2", "name": "Đăng ký hộ kinh doanh (toàn trình)"},
            }
        ],
    )
    return {**tree, "admin": admin, "decision": decision}


def _level(client, **params) -> list[tuple]:
    return [
        (r["code"], r["online_level"], r["processing_days"], r["name"])
        for r in client.get(LIST, params).json()["results"]
    ]


def test_publishing_in_advance_leaves_todays_catalogue_unchanged(waiting, api_client, soon):
    procedure = Procedure.objects.get(code="1.001612")
    assert (procedure.online_level, procedure.processing_days, procedure.name) == (
        3,
        3,
        "Đăng ký thành lập hộ kinh doanh",
    )
    today = timezone.localdate().isoformat()
    old = [("1.001612", 3, 3.0, "Đăng ký thành lập hộ kinh doanh")]
    assert _level(api_client) == old and _level(api_client, as_of=today) == old
    assert _level(api_client, online_level="4") == []
    assert api_client.get("/api/v1/procedures/1.001612/").json()["online_level"] == 3


def test_the_version_and_the_dated_offerings_are_recorded_at_once(waiting, api_client, soon):
    procedure = Procedure.objects.get(code="1.001612")
    version = procedure.versions.get(decision=waiting["decision"])
    assert version.pending and version.valid_from == soon and version.snapshot["online_level"] == 4
    assert offering_for(procedure=procedure, agency=waiting["van_lam"]).online_level == 3
    assert offering_for(procedure=procedure, agency=waiting["van_lam"], on=soon).online_level == 4
    assert _level(api_client, as_of=soon.isoformat()) == [("1.001612", 4, 2.0, "Đăng ký hộ kinh doanh (toàn trình)")]
    detail = api_client.get("/api/v1/procedures/1.001612/", {"as_of": soon.isoformat()}).json()
    assert detail["online_level"] == 4 and detail["processing_days"] == 2.0


def test_the_change_is_applied_on_its_day_once(waiting, soon):
    assert versions_apply_due(actor="test", today=soon - datetime.timedelta(days=1)) == 0
    assert Procedure.objects.get(code="1.001612").online_level == 3
    assert versions_apply_due(actor="test", today=soon) == 1
    procedure = Procedure.objects.get(code="1.001612")
    assert (procedure.online_level, procedure.online_mode, procedure.processing_days, procedure.name) == (
        4,
        "full",
        2,
        "Đăng ký hộ kinh doanh (toàn trình)",
    )
    assert "toan trinh" in procedure.search_name
    assert not ProcedureVersion.objects.filter(pending=True).exists()
    assert versions_apply_due(actor="test", today=soon + datetime.timedelta(days=3)) == 0  # idempotent
    assert AuditEntry.objects.filter(action="catalog_procedure.apply_version", object_id="1.001612").count() == 1


def test_the_management_command_applies_due_versions_idempotently(waiting, soon):
    out = io.StringIO()
    call_command("catalog_apply_due", "--date", soon.isoformat(), stdout=out)
    assert "1 phiên bản" in out.getvalue()
    call_command("catalog_apply_due", "--date", soon.isoformat(), stdout=out)
    assert "0 phiên bản" in out.getvalue()
    assert Procedure.objects.get(code="1.001612").online_level == 4


def test_the_beat_task_applies_what_is_due_today(waiting, soon, monkeypatch):
    assert apply_due_versions.apply().get() == 0  # not yet
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: soon)
    assert apply_due_versions.apply().get() == 1
    assert apply_due_versions.apply().get() == 0
    assert Procedure.objects.get(code="1.001612").online_level == 4
    schedule = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "catalog.apply_due_versions" in schedule


def test_a_second_decision_in_advance_builds_on_the_first(waiting, soon):
    later = soon + datetime.timedelta(days=5)
    _decide(
        waiting["admin"],
        later,
        [{"kind": "change", "procedure_code": "1.001612", "payload": {"legal_basis": "Nghị định 01/2021/NĐ-CP"}}],
    )
    assert Procedure.objects.get(code="1.001612").online_level == 3
    assert versions_apply_due(actor="test", today=later) == 2
    procedure = Procedure.objects.get(code="1.001612")
    assert (procedure.online_level, procedure.legal_basis, procedure.name) == (
        4,
        "Nghị định 01/2021/NĐ-CP",
        "Đăng ký hộ kinh doanh (toàn trình)",
    )
    assert offering_for(procedure=procedure, agency=waiting["van_lam"], on=later).online_level == 4


def test_decisions_on_one_procedure_are_published_in_order_of_effective_date(waiting, soon):
    with pytest.raises(ValidationFailed) as exc:
        _decide(
            waiting["admin"],
            soon - datetime.timedelta(days=3),
            [{"kind": "change", "procedure_code": "1.001612", "payload": {"processing_days": "1"}}],
        )
    assert "chờ hiệu lực" in exc.value.fields["rows"][0]["reason"]
    assert Procedure.objects.get(code="1.001612").processing_days == 3


def test_an_import_may_not_overwrite_a_procedure_waiting_for_a_decision(waiting):
    records = catalog_export_records()
    with pytest.raises(ImportRejected) as exc:
        catalog_import(actor="test", records=[("1", records[0])])
    assert exc.value.fields["rows"][0]["field"] == "code"


def test_a_procedure_added_in_advance_is_not_in_todays_catalogue(waiting, api_client, soon):
    _decide(
        waiting["admin"],
        soon,
        [
            {
                "kind": "add",
                "procedure_code": "1.013225",
                "payload": procedure_record("1.013225", "Cấp giấy phép xây dựng", field="xay-dung", valid_from=None),
            }
        ],
    )
    assert [row[0] for row in _level(api_client)] == ["1.001612"]
    assert [row[0] for row in _level(api_client, as_of=soon.isoformat())] == ["1.001612", "1.013225"]


def test_a_decision_effective_today_applies_at_once(tree, make_staff, api_client):
    load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3))
    _decide(
        make_staff("province_admin"),
        timezone.localdate(),
        [{"kind": "change", "procedure_code": "1.001612", "payload": {"online_level": 4}}],
    )
    assert Procedure.objects.get(code="1.001612").online_level == 4
    assert not ProcedureVersion.objects.filter(pending=True).exists()

import datetime

import pytest

from dichvucong.audit.models import AuditEntry
from dichvucong.catalog.models import DecisionStatus, Procedure
from dichvucong.catalog.selectors import catalog_as_of, offering_for, procedure_version_on
from dichvucong.catalog.services import decision_create, decision_publish
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from tests.catalog.conftest import load_records, procedure_record

D = datetime.date


@pytest.fixture
def published(tree, make_staff):
    """2021-01-01: 1.001612 at level 3 and HY.OLD.01; a decision effective 2021-08-05 raises 1.001612 to level 4,
    adds 1.013225 and retires HY.OLD.01."""
    load_records(
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3),
        procedure_record("HY.OLD.01", "Thủ tục cũ sẽ bãi bỏ"),
    )
    admin = make_staff("province_admin")
    decision = decision_create(
        actor=admin,
        number="123/QĐ-UBND",
        title="Công bố",
        signed_on=D(2021, 8, 2),
        signer="Chủ tịch",
        effective_on=D(2021, 8, 5),
        changes=[
            {"kind": "change", "procedure_code": "1.001612", "payload": {"online_level": 4, "processing_days": "2"}},
            {
                "kind": "add",
                "procedure_code": "1.013225",
                "payload": procedure_record("1.013225", "Cấp giấy phép xây dựng", field="xay-dung", valid_from=None),
            },
            {"kind": "retire", "procedure_code": "HY.OLD.01"},
        ],
    )
    decision_publish(actor=admin, decision=decision)
    return {**tree, "admin": admin, "decision": decision}


def test_catalogue_as_of_a_past_date_shows_what_was_in_force_then(published):
    assert [p.code for p in catalog_as_of(D(2021, 6, 1))] == ["1.001612", "HY.OLD.01"]
    assert [p.code for p in catalog_as_of(D(2021, 9, 1))] == ["1.001612", "1.013225"]


def test_levels_as_of_a_date_follow_the_decision(published):
    procedure = Procedure.objects.get(code="1.001612")
    assert offering_for(procedure=procedure, agency=published["van_lam"], on=D(2021, 8, 4)).online_level == 3
    assert offering_for(procedure=procedure, agency=published["van_lam"], on=D(2021, 8, 5)).online_level == 4
    assert procedure.online_level == 4 and procedure.online_mode == "full"


def test_history_keeps_each_version_with_its_decision(published):
    procedure = Procedure.objects.get(code="1.001612")
    assert procedure_version_on(procedure, D(2021, 3, 1)).snapshot["processing_days"] == "3"
    later = procedure_version_on(procedure, D(2021, 9, 1))
    assert later.snapshot["processing_days"] == "2" and later.decision.number == "123/QĐ-UBND"


def test_publishing_writes_an_audit_row_and_marks_the_decision(published):
    published["decision"].refresh_from_db()
    assert published["decision"].status == DecisionStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="catalog_decision.publish").count() == 1


def test_a_published_decision_cannot_be_published_again(published):
    with pytest.raises(ConflictError):
        decision_publish(actor=published["admin"], decision=published["decision"])


def test_only_province_admin_may_create_or_publish(published, make_staff):
    leader = make_staff("leader", published["van_lam"])
    with pytest.raises(PermissionDeniedError):
        decision_create(
            actor=leader, number="9/QĐ", title="x", signed_on=D(2021, 9, 1), signer="x", effective_on=D(2021, 9, 1)
        )


def test_an_invalid_change_publishes_nothing(published):
    decision = decision_create(
        actor=published["admin"],
        number="124/QĐ-UBND",
        title="Sai",
        signed_on=D(2021, 9, 1),
        signer="x",
        effective_on=D(2021, 9, 10),
        changes=[
            {"kind": "change", "procedure_code": "1.013225", "payload": {"online_level": 2}},
            {"kind": "change", "procedure_code": "KHONG.CO", "payload": {}},
        ],
    )
    with pytest.raises(ValidationFailed) as exc:
        decision_publish(actor=published["admin"], decision=decision)
    assert exc.value.fields["rows"][0]["row"] == 2
    assert Procedure.objects.get(code="1.013225").online_level == 4

"""Validation of process definitions: refused with a stable code and a Vietnamese reason."""

from decimal import Decimal

import pytest

from dichvucong.common.errors import ValidationFailed
from dichvucong.workflows import services
from dichvucong.workflows.services import specs_from_payload
from dichvucong.workflows.validation import validate_definition

from .conftest import STANDARD_STEPS


def codes(steps, days="7"):
    return {issue.code for issue in validate_definition(specs_from_payload(steps), legal_days=Decimal(days))}


def test_the_standard_five_step_process_is_valid():
    assert codes(STANDARD_STEPS) == set()


def test_default_transitions_chain_steps_in_order_and_return_to_the_previous_one():
    specs = {s.key: s for s in specs_from_payload(STANDARD_STEPS)}
    assert specs["tiep-nhan"].is_start
    assert specs["tham-dinh"].transitions["forward"] == ["duyet"]
    assert specs["duyet"].transitions["return"] == ["tham-dinh"]
    assert specs["phat-hanh"].transitions["deliver"] == [None]


def test_a_step_without_a_role_is_refused():
    steps = [dict(STANDARD_STEPS[0]), *STANDARD_STEPS[1:]]
    steps[0]["role"] = ""
    assert "step_without_role" in codes(steps)


def test_durations_over_the_legal_processing_time_are_refused():
    assert "durations_exceed_legal_time" in codes(STANDARD_STEPS, days="5.5")
    assert codes(STANDARD_STEPS, days="6") == set()  # exactly 6 days = 48 office hours fits


def test_a_cycle_that_cannot_terminate_is_refused():
    steps = [
        {"key": "a", "name": "A", "role": "specialist", "duration_hours": 8, "actions": ["forward"]},
        {
            "key": "b",
            "name": "B",
            "role": "division_head",
            "duration_hours": 8,
            "actions": ["forward"],
            "next": {"forward": "a"},
        },
        {"key": "c", "name": "C", "role": "clerk", "duration_hours": 4, "actions": ["deliver"]},
    ]
    found = codes(steps)
    assert "cannot_terminate" in found
    assert "unreachable_step" in found  # C can never be reached either


def test_a_cycle_through_return_with_a_way_out_is_accepted():
    assert codes(STANDARD_STEPS) == set()  # return edges form cycles, but every step can still reach "deliver"


def test_exactly_one_start_is_required():
    steps = [dict(step) for step in STANDARD_STEPS]
    steps[0]["is_start"] = steps[1]["is_start"] = True
    assert "multiple_starts" in codes(steps)


def test_return_may_only_go_back_and_targets_must_exist():
    steps = [dict(step) for step in STANDARD_STEPS]
    steps[2] = {**steps[2], "next": {"return": "ky"}}
    assert "return_not_earlier" in codes(steps)
    steps[2] = {**steps[2], "next": {"return": "khong-co"}}
    assert "unknown_target" in codes(steps)


def test_unknown_action_kinds_and_roles_are_refused():
    steps = [dict(step) for step in STANDARD_STEPS]
    steps[1] = {**steps[1], "role": "chairman"}
    assert "invalid_role" in codes(steps)
    steps[1] = {**steps[1], "role": "specialist", "actions": ["teleport"]}
    assert "invalid_action" in codes(steps)


def test_an_inter_agency_step_must_name_its_agency(world):
    steps = [dict(step) for step in STANDARD_STEPS]
    steps[2] = {**steps[2], "role": "other_agency"}
    assert codes(steps) == {"other_agency_required"}
    with pytest.raises(ValidationFailed) as exc:
        world.draft(steps=steps)
    assert exc.value.code == "other_agency_required" and "cơ quan phối hợp" in exc.value.detail
    steps[2] = {**steps[2], "other_agency": world.district2.code}
    assert codes(steps) == set()


def test_a_process_with_no_end_is_refused():
    steps = [
        {
            "key": "a",
            "name": "A",
            "role": "specialist",
            "duration_hours": 8,
            "actions": ["forward"],
            "next": {"forward": "a"},
        }
    ]
    assert "no_end" in codes(steps)


def test_the_service_refuses_an_invalid_definition_with_the_first_issue_code(world):
    steps = [dict(step) for step in STANDARD_STEPS]
    steps[3] = {**steps[3], "duration_days": "10"}
    with pytest.raises(ValidationFailed) as exc:
        world.draft(steps=steps)
    assert exc.value.code == "durations_exceed_legal_time"
    assert "vượt thời hạn giải quyết" in exc.value.detail
    assert exc.value.fields["steps"][0]["code"] == "durations_exceed_legal_time"


def test_a_per_agency_exception_at_district_tier_needs_a_justification(world):
    with pytest.raises(ValidationFailed) as exc:
        world.draft(owner=world.district, scope="agency", agency=world.district)
    assert exc.value.code == "exception_needs_justification"
    process = world.draft(
        owner=world.district,
        scope="agency",
        agency=world.district,
        justification="Huyện có Trung tâm hành chính công riêng",
    )
    assert process.scope_code == f"agency:{world.district.code}"


def test_a_tier_template_must_be_for_a_tier_of_the_procedure(world):
    with pytest.raises(ValidationFailed) as exc:
        world.draft(tier="province")
    assert exc.value.code == "invalid_tier"


def test_versions_count_up_per_scope(world):
    first = world.draft()
    second = services.process_new_version(actor=world.dept_leader, process=first)
    assert (first.version, second.version) == (1, 2)
    assert [s.key for s in second.steps.all()] == [s.key for s in first.steps.all()]
    assert second.transitions.count() == first.transitions.count()

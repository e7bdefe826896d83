"""Approval lifecycle: who may take each transition, activation, retirement, and which version applies."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.workflows import services
from dichvucong.workflows.models import ProcessStatus
from dichvucong.workflows.selectors import process_for

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def _approve(world, process, actor=None, active_from=TODAY):
    return services.process_approve(
        actor=actor or world.admin,
        process=process,
        decision_number="45/QĐ-UBND",
        decision_date=YESTERDAY,
        decision_signer="Trần Quốc Văn, Chủ tịch UBND tỉnh",
        active_from=active_from,
    )


def test_the_full_lifecycle_records_who_did_what(world):
    process = world.draft()
    assert process.status == ProcessStatus.DRAFT
    services.process_submit(actor=world.dept_leader, process=process)
    services.process_review(actor=world.admin, process=process, note="Đã kiểm soát")
    _approve(world, process)
    process.refresh_from_db()
    assert process.status == ProcessStatus.ACTIVE  # active_from today: in force at once
    assert (process.submitted_by, process.reviewed_by, process.approved_by) == (
        world.dept_leader,
        world.admin,
        world.admin,
    )
    assert process.decision_number == "45/QĐ-UBND"
    assert process.decision_signer.endswith("Chủ tịch UBND tỉnh")


def test_only_the_owning_agencys_leader_or_admin_submits(world):
    process = world.draft()
    for outsider in (world.dept_specialist, world.staff["vl.leader"], world.admin):
        with pytest.raises(PermissionDeniedError) as exc:
            services.process_submit(actor=outsider, process=process)
        assert exc.value.code == "not_process_owner"


def test_only_the_provincial_office_reviews_and_approves(world):
    process = world.draft()
    services.process_submit(actor=world.dept_leader, process=process)
    with pytest.raises(PermissionDeniedError) as exc:
        services.process_review(actor=world.dept_leader, process=process)
    assert exc.value.code == "not_province_admin"
    services.process_review(actor=world.admin, process=process)
    with pytest.raises(PermissionDeniedError):
        _approve(world, process, actor=world.staff["vl.leader"])


def test_a_province_admin_cannot_approve_a_process_of_their_own_agency(world):
    from dichvucong.accounts.roles import Role
    from tests.factories import StaffFactory

    drafter = StaffFactory(username="vp.leader", roles=[(Role.LEADER, world.office)])
    process = services.process_create(
        actor=drafter,
        procedure=world.procedure,
        owner_agency=world.office,
        scope="tier",
        tier="district",
        steps=[{"name": "Xử lý", "role": "specialist", "duration_days": 2, "actions": ["deliver"]}],
    )
    services.process_submit(actor=drafter, process=process)
    with pytest.raises(PermissionDeniedError) as exc:
        services.process_review(actor=world.admin, process=process)  # world.admin is agency_admin of the office
    assert exc.value.code == "own_agency_process"
    services.process_review(actor=world.outside_admin, process=process)
    with pytest.raises(PermissionDeniedError) as exc:
        _approve(world, process, actor=world.admin)
    assert exc.value.code == "own_agency_process"
    _approve(world, process, actor=world.outside_admin)


def test_transitions_out_of_order_are_conflicts(world):
    process = world.draft()
    with pytest.raises(ConflictError) as exc:
        services.process_review(actor=world.admin, process=process)
    assert exc.value.code == "invalid_process_status"
    services.process_submit(actor=world.dept_leader, process=process)
    with pytest.raises(ConflictError):
        _approve(world, process)  # must be reviewed first


def test_send_back_returns_the_draft_with_the_reason(world):
    process = world.draft()
    services.process_submit(actor=world.dept_leader, process=process)
    with pytest.raises(ValidationFailed):
        services.process_send_back(actor=world.admin, process=process, note=" ")
    services.process_send_back(actor=world.admin, process=process, note="Thời gian thẩm định quá dài")
    assert process.status == ProcessStatus.DRAFT
    services.process_set_steps(
        actor=world.dept_leader,
        process=process,
        steps=[{"name": "Xử lý", "role": "specialist", "duration_days": 2, "actions": ["deliver"]}],
    )


def test_decided_versions_are_immutable(world):
    process = world.active_template()
    with pytest.raises(ConflictError):
        services.process_set_steps(actor=world.dept_leader, process=process, steps=[])


def test_a_process_that_no_longer_fits_the_legal_time_cannot_be_approved(world):
    process = world.draft()
    services.process_submit(actor=world.dept_leader, process=process)
    services.process_review(actor=world.admin, process=process)
    world.procedure.processing_days = Decimal("5")  # the catalogue shortened the time limit meanwhile
    world.procedure.save()
    with pytest.raises(ValidationFailed) as exc:
        _approve(world, process)
    assert exc.value.code == "durations_exceed_legal_time"


def test_a_future_version_activates_on_its_date_and_retires_the_old_one(world):
    v1 = world.approve(world.draft(), active_from=YESTERDAY)
    v2 = services.process_new_version(actor=world.dept_leader, process=v1)
    world.approve(v2, active_from=TODAY + datetime.timedelta(days=10))
    v1.refresh_from_db()
    assert (v1.status, v2.status) == (ProcessStatus.ACTIVE, ProcessStatus.APPROVED)
    assert process_for(procedure=world.procedure, agency=world.district) == v1
    assert process_for(procedure=world.procedure, agency=world.district, on=TODAY + datetime.timedelta(days=10)) == v2
    assert services.processes_activate_due(today=TODAY) == 0
    v2.active_from = TODAY
    v2.save()
    assert services.processes_activate_due(today=TODAY) == 1
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v1.retired_on, v2.status) == (ProcessStatus.RETIRED, TODAY, ProcessStatus.ACTIVE)
    assert process_for(procedure=world.procedure, agency=world.district, on=YESTERDAY) == v1


def test_process_for_prefers_the_agency_exception_over_the_tier_template(world):
    template = world.active_template()
    exception = world.approve(
        world.draft(
            owner=world.district, scope="agency", agency=world.district, justification="Thí điểm một cửa liên thông"
        )
    )
    assert process_for(procedure=world.procedure, agency=world.district) == exception
    assert process_for(procedure=world.procedure, agency=world.district2) == template  # same for every district
    assert process_for(procedure=world.procedure, agency=world.commune) is None  # no commune template yet


def test_drafts_are_never_resolved(world):
    world.draft()
    assert process_for(procedure=world.procedure, agency=world.district) is None

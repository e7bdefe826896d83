"""Dossiers running through their process: pinning, assignment, every action kind, deadlines, hand-overs."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.workdays.calendar import add_working_time
from dichvucong.workflows import services
from dichvucong.workflows.models import (
    Consultation,
    Handover,
    ProcessRun,
    RunStatus,
    Timeliness,
)
from dichvucong.workflows.processing import current_item, step_perform_action, timeliness_of
from tests.factories import StaffFactory

from .conftest import accepted_dossier, start


@pytest.fixture
def running(world):
    world.active_template()
    dossier = accepted_dossier(world)
    start(world, dossier)
    dossier.refresh_from_db()
    return dossier


def act(world, dossier, who, action, **data):
    actor = world.staff[who] if isinstance(who, str) else who
    return step_perform_action(actor=actor, dossier=dossier, action=action, data=data)


def item_of(dossier):
    return current_item(
        ProcessRun.objects.get(dossier=dossier, status__in=["running", "waiting_consultation", "waiting_payment"])
    )


def test_start_processing_enters_the_process_and_the_reception_step_hands_over_at_once(world, running):
    run = ProcessRun.objects.get(dossier=running)
    item = current_item(run)
    assert (running.status, running.current_step) == ("processing", "Thẩm định hồ sơ")
    assert item.step.key == "tham-dinh" and item.assignee == world.staff["vl.specialist"]
    assert item.due_at == add_working_time(item.started_at, Decimal(3))
    handover = Handover.objects.get(dossier=running)
    assert (handover.from_user, handover.to_user) == (world.staff["vl.reception"], world.staff["vl.specialist"])
    assert handover.timeliness == Timeliness.ON_TIME or handover.timeliness == Timeliness.EARLY


def test_without_an_approved_process_the_dossier_runs_without_one(world):
    dossier = accepted_dossier(world)
    start(world, dossier)
    assert not ProcessRun.objects.filter(dossier=dossier).exists()


def test_running_dossiers_keep_the_version_they_started_with(world, running):
    v1 = ProcessRun.objects.get(dossier=running).process
    v2 = services.process_new_version(actor=world.dept_leader, process=v1)
    services.process_set_steps(
        actor=world.dept_leader,
        process=v2,
        steps=[{"name": "Xử lý nhanh", "role": "specialist", "duration_days": 2, "actions": ["deliver"]}],
    )
    world.approve(v2)
    v1.refresh_from_db()
    assert v1.status == "retired"
    act(world, running, "vl.specialist", "forward")
    assert item_of(running).step.process == v1 and item_of(running).step.key == "duyet"
    newer = accepted_dossier(world)
    start(world, newer)
    assert ProcessRun.objects.get(dossier=newer).process == v2


def test_forward_approve_sign_deliver_marks_the_dossier_processed(world, running):
    act(world, running, "vl.specialist", "forward", note="Hồ sơ đủ điều kiện")
    act(world, running, "vl.division_head", "approve")
    act(world, running, "vl.leader", "sign")
    assert item_of(running).assignee == world.staff["vl.clerk"]
    act(world, running, "vl.clerk", "deliver")
    running.refresh_from_db()
    assert running.status == "processed" and running.national_status == 9
    run = ProcessRun.objects.get(dossier=running)
    assert run.status == RunStatus.COMPLETED
    last = Handover.objects.filter(dossier=running).last()
    assert (last.action, last.to_agency) == ("deliver", world.district)
    assert Handover.objects.filter(dossier=running).count() == 5


def test_return_goes_back_to_an_earlier_step(world, running):
    act(world, running, "vl.specialist", "forward")
    act(world, running, "vl.division_head", "return", note="Bổ sung ý kiến thẩm định")
    item = item_of(running)
    assert (item.step.key, item.assignee) == ("tham-dinh", world.staff["vl.specialist"])
    with pytest.raises(ValidationFailed) as exc:
        act(world, running, "vl.specialist", "forward", to_step="ky")
    assert exc.value.code == "invalid_target_step"


def test_only_the_assignee_acts_and_only_with_actions_of_the_step(world, running):
    with pytest.raises(PermissionDeniedError) as exc:
        act(world, running, "vl.division_head", "forward")
    assert exc.value.code == "step_not_yours"
    with pytest.raises(PermissionDeniedError):
        act(world, running, "vg.specialist", "forward")  # same role, other district
    with pytest.raises(ConflictError) as exc:
        act(world, running, "vl.specialist", "sign")
    assert exc.value.code == "action_not_allowed"


def test_the_least_loaded_officer_with_the_role_is_assigned(world):
    world.active_template()
    second = StaffFactory(username="vl.specialist2", roles=[(Role.SPECIALIST, world.district)])
    first_dossier, second_dossier = accepted_dossier(world), accepted_dossier(world)
    start(world, first_dossier)
    start(world, second_dossier)
    assert {item_of(first_dossier).assignee, item_of(second_dossier).assignee} == {world.staff["vl.specialist"], second}


def test_the_forwarding_officer_may_pick_the_next_assignee_among_holders_of_the_role(world, running):
    other = StaffFactory(username="vl.head2", roles=[(Role.DIVISION_HEAD, world.district)])
    act(world, running, "vl.specialist", "forward", assignee="vl.head2")
    assert item_of(running).assignee == other
    with pytest.raises(ValidationFailed) as exc:
        act(world, running, other, "approve", assignee="vl.clerk")  # the next step is the leader's
    assert exc.value.code == "assignee_without_role"


def test_consultation_has_its_own_deadline_and_the_dossier_waits(world, running):
    act(
        world, running, "vl.specialist", "consult", agency=world.department.code, question="Xin ý kiến về ...", days="2"
    )
    consultation = Consultation.objects.get(run__dossier=running)
    assert consultation.due_at == add_working_time(consultation.requested_at, Decimal(2))
    with pytest.raises(ConflictError) as exc:
        act(world, running, "vl.specialist", "forward")
    assert exc.value.code == "run_waiting"
    from dichvucong.workflows.processing import consultation_answer

    with pytest.raises(PermissionDeniedError):
        consultation_answer(actor=world.staff["vl.leader"], consultation=consultation, answer="Đồng ý")
    consultation_answer(actor=world.dept_specialist, consultation=consultation, answer="Đồng ý")
    consultation.refresh_from_db()
    assert consultation.timeliness in (Timeliness.EARLY, Timeliness.ON_TIME)
    assert ProcessRun.objects.get(dossier=running).status == RunStatus.RUNNING
    act(world, running, "vl.specialist", "forward")


def test_consultation_days_cannot_exceed_the_legal_time(world, running):
    with pytest.raises(ValidationFailed) as exc:
        act(world, running, "vl.specialist", "consult", agency=world.department.code, question="?", days="30")
    assert exc.value.code == "invalid_days"


def test_transfer_continues_at_the_receiving_agency_under_its_own_process(world):
    world.active_template(
        tier="commune",
        steps=[
            {"key": "tn", "name": "Tiếp nhận", "role": "reception", "duration_days": "0.5", "actions": ["forward"]},
            {
                "key": "cc",
                "name": "Công chức tư pháp xem xét",
                "role": "specialist",
                "duration_days": "1",
                "actions": ["transfer", "deliver"],
            },
        ],
    )
    world.active_template(
        tier="district",
        steps=[
            {
                "key": "td",
                "name": "Phòng Tư pháp thẩm định",
                "role": "specialist",
                "duration_days": "2",
                "actions": ["forward"],
            },
            {"key": "ky", "name": "Lãnh đạo huyện ký", "role": "leader", "duration_days": "1", "actions": ["deliver"]},
        ],
    )
    dossier = accepted_dossier(world, agency=world.commune)
    start(world, dossier)
    act(world, dossier, "ld.specialist", "transfer", agency=world.district.code, note="Liên thông lên huyện")
    runs = list(ProcessRun.objects.filter(dossier=dossier).order_by("started_at", "id"))
    assert [r.status for r in runs] == [RunStatus.TRANSFERRED, RunStatus.RUNNING]
    assert runs[1].agency == world.district and runs[1].transferred_from == runs[0]
    item = item_of(dossier)
    assert (item.step.key, item.assignee) == ("td", world.staff["vl.specialist"])
    assert item.due_at == add_working_time(item.started_at, Decimal(2))
    with pytest.raises(PermissionDeniedError):
        act(world, dossier, "ld.specialist", "forward")  # the commune no longer holds the step
    act(world, dossier, "vl.specialist", "forward")
    act(world, dossier, "vl.leader", "deliver")
    dossier.refresh_from_db()
    assert dossier.status == "processed"
    transfer = Handover.objects.get(dossier=dossier, action="transfer")
    assert (transfer.from_agency, transfer.to_agency) == (world.commune, world.district)


def test_transfer_needs_a_process_at_the_receiving_agency(world, running):
    with pytest.raises(ValidationFailed) as exc:
        act(world, running, "vl.specialist", "transfer", agency=world.commune.code)
    assert exc.value.code == "no_process_at_agency"


def _with_fee(dossier, amount=50_000):
    from dichvucong.catalog.models import FeeRule

    FeeRule.objects.create(procedure=dossier.procedure, order=1, name="Lệ phí", kind="fixed", amount=amount)


def test_request_payment_makes_the_dossier_wait_until_paid(world, running, django_capture_on_commit_callbacks):
    from dichvucong.dossiers.services import dossier_transition
    from dichvucong.payments.models import FeeAssessment

    _with_fee(running)
    act(world, running, "vl.specialist", "request_payment")
    assert ProcessRun.objects.get(dossier=running).status == RunStatus.WAITING_PAYMENT
    # The payments app assessed the fees and asked the applicant to pay: national status 6.
    running.refresh_from_db()
    assert (running.status, running.national_status) == ("payment_requested", 6)
    assert FeeAssessment.objects.get(dossier=running).total == 50_000
    with pytest.raises(ConflictError):
        act(world, running, "vl.specialist", "forward")
    # The platform confirms the payment (payments: `pay`, national status 4 again): the run resumes at its step.
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(actor="payment-platform", dossier=running, name="pay", role_checked=True)
    assert ProcessRun.objects.get(dossier=running).status == RunStatus.RUNNING
    act(world, running, "vl.specialist", "forward")
    assert item_of(running).step.key == "duyet"


def test_step_timeliness_is_early_on_time_or_late_against_the_step_due_time():
    due = timezone.make_aware(datetime.datetime(2021, 3, 17, 16, 0))
    assert timeliness_of(due - datetime.timedelta(days=1), due) == Timeliness.EARLY
    assert timeliness_of(due - datetime.timedelta(hours=2), due) == Timeliness.ON_TIME
    assert timeliness_of(due + datetime.timedelta(minutes=1), due) == Timeliness.LATE


def test_the_payment_confirmation_resumes_a_run_waiting_for_payment(world, running):
    from dichvucong.dossiers.registry import LifecycleEvent, registry

    _with_fee(running)
    act(world, running, "vl.specialist", "request_payment")
    registry.emit(
        LifecycleEvent("dossier.pay", dossier=running, from_status="payment_requested", to_status="processing")
    )
    assert ProcessRun.objects.get(dossier=running).status == RunStatus.RUNNING

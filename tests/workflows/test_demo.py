"""The demo: every demo procedure has an approved, active process that fits its legal time."""

from decimal import Decimal

import pytest

from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Procedure
from dichvucong.workflows.demo import (
    TIER_ORDER,
    fees_can_be_due,
    is_staffed,
    processing_agencies,
    standard_steps,
)
from dichvucong.workflows.models import Process, ProcessStatus
from dichvucong.workflows.selectors import process_for
from dichvucong.workflows.services import specs_from_payload
from dichvucong.workflows.validation import validate_definition


@pytest.mark.parametrize("days", ["1", "2", "3", "5", "7", "10", "30"])
def test_the_standard_shape_fits_every_processing_time(days):
    steps = standard_steps(Decimal(days), fees_due=True, transfer=True)
    assert validate_definition(specs_from_payload(steps), legal_days=Decimal(days)) == []
    assert [s["role"] for s in steps] == ["reception", "specialist", "division_head", "leader", "clerk"]


def test_seven_days_is_reception_half_specialist_four_head_one_leader_one_clerk_half():
    assert [s["duration_hours"] / 8 for s in standard_steps(Decimal(7))] == [Decimal("0.5"), 4, 1, 1, Decimal("0.5")]


@pytest.mark.django_db
def test_every_demo_procedure_resolves_to_an_active_process_where_it_is_offered(demo):
    vanlam, commune = Agency.objects.get(code="000.00.23.H31"), Agency.objects.get(code="000.02.23.H31")
    procedures = list(Procedure.objects.prefetch_related("offerings"))
    assert procedures
    for procedure in procedures:
        for tier in procedure.tier_list:
            if tier == "district":
                assert process_for(procedure=procedure, agency=vanlam).status == ProcessStatus.ACTIVE
            elif tier == "commune":
                assert process_for(procedure=procedure, agency=commune).tier == "commune"
            else:
                for offering in procedure.offerings.all():
                    if offering.agency_id:
                        assert process_for(procedure=procedure, agency=offering.agency) is not None
    assert Process.objects.filter(status=ProcessStatus.SUBMITTED, owner_agency__code="000.00.04.H31").count() == 1


def _active_demo_processes():
    return (
        Process.objects.filter(status=ProcessStatus.ACTIVE)
        .select_related("procedure")
        .prefetch_related("steps", "procedure__fees", "procedure__offerings__agency")
    )


@pytest.mark.django_db
def test_request_payment_is_offered_only_for_procedures_with_fees_to_pay(demo):
    with_fees = without_fees = 0
    for process in _active_demo_processes():
        offered = any("request_payment" in step.actions for step in process.steps.all())
        has_fees = fees_can_be_due(process.procedure)
        assert offered == has_fees, (process.procedure_id, process.scope_code)
        with_fees, without_fees = with_fees + has_fees, without_fees + (not has_fees)
    assert with_fees and without_fees  # both kinds are in the demo


def _staffed_units_and_receivers(process):
    """The staffed units running `process`, and for each the other staffed units that could receive a transfer."""
    procedure, tier = process.procedure, process.tier or process.agency.tier
    staffed = [a for a in processing_agencies(procedure, tier) if is_staffed(a)]
    higher = [
        a
        for t in procedure.tier_list
        if TIER_ORDER.index(t) > TIER_ORDER.index(tier)
        for a in processing_agencies(procedure, t)
        if is_staffed(a)
    ]
    return {
        unit: [r for r in (*staffed, *higher) if r != unit and process_for(procedure=procedure, agency=r)]
        for unit in staffed
    }


@pytest.mark.django_db
def test_transfer_is_offered_only_where_another_staffed_unit_can_receive_it(demo):
    offering = set()
    for process in _active_demo_processes():
        receivers = _staffed_units_and_receivers(process)
        if any("transfer" in step.actions for step in process.steps.all()):
            assert receivers and all(receivers.values()), (process.procedure_id, process.scope_code)
            offering.add((process.procedure.code, process.tier or process.agency.tier))
        else:
            assert not any(receivers.values()), (process.procedure_id, process.scope_code)
    assert {tier for _, tier in offering} == {"district", "commune"}  # two staffed districts; no department
    # a commune (only Như Quỳnh is staffed) passes on only the procedures its district also handles
    assert {code for code, tier in offering if tier == "commune"} == {"2.000635", "2.000815", "2.000884", "2.000942"}


@pytest.mark.django_db
def test_the_steps_of_a_free_procedure_offer_no_payment_and_a_transfer_reaches_an_officer(demo):
    from dichvucong.accounts.models import User
    from dichvucong.dossiers.models import Dossier
    from dichvucong.dossiers.services import dossier_start_processing
    from dichvucong.workflows.models import ProcessRun, RunStatus
    from dichvucong.workflows.processing import allowed_actions, current_item, open_run, step_perform_action

    nhu_quynh, van_lam = Agency.objects.get(code="000.01.23.H31"), Agency.objects.get(code="000.00.23.H31")
    reception, specialist = (User.objects.get(username=f"nhuquynh.{r}") for r in ("reception", "specialist"))

    def dossier(code):
        from django.utils import timezone

        now = timezone.now()
        created = Dossier.objects.create(
            code=f"{nhu_quynh.code}-{now:%y%m%d}-9{code[-3:]}",
            procedure=Procedure.objects.get(code=code),
            agency=nhu_quynh,
            applicant_name="Nguyễn Văn An",
            applicant_id_number="033090001234",
            status="accepted",
            submitted_at=now,
            received_at=now,
            accepted_at=now,
            due_at=now,
        )
        return dossier_start_processing(actor=reception, dossier=created)

    birth = dossier("1.001193")  # Đăng ký khai sinh: no fee when registered on time
    assert current_item(open_run(birth)).assignee == specialist
    assert allowed_actions(specialist, open_run(birth)) == ["forward", "consult"]

    copy = dossier("2.000815")  # Chứng thực bản sao: per-page fee, also handled by the district
    assert set(allowed_actions(specialist, open_run(copy))) == {"forward", "consult", "transfer", "request_payment"}
    step_perform_action(actor=specialist, dossier=copy, action="transfer", data={"agency": van_lam.code})
    run = ProcessRun.objects.get(dossier=copy, status=RunStatus.RUNNING)
    assert run.agency == van_lam and current_item(run).assignee.username == "vanlam.reception"


@pytest.mark.django_db
def test_the_province_admin_reviews_a_new_version_of_a_demo_tier_template(demo):
    from dichvucong.accounts.models import User
    from dichvucong.workflows.services import process_new_version, process_review, process_submit

    template = (
        Process.objects.filter(scope="tier", tier="commune", status=ProcessStatus.ACTIVE)
        .order_by("procedure__code")
        .first()
    )
    assert template.owner_agency.code == "000.00.01.H31"
    office_admin, controller = (
        User.objects.get(username="vpubnd.agencyadmin"),
        User.objects.get(username="vpubnd.admin"),
    )
    draft = process_submit(actor=office_admin, process=process_new_version(actor=office_admin, process=template))

    reviewed = process_review(actor=controller, process=draft, note="Đạt yêu cầu")

    assert reviewed.status == ProcessStatus.REVIEWED and reviewed.reviewed_by == controller

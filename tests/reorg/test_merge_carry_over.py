"""Merging two departments and two districts with open dossiers at every status: the dossiers keep their codes and
deadlines, continue at the successor to their results; finished ones stay where they were handled."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.accounts.models import RoleAssignment
from dichvucong.agencies.models import Agency, AgencySuccession
from dichvucong.agencies.selectors import successor_map
from dichvucong.audit.models import AuditEntry
from dichvucong.catalog.selectors import offering_for
from dichvucong.common.errors import ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.selectors import dossier_lookup, dossier_timeline
from dichvucong.reorg.models import PlanStatus
from dichvucong.reorg.services import plan_apply
from dichvucong.workflows.models import ProcessRun, WorkItem
from dichvucong.workflows.selectors import process_for
from tests.dossiers.factories import DossierFactory, officers_at, walk_process
from tests.reorg.factories import OPEN_TRAITS, approved_plan, dossiers_at, merge_operations

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(world):
    world.before = {
        "investment": dossiers_at(world.plan_dept, world.investment),
        "driving": dossiers_at(world.transport, world.driving),
        "household": dossiers_at(world.districts[0], world.household),
        "land": dossiers_at(world.districts[1], world.land),
    }
    world.officers = {"plan_dept": officers_at(world.plan_dept), "transport": officers_at(world.transport)}
    world.plan = approved_plan(merge_operations(world))
    world.summary = plan_apply(actor="test", plan=world.plan)
    world.new_district = Agency.objects.get(code="000.00.31.H31")
    return world


def _fresh(dossier):
    return Dossier.objects.select_related("agency").get(pk=dossier.pk)


def test_open_dossiers_move_with_codes_and_deadlines_finished_ones_stay(merged):
    w = merged
    moves = {
        "investment": (w.plan_dept, w.finance),
        "driving": (w.transport, w.construction),
        "household": (w.districts[0], w.new_district),
        "land": (w.districts[1], w.new_district),
    }
    for group, (old, new) in moves.items():
        for trait, before in w.before[group].items():
            after = _fresh(before)
            assert after.code == before.code, (group, trait)
            assert after.due_at == before.due_at, (group, trait)
            assert after.status == before.status
            expected = old if trait == "returned" else new
            assert after.agency_id == expected.pk, (group, trait)
            if trait != "draft":
                assert after.code.startswith(old.code)  # TT 01/2018: the code never changes
            if trait != "returned":
                assert after.events.filter(action="reorganised").count() == 1
                labels = [row["label"] for row in dossier_timeline(after)]
                assert "Chuyển cơ quan giải quyết do sắp xếp tổ chức bộ máy" in labels
            for run in ProcessRun.objects.filter(dossier=after, status__in=["running", "waiting_payment"]):
                assert run.agency_id == new.pk
                assert not WorkItem.objects.filter(run=run, completed_at__isnull=True).exclude(agency=new).exists()
    assert Agency.objects.get(pk=w.plan_dept.pk).valid_to == timezone.localdate() - datetime.timedelta(days=1)
    assert w.new_district.is_active_on(timezone.localdate())


def test_successions_and_successor_map(merged):
    w = merged
    mapping = successor_map()
    assert mapping[w.plan_dept.pk] == w.finance.pk
    assert mapping[w.transport.pk] == w.construction.pk
    assert mapping[w.districts[0].pk] == w.new_district.pk == mapping[w.districts[1].pk]
    assert w.finance.pk not in mapping  # not succeeded: stands for itself
    # Before the effective date nothing was succeeded yet.
    assert successor_map(timezone.localdate() - datetime.timedelta(days=1)) == {}
    assert AgencySuccession.objects.filter(predecessor=w.plan_dept, primary=True).count() == 1
    # The communes of the merged districts now report to the new district (their codes stay).
    assert {c.parent_id for c in Agency.objects.filter(pk__in=[c.pk for c in w.communes])} == {w.new_district.pk}


def test_roles_offerings_processes_move(merged):
    w = merged
    for officer in w.officers["plan_dept"].values():
        assert RoleAssignment.objects.filter(user=officer, agency=w.finance, active=True).exists()
        assert not RoleAssignment.objects.filter(user=officer, agency=w.plan_dept, active=True).exists()
    today = timezone.localdate()
    assert offering_for(procedure=w.investment, agency=w.finance, on=today) is not None
    assert offering_for(procedure=w.investment, agency=w.plan_dept, on=today) is None
    assert offering_for(procedure=w.investment, agency=w.plan_dept, on=today - datetime.timedelta(days=1)) is not None
    assert process_for(procedure=w.investment, agency=w.finance) is not None
    assert process_for(procedure=w.driving, agency=w.construction) is not None
    # Every change left an audit row.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "reorg_plan.approve",
        "reorg_plan.applied",
        "agency.succession",
        "role.reorganised",
        "offering.reorganised",
        "process.reorganised",
        "dossier.reorganised",
    } <= actions


def test_dossiers_walk_to_their_results_at_the_successor(merged):
    w = merged
    for group, successor in (("investment", w.finance), ("driving", w.construction), ("household", w.new_district)):
        officers = officers_at(successor)
        for trait in ("accepted", "processing", "supplement_requested", "new"):
            dossier = _fresh(w.before[group][trait])
            if trait == "supplement_requested":
                continue  # waits for the applicant
            if trait in ("new",):
                dossier = DossierFactory._step(dossier, "accept", officers)
            if trait in ("new", "accepted"):
                dossier = DossierFactory._step(dossier, "start_processing", officers)
            dossier = walk_process(dossier, fallback=officers["specialist"])
            assert dossier.status == "processed", (group, trait)
            dossier = DossierFactory._step(dossier, "deliver", officers)
            assert dossier.status == "result_returned"
            assert dossier.agency_id == successor.pk
            assert dossier.code == w.before[group][trait].code


def test_old_codes_still_resolve_and_new_dossiers_get_new_codes(merged):
    w = merged
    before = w.before["investment"]["processing"]
    found = dossier_lookup(code=before.code, id_number=before.applicant_id_number)
    assert found.pk == before.pk and found.agency_id == w.finance.pk
    fresh = DossierFactory(agency=w.finance, procedure=w.investment)
    assert fresh.code.startswith(w.finance.code + "-")
    with pytest.raises(ValidationFailed) as refused:
        DossierFactory(agency=w.plan_dept, procedure=w.investment)
    assert refused.value.code == "unknown_agency"


def test_summary_counts(merged):
    w = merged
    moved = len(OPEN_TRAITS)
    assert w.summary[f"dossiers:{w.plan_dept.code}"] == {"moved": moved}
    assert w.plan.__class__.objects.get(pk=w.plan.pk).status == PlanStatus.APPLIED


def test_queues_follow_to_the_successor(merged):
    from dichvucong.workflows.queues import queue
    from tests.factories import StaffFactory

    w = merged
    dossier = _fresh(w.before["investment"]["processing"])
    item = WorkItem.objects.get(run__dossier=dossier, completed_at__isnull=True)
    assert item.agency_id == w.finance.pk
    # The officer who held the step keeps it in "mine"; a leader of the successor sees it in the team queue.
    assert item in queue(item.assignee, "mine")
    finance_leader = StaffFactory(roles=[("leader", w.finance)])
    assert item in queue(finance_leader, "team")
    # A leader of the old unit's other successor does not.
    assert item not in queue(StaffFactory(roles=[("leader", w.construction)]), "team")


def test_old_codes_resolve_for_owners_and_the_successors_officers(merged):
    from dichvucong.dossiers.selectors import dossier_get_for
    from dichvucong.results.selectors import dossier_for_result

    w = merged
    for trait in ("processing", "returned"):
        before = w.before["investment"][trait]
        assert dossier_for_result(user=before.owner, reference=before.code).pk == before.pk
    # The officers (their roles moved to the successor) reach the carried-over dossier by its old code.
    officer = w.officers["plan_dept"]["specialist"]
    open_one = w.before["investment"]["processing"]
    assert dossier_get_for(user=officer, reference=open_one.code).pk == open_one.pk

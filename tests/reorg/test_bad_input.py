"""Bad plans: a specific error and nothing changed; applying twice; a crash half-way resumes cleanly."""

import pytest
from django.utils import timezone

from dichvucong.agencies.models import Agency, AgencySuccession
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier, DossierEvent
from dichvucong.reorg import services
from dichvucong.reorg.models import JournalEntry, Plan, PlanStatus
from dichvucong.reorg.services import plan_apply, plan_approve, plan_create
from tests.factories import StaffFactory
from tests.reorg.factories import approved_plan, dossiers_at, merge_operations
from tests.reorg.test_abolish_tier import abolish_operation

pytestmark = pytest.mark.django_db


def _draft(operations, **kwargs):
    return plan_create(
        actor="test",
        title=kwargs.pop("title", "Phương án"),
        legal_basis="Nghị quyết 202/2025/QH15",
        effective_on=kwargs.pop("effective_on", timezone.localdate()),
        operations=operations,
    )


def _snapshot():
    return (
        list(Agency.objects.order_by("pk").values_list("pk", "parent_id", "valid_to", "name")),
        list(Dossier.objects.order_by("pk").values_list("pk", "agency_id")),
        AgencySuccession.objects.count(),
    )


def _refused(plan, code):
    before = _snapshot()
    with pytest.raises(ValidationFailed) as error:
        plan_approve(actor="test", plan=plan)
    assert error.value.code == code
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    assert _snapshot() == before
    return error.value


def test_a_procedure_left_without_an_agency_blocks(world):
    operation = abolish_operation(world, procedures={world.household.code: "commune"})  # land forgotten
    error = _refused(_draft([operation]), "procedure_without_agency")
    assert world.land.code in error.detail


def test_a_procedure_sent_to_an_agency_the_plan_closes_blocks(world):
    operations = [
        abolish_operation(world, procedures={world.household.code: "commune", world.land.code: world.transport.code}),
        {"kind": "merge", "spec": {"sources": [world.transport.code], "target": {"code": world.construction.code}}},
    ]
    _refused(_draft(operations), "procedure_without_agency")


def test_merging_into_its_own_child_blocks(world):
    operation = {
        "kind": "merge",
        "spec": {"sources": [world.districts[0].code], "target": {"code": world.communes[0].code}},
    }
    _refused(_draft([operation]), "merge_into_own_child")


def test_a_new_unit_under_the_merged_unit_blocks(world):
    target = {"code": "000.02.23.H31", "name": "UBND xã mới", "kind": "peoples_committee", "tier": "commune"}
    operation = {
        "kind": "merge",
        "spec": {"sources": [world.districts[0].code], "target": {**target, "parent": world.districts[0].code}},
    }
    _refused(_draft([operation]), "merge_into_own_child")


def test_an_agency_in_two_operations_blocks(world):
    operations = [
        {"kind": "merge", "spec": {"sources": [world.transport.code], "target": {"code": world.construction.code}}},
        {"kind": "merge", "spec": {"sources": [world.transport.code], "target": {"code": world.finance.code}}},
    ]
    _refused(_draft(operations), "agency_in_two_operations")


def test_an_unknown_agency_blocks(world):
    operation = {"kind": "merge", "spec": {"sources": ["000.00.77.H31"], "target": {"code": world.finance.code}}}
    _refused(_draft([operation]), "unknown_agency")


def test_overlapping_plan_dates_block(world):
    approved_plan(merge_operations(world)[:1], title="Hợp nhất Sở KH&ĐT")
    later = _draft(merge_operations(world)[1:2], title="Hợp nhất Sở GTVT")
    _refused(later, "plan_dates_overlap")


def test_an_earlier_plan_after_a_later_one_on_the_same_agency_blocks(world):
    approved_plan(merge_operations(world)[:1], effective_on=timezone.localdate())
    earlier = _draft(
        [{"kind": "rename", "spec": {"agency": world.plan_dept.code, "name": "Sở Kế hoạch – Đầu tư"}}],
        effective_on=timezone.localdate().replace(day=1) - timezone.timedelta(days=1),
    )
    _refused(earlier, "plan_dates_overlap")


def test_applying_twice_is_refused_and_changes_nothing(world):
    dossiers_at(world.plan_dept, world.investment, traits=("processing",))
    plan = approved_plan(merge_operations(world))
    plan_apply(actor="test", plan=plan)
    journal = JournalEntry.objects.filter(plan=plan).count()
    before = _snapshot()
    with pytest.raises(ConflictError) as error:
        plan_apply(actor="test", plan=plan)
    assert error.value.code == "plan_already_applied"
    assert JournalEntry.objects.filter(plan=plan).count() == journal
    assert _snapshot() == before


def test_a_draft_or_future_plan_is_not_applied(world):
    draft = _draft(merge_operations(world))
    with pytest.raises(ConflictError) as error:
        plan_apply(actor="test", plan=draft)
    assert error.value.code == "plan_not_approved"
    future = approved_plan(merge_operations(world)[:1], effective_on=timezone.localdate() + timezone.timedelta(days=3))
    with pytest.raises(ConflictError) as error:
        plan_apply(actor="test", plan=future)
    assert error.value.code == "plan_not_yet_effective"
    assert services.plans_apply_due(actor="test") == []


def test_only_the_province_admin_drafts_and_applies(world):
    officer = StaffFactory(roles=[("leader", world.finance)])
    with pytest.raises(PermissionDeniedError):
        plan_create(
            actor=officer,
            title="x",
            legal_basis="y",
            effective_on=timezone.localdate(),
            operations=merge_operations(world),
        )
    plan = approved_plan(merge_operations(world))
    with pytest.raises(PermissionDeniedError):
        plan_apply(actor=officer, plan=plan)
    admin = StaffFactory(roles=[("province_admin", None)])
    plan_apply(actor=admin, plan=plan)


class Crash(Exception):
    pass


def test_a_crash_half_way_resumes_without_duplicating_or_losing(world, monkeypatch):
    moved = dossiers_at(
        world.plan_dept, world.investment, traits=("new", "accepted", "processing", "processed", "draft")
    )
    finished = dossiers_at(world.plan_dept, world.investment, traits=("returned",))
    plan = approved_plan(merge_operations(world))
    calls = []

    def crash_on_second_dossier_batch(key):
        calls.append(key)
        if key == f"dossiers:{world.plan_dept.code}:2":
            raise Crash(key)

    monkeypatch.setattr(services, "_checkpoint", crash_on_second_dossier_batch)
    with pytest.raises(Crash):
        plan_apply(actor="test", plan=plan, batch_size=2)
    # The first batch is committed and journalled; the second rolled back whole.
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPLYING
    assert set(JournalEntry.objects.filter(plan=plan).values_list("key", flat=True)) == {
        "structure",
        f"dossiers:{world.plan_dept.code}:1",
    }
    at_successor = Dossier.objects.filter(pk__in=[d.pk for d in moved.values()], agency=world.finance).count()
    assert at_successor == 2
    assert Agency.objects.get(pk=world.plan_dept.pk).valid_to is None  # not closed yet

    monkeypatch.setattr(services, "_checkpoint", lambda key: None)
    services.plans_apply_due(actor="celery")  # the beat task resumes it
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPLIED
    for dossier in moved.values():
        assert Dossier.objects.get(pk=dossier.pk).agency_id == world.finance.pk
        assert DossierEvent.objects.filter(dossier=dossier, action="reorganised").count() == 1
    assert Dossier.objects.get(pk=finished["returned"].pk).agency_id == world.plan_dept.pk
    keys = list(JournalEntry.objects.filter(plan=plan).values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    details = dict(JournalEntry.objects.filter(plan=plan).values_list("key", "detail"))
    # Resumed by the beat task (batches of 200): the second batch took the remaining three.
    assert details[f"dossiers:{world.plan_dept.code}:2"] == {"moved": 3}
    assert details[f"dossiers:{world.plan_dept.code}"] == {"moved": 5}
    assert AgencySuccession.objects.filter(predecessor=world.plan_dept).count() == 1
    assert Agency.objects.get(pk=world.plan_dept.pk).valid_to is not None


def test_the_command_applies_and_refuses_twice(world):
    import io

    from django.core.management import CommandError, call_command

    plan = approved_plan(merge_operations(world))
    out = io.StringIO()
    call_command("reorg_apply", str(plan.uuid), "--batch-size", "1", stdout=out)
    assert "Applied" in out.getvalue()
    with pytest.raises(CommandError, match="plan_already_applied"):
        call_command("reorg_apply", str(plan.uuid), stdout=io.StringIO())

"""Split (per procedure, with a primary part), rename (same code) and move (under another parent)."""

import pytest

from dichvucong.accounts.models import RoleAssignment
from dichvucong.agencies.models import Agency, AgencySuccession
from dichvucong.agencies.selectors import successor_map
from dichvucong.dossiers.models import Dossier
from dichvucong.reorg.services import plan_apply
from tests.factories import ProcedureFactory, StaffFactory
from tests.reorg.factories import approved_plan, dossiers_at

pytestmark = pytest.mark.django_db


def test_split_sends_listed_procedures_to_their_part_and_the_rest_to_the_primary(world):
    toll = ProcedureFactory(code="1.005555", name="Cấp phép khai thác tuyến", agencies=[world.transport.code])
    driving = dossiers_at(world.transport, world.driving, traits=("processing",))["processing"]
    tolls = dossiers_at(world.transport, toll, traits=("new",))["new"]
    officer = StaffFactory(roles=[("specialist", world.transport)])
    plan = approved_plan(
        [
            {
                "kind": "split",
                "spec": {
                    "source": world.transport.code,
                    "parts": [
                        {"target": {"code": world.construction.code}, "procedures": []},
                        {"target": {"code": world.finance.code}, "procedures": [toll.code]},
                    ],
                    "primary": world.construction.code,
                },
            }
        ]
    )
    plan_apply(actor="test", plan=plan)
    assert Dossier.objects.get(pk=driving.pk).agency_id == world.construction.pk
    assert Dossier.objects.get(pk=tolls.pk).agency_id == world.finance.pk
    assert RoleAssignment.objects.get(user=officer, role="specialist").agency_id == world.construction.pk
    assert successor_map()[world.transport.pk] == world.construction.pk
    rows = AgencySuccession.objects.filter(predecessor=world.transport)
    assert {(r.successor_id, r.primary) for r in rows} == {(world.construction.pk, True), (world.finance.pk, False)}


def test_rename_keeps_the_code_and_move_changes_the_parent(world):
    dossier = dossiers_at(
        world.finance, ProcedureFactory(code="1.006666", agencies=[world.finance.code]), traits=("new",)
    )["new"]
    plan = approved_plan(
        [
            {
                "kind": "rename",
                "spec": {"agency": world.finance.code, "name": "Sở Tài chính (mới)", "short_name": "STC"},
            },
            {"kind": "move", "spec": {"agency": world.communes[0].code, "parent": world.districts[1].code}},
        ]
    )
    plan_apply(actor="test", plan=plan)
    finance = Agency.objects.get(pk=world.finance.pk)
    assert (finance.code, finance.name, finance.valid_to) == (world.finance.code, "Sở Tài chính (mới)", None)
    assert Dossier.objects.get(pk=dossier.pk).agency_id == finance.pk
    commune = Agency.objects.get(pk=world.communes[0].pk)
    assert commune.parent_id == world.districts[1].pk
    assert commune.path == f"{world.districts[1].path}{commune.pk}/"
    assert successor_map() == {}  # nothing was succeeded


def test_a_split_without_a_primary_part_blocks(world):
    from dichvucong.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        approved_plan(
            [
                {
                    "kind": "split",
                    "spec": {
                        "source": world.transport.code,
                        "parts": [{"target": {"code": world.finance.code}, "procedures": []}],
                        "primary": world.construction.code,
                    },
                }
            ]
        )
    assert error.value.code == "split_without_primary"

"""Abolishing the district tier: each district's work goes to its successor commune, except the procedures the plan
sends up to a province agency; the tier's offerings and processes move down or up as the plan says per procedure."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.agencies.models import Agency, TierModel
from dichvucong.agencies.selectors import province_settings, successor_map
from dichvucong.catalog.models import Procedure
from dichvucong.catalog.selectors import offering_for
from dichvucong.dossiers.models import Dossier
from dichvucong.reorg.services import plan_apply
from dichvucong.workflows.selectors import process_for
from tests.reorg.factories import approved_plan, dossiers_at

pytestmark = pytest.mark.django_db


def abolish_operation(world, **extra) -> dict:
    spec = {
        "tier": "district",
        "parent": world.province.code,
        "successors": {d.code: c.code for d, c in zip(world.districts, world.communes, strict=True)},
        "procedures": {world.household.code: "commune", world.land.code: world.construction.code},
        "vocabulary_2025": True,
    }
    spec.update(extra)
    return {"kind": "abolish_tier", "spec": spec}


@pytest.fixture
def abolished(world):
    world.household_dossiers = dossiers_at(
        world.districts[0], world.household, traits=("new", "processing", "returned")
    )
    world.land_dossiers = dossiers_at(world.districts[1], world.land, traits=("accepted", "processing", "returned"))
    world.plan = approved_plan([abolish_operation(world)])
    plan_apply(actor="test", plan=world.plan)
    return world


def test_procedures_are_offered_where_the_plan_says(abolished):
    w = abolished
    today = timezone.localdate()
    household, land = Procedure.objects.get(pk=w.household.pk), Procedure.objects.get(pk=w.land.pk)
    assert household.tier_list == ["commune"]
    assert land.tier_list == ["province"]
    for commune in w.communes:
        assert offering_for(procedure=household, agency=commune, on=today) is not None
        assert offering_for(procedure=land, agency=commune, on=today) is None
    assert offering_for(procedure=land, agency=w.construction, on=today) is not None
    # The district templates close the day before (kept for the history).
    template = household.offerings.get(tier="district")
    assert template.valid_to == today - datetime.timedelta(days=1)
    assert process_for(procedure=household, agency=w.communes[0]) is not None
    assert process_for(procedure=land, agency=w.construction) is not None


def test_open_dossiers_go_down_or_up_per_procedure(abolished):
    w = abolished
    for trait, dossier in w.household_dossiers.items():
        expected = w.districts[0] if trait == "returned" else w.communes[0]
        assert Dossier.objects.get(pk=dossier.pk).agency_id == expected.pk
    for trait, dossier in w.land_dossiers.items():
        expected = w.districts[1] if trait == "returned" else w.construction
        assert Dossier.objects.get(pk=dossier.pk).agency_id == expected.pk


def test_two_tier_mode_and_tree(abolished):
    w = abolished
    settings_row = province_settings()
    today = timezone.localdate()
    assert settings_row.tier_model == TierModel.TWO_TIER
    assert settings_row.tier_model_since == today
    assert settings_row.tier_model_on(today - datetime.timedelta(days=1)) == TierModel.THREE_TIER
    assert settings_row.active_tiers == ["province", "commune"]
    assert settings_row.uses_2025_vocabulary()
    assert not Agency.objects.active_on(today).filter(tier="district").exists()
    for commune in w.communes:
        commune = Agency.objects.get(pk=commune.pk)
        assert commune.parent_id == w.province.pk
        assert commune.path == f"{w.province.path}{commune.pk}/"
    mapping = successor_map()
    assert mapping[w.districts[0].pk] == w.communes[0].pk


def test_two_tier_mode_refuses_new_district_work(abolished):
    from dichvucong.agencies.services import agency_create
    from dichvucong.common.errors import ValidationFailed
    from tests.catalog.factories import load_records, procedure_record
    from tests.factories import ApprovedProcessFactory

    w = abolished
    with pytest.raises(ValidationFailed) as error:
        agency_create(
            actor="test",
            code="000.00.35.H31",
            name="Ủy ban nhân dân huyện mới",
            tier="district",
            kind="peoples_committee",
            parent=w.province,
        )
    assert error.value.code == "tier_not_in_model"
    with pytest.raises(ValidationFailed) as error:
        load_records(procedure_record("9.900001", "Thủ tục cấp huyện", tiers=("district",)))
    assert "hai cấp" in str(error.value.fields)
    assert not Procedure.objects.filter(code="9.900001").exists()
    # The commune tier works as before: a tier template process for a commune procedure.
    household = Procedure.objects.get(pk=w.household.pk)
    assert ApprovedProcessFactory(procedure=household, agency=None, tier="commune", owner_agency=w.province)
    with pytest.raises(ValidationFailed) as error:
        ApprovedProcessFactory(procedure=household, agency=None, tier="district", owner_agency=w.province)
    assert error.value.code in ("invalid_tier", "tier_not_in_model")

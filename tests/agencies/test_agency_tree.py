import datetime

import pytest

from dichvucong.agencies.models import Agency, AgencyKind, ProvinceSettings, Tier, TierModel
from dichvucong.agencies.selectors import agency_ancestors, agency_descendants, agency_list, province_settings
from dichvucong.agencies.services import agency_create, agency_retire, agency_update, province_settings_set
from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ValidationFailed


@pytest.mark.django_db
class TestTreeQueries:
    def test_descendants_of_a_district_are_its_communes(self, demo):
        van_lam = demo["000.00.23.H31"]
        communes = agency_descendants(van_lam)
        assert communes.count() == 11
        assert set(communes.values_list("tier", flat=True)) == {Tier.COMMUNE}
        assert all(code.endswith(".23.H31") for code in communes.values_list("code", flat=True))

    def test_descendants_of_the_province_are_every_other_unit(self, demo):
        province = demo["000.00.00.H31"]
        assert agency_descendants(province).count() == Agency.objects.count() - 1
        assert agency_descendants(province, include_self=True).count() == Agency.objects.count()

    def test_ancestors_run_from_the_root_down(self, demo):
        nhu_quynh = Agency.objects.get(name="Ủy ban nhân dân thị trấn Như Quỳnh")
        assert [a.code for a in agency_ancestors(nhu_quynh)] == ["000.00.00.H31", "000.00.23.H31"]

    def test_demo_has_the_2021_structure(self, demo):
        assert Agency.objects.filter(tier=Tier.PROVINCE, kind=AgencyKind.DEPARTMENT).count() >= 15
        districts = agency_list(tier=Tier.DISTRICT)
        assert districts.count() == 10
        assert "Ủy ban nhân dân huyện Văn Giang" in {d.name for d in districts}
        assert agency_list(parent_code="000.00.24.H31").count() >= 3

    def test_search_ignores_diacritics_and_case(self, demo):
        assert [a.code for a in agency_list(q="so tu phap")] == ["000.00.04.H31"]
        assert [a.code for a in agency_list(q="NHƯ QUỲNH")] == [
            demo["000.00.23.H31"].children.get(name__contains="Như Quỳnh").code
        ]


@pytest.mark.django_db
class TestActivePeriod:
    def test_a_retired_unit_leaves_the_current_list_but_keeps_its_history(self, demo):
        commune = demo["000.00.23.H31"].children.first()
        agency_retire(actor="test", agency=commune, valid_to=datetime.date(2025, 6, 30))
        assert commune not in agency_list(active_on=datetime.date(2025, 7, 1))
        assert commune in agency_list(active_on=datetime.date(2025, 6, 30))
        assert Agency.objects.filter(pk=commune.pk).exists()
        assert AuditEntry.objects.filter(action="agency.update", object_id=commune.code).exists()

    def test_end_before_start_is_refused(self, demo):
        commune = demo["000.00.23.H31"].children.first()
        with pytest.raises(ValidationFailed) as excinfo:
            agency_retire(actor="test", agency=commune, valid_to=datetime.date(1999, 1, 1))
        assert excinfo.value.code == "agency_invalid_period"


@pytest.mark.django_db
class TestAgencyCreate:
    def test_a_code_outside_the_parents_branch_is_refused(self, demo):
        with pytest.raises(ValidationFailed) as excinfo:
            agency_create(
                actor="test",
                code="000.20.24.H31",
                name="Xã lạc nhánh",
                tier=Tier.COMMUNE,
                kind=AgencyKind.PEOPLES_COMMITTEE,
                parent=demo["000.00.23.H31"],
            )
        assert excinfo.value.code == "agency_code_outside_parent"
        assert not Agency.objects.filter(code="000.20.24.H31").exists()

    def test_only_the_province_may_have_no_parent(self, db):
        with pytest.raises(ValidationFailed) as excinfo:
            agency_create(
                actor="test", code="000.00.05.H31", name="Sở mồ côi", tier=Tier.PROVINCE, kind=AgencyKind.DEPARTMENT
            )
        assert excinfo.value.code == "agency_parent_required"

    def test_duplicate_codes_are_refused(self, demo):
        with pytest.raises(ValidationFailed) as excinfo:
            agency_create(
                actor="test",
                code="000.00.04.H31",
                name="Trùng",
                tier=Tier.PROVINCE,
                kind=AgencyKind.DEPARTMENT,
                parent=demo["000.00.00.H31"],
            )
        assert excinfo.value.code == "agency_code_taken"

    def test_structure_fields_cannot_be_edited_directly(self, demo):
        with pytest.raises(ValidationFailed) as excinfo:
            agency_update(actor="test", agency=demo["000.00.04.H31"], code="000.00.99.H31")
        assert excinfo.value.code == "agency_structure_immutable"


@pytest.mark.django_db
def test_province_setting_switches_between_three_and_two_tiers(demo):
    assert province_settings().active_tiers == [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE]
    province_settings_set(
        actor="test",
        name="Hưng Yên",
        code_suffix="H31",
        tier_model=TierModel.TWO_TIER,
        tier_model_since=datetime.date(2025, 7, 1),
    )
    settings_row = ProvinceSettings.objects.get()
    assert settings_row.active_tiers == [Tier.PROVINCE, Tier.COMMUNE]
    assert settings_row.tier_model_since == datetime.date(2025, 7, 1)
    assert AuditEntry.objects.filter(action="province.settings").exists()

"""Two tiers (after a plan abolishes the district tier): the agency pickers, the "where to submit" of a procedure
page and the catalogue's tiers offer province and commune units only — no closed district, no district group, no
"cấp huyện" choice; the date before the change still reads with three tiers."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.agencies.models import Tier
from dichvucong.dossiers.views.common import agency_choices
from dichvucong.reorg.services import plan_apply
from tests.reorg.factories import approved_plan, dossiers_at
from tests.reorg.test_abolish_tier import abolish_operation

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tier(world):
    dossiers_at(world.districts[0], world.household, traits=("new",))
    plan_apply(actor="test", plan=approved_plan([abolish_operation(world)]))
    return world


def _options(html: str, select_id: str) -> tuple[list[str], list[str]]:
    """(option values, optgroup labels) of the <select id=select_id> of a page."""
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, select_id
    body = match.group(1)
    return re.findall(r'<option value="([^"]*)"', body), re.findall(r'<optgroup label="([^"]*)"', body)


def _no_district(world, values: list[str], groups: list[str]) -> None:
    for district in world.districts:
        assert district.code not in values
    assert not [label for label in groups if label.lower().startswith(("huyện", "thị xã", "thành phố"))], groups


def test_catalogue_tier_filter_offers_province_and_commune_only(two_tier):
    html = Client().get("/thu-tuc/").content.decode()

    values, _groups = _options(html, "f-tier")
    assert values == ["", Tier.PROVINCE, Tier.COMMUNE]
    assert str(Tier.DISTRICT.label) not in re.search(r'id="f-tier".*?</select>', html, re.S).group(0)


def test_catalogue_lists_procedures_with_province_or_commune_tiers(two_tier):
    w = two_tier
    html = Client().get("/thu-tuc/", {"q": w.household.name}).content.decode()
    row = re.search(rf"{w.household.code}.*?</tr>", html, re.S).group(0)
    assert str(Tier.COMMUNE.label) in row and str(Tier.DISTRICT.label) not in row


def test_catalogue_agency_picker_has_no_district(two_tier):
    w = two_tier
    html = Client().get("/thu-tuc/").content.decode()

    values, groups = _options(html, "f-agency")
    _no_district(w, values, groups)
    assert {c.code for c in w.communes} <= set(values) and w.construction.code in values


def test_where_to_submit_on_a_procedure_page_lists_communes_not_districts(two_tier):
    w = two_tier
    response = Client().get(f"/thu-tuc/{w.household.code}/")

    rows = response.context["agencies_offering"]
    assert {row["code"] for row in rows} == {c.code for c in w.communes}
    assert {row["tier"] for row in rows} == {Tier.COMMUNE}
    html = response.content.decode()
    for district in w.districts:
        assert district.name not in html
    groups = response.context["online_agency_groups"]
    _no_district(w, [i["code"] for g in groups for i in g["items"]], [str(g["label"]) for g in groups])
    # The procedure sent up to a province agency is submitted there.
    rows = Client().get(f"/thu-tuc/{w.land.code}/").context["agencies_offering"]
    assert [row["code"] for row in rows] == [w.construction.code]


def test_online_services_agency_picker_has_no_district(two_tier):
    w = two_tier
    response = Client().get("/dich-vu-cong-truc-tuyen/")
    groups = response.context["agency_groups"]
    _no_district(w, [a.code for g in groups for a in g["items"]], [str(g["label"]) for g in groups])


def test_agencies_api_offers_no_district(two_tier):
    w = two_tier
    client = Client()
    codes = {row["code"] for row in client.get("/api/v1/agencies/", {"page_size": 100}).json()["results"]}
    assert codes and not codes & {d.code for d in w.districts}
    assert client.get("/api/v1/agencies/", {"tier": "district"}).json()["results"] == []


def test_the_day_before_still_reads_with_three_tiers(two_tier):
    w = two_tier
    before = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    rows = Client().get(f"/thu-tuc/{w.household.code}/", {"as_of": before}).context["agencies_offering"]
    assert {row["code"] for row in rows} == {d.code for d in w.districts}


def test_the_catalogue_of_a_date_before_offers_the_district_tier(two_tier):
    before = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    html = Client().get("/thu-tuc/", {"as_of": before}).content.decode()

    values, _groups = _options(html, "f-tier")
    assert values == ["", Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE]


def test_the_consult_and_transfer_picker_of_the_dossier_page_has_no_district(two_tier):
    w = two_tier
    groups = agency_choices(exclude=w.communes[0].pk)

    values = [a.code for g in groups for a in g["items"]]
    _no_district(w, values, [str(g["label"]) for g in groups])
    assert w.communes[1].code in values and w.communes[0].code not in values

import json

import pytest

from dichvucong.agencies.models import Agency
from dichvucong.catalog.demo import DATA_FILE
from dichvucong.catalog.forms_schema import schema_errors, validate_form_data
from dichvucong.catalog.models import Offering, Procedure
from dichvucong.catalog.selectors import level4_services_by_agency, procedures_offered_by
from dichvucong.common.errors import ValidationFailed


def test_demo_data_file_has_60_distinct_procedures_with_sources():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    codes = [item["code"] for item in data["procedures"]]
    assert len(codes) >= 60 and len(set(codes)) == len(codes)
    assert all(item["source"] for item in data["procedures"])
    assert {t for item in data["procedures"] for t in item["tiers"]} == {"province", "district", "commune"}


@pytest.mark.django_db
def test_demo_catalogue_loads_idempotently_and_offers_level_4_at_so_tu_phap_and_van_lam(demo):
    from dichvucong.demo.loader import load_demo

    counts = (Procedure.objects.count(), Offering.objects.count())
    load_demo()
    assert (Procedure.objects.count(), Offering.objects.count()) == counts
    assert counts[0] >= 60
    for code in ("000.00.04.H31", "000.00.23.H31"):
        assert level4_services_by_agency(Agency.objects.get(code=code)).count() >= 3
    communes = Agency.objects.filter(tier="commune")[:2]
    assert {p.code for p in procedures_offered_by(communes[0])} == {p.code for p in procedures_offered_by(communes[1])}


SCHEMA = [
    {"name": "child_name", "label": "Họ tên", "type": "text", "required": True},
    {"name": "birth", "label": "Ngày sinh", "type": "date", "required": True},
    {"name": "gender", "label": "Giới tính", "type": "select", "required": True, "choices": ["Nam", "Nữ"]},
    {"name": "copies", "label": "Số bản", "type": "number", "required": False},
    {"name": "agree", "label": "Cam đoan", "type": "checkbox", "required": True},
]


def test_form_data_is_cleaned_against_the_schema():
    cleaned = validate_form_data(
        SCHEMA, {"child_name": " An ", "birth": "2024-01-02", "gender": "Nam", "agree": "on", "unknown": "x"}
    )
    assert cleaned == {"child_name": "An", "birth": "2024-01-02", "gender": "Nam", "agree": True}


def test_form_data_errors_name_every_bad_field():
    with pytest.raises(ValidationFailed) as exc:
        validate_form_data(SCHEMA, {"birth": "02/01/2024", "gender": "Khác", "copies": "hai", "agree": False})
    assert set(exc.value.fields) == {"child_name", "birth", "gender", "copies", "agree"}


def test_schema_definitions_are_checked():
    assert schema_errors([{"name": "a b", "label": "", "type": "color"}])
    assert schema_errors(SCHEMA) == []

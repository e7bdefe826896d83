"""Length and range checks of a submission (issue 12, item 2): each absurd value is a specific 400 with a Vietnamese
message naming the field, and nothing is written. On PostgreSQL the long values were 500s (varchar overflow)."""

import pytest

from dichvucong.dossiers.models import Dossier
from tests.conftest import auth_client

from .conftest import FORM, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/"


def body(world, user, **extra):
    data = {
        "procedure": world.procedure.code,
        "agency": world.agency.code,
        "form_data": FORM,
        "attachments": [
            {"upload": str(upload(user).uuid), "document": world.docs[0].pk},
            {"upload": str(upload(user).uuid), "document": world.docs[1].pk},
        ],
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("applicant", "field", "message"),
    [
        ({"full_name": "A" * 201}, "full_name", "Tối đa 200 ký tự."),
        ({"address": "đ" * 301}, "address", "Tối đa 300 ký tự."),
        ({"phone": "0" * 21}, "phone", "Tối đa 20 ký tự."),
        ({"email": "a" * 290 + "@example.vn"}, "email", "Tối đa 254 ký tự."),
        ({"organisation": "x" * 301}, "organisation", "Tối đa 300 ký tự."),
    ],
)
def test_over_long_applicant_fields_are_400_in_vietnamese(world, applicant, field, message):
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, applicant=applicant), format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "validation_error"
    assert data["fields"]["applicant"][field] == [message]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        ({"phone": "call-me-maybe"}, "applicant.phone"),
        ({"phone": "12"}, "applicant.phone"),
        ({"email": "not-an-email"}, "applicant.email"),
    ],
)
def test_phone_and_email_formats_are_checked_by_the_service(world, applicant, field):
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, applicant=applicant), format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "applicant_invalid"
    assert field in data["fields"] and data["fields"][field][0]
    assert not Dossier.objects.exists()


def test_a_valid_phone_and_email_pass(world):
    applicant = {"phone": "+84 912.345-678", "email": "an@example.vn"}
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, applicant=applicant), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["applicant"]["phone"] == "+84 912.345-678"


def test_summary_over_500_is_refused_not_truncated(world):
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, summary="s" * 600), format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["summary"] == ["Tối đa 500 ký tự."]
    assert not Dossier.objects.exists()


def test_idempotency_key_over_100_is_refused_not_truncated(world):
    client = auth_client(world.citizen)
    response = client.post(URL, body(world, world.citizen), format="json", HTTP_IDEMPOTENCY_KEY="k" * 500)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "idempotency_key_too_long" and "100" in data["detail"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "birth_date",
    ["2099-01-01", "0001-01-01", 20260101, "20260101", "2026-1-1", ["2020-01-01"], {"y": 2020}, "1899-12-31"],
)
def test_birth_dates_are_strict_and_in_range(world, birth_date):
    form = {**FORM, "birth_date": birth_date}
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, form_data=form), format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "form_data_invalid"
    assert data["fields"]["birth_date"][0]
    assert not Dossier.objects.exists()


def test_english_drf_messages_are_translated(world):
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, sets_count="abc"), format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["sets_count"] == ["Phải là một số nguyên."]
    response = auth_client(world.citizen).post(URL, {"agency": world.agency.code}, format="json")
    assert response.json()["fields"]["procedure"] == ["Trường này là bắt buộc."]


def test_form_number_bounds():
    from dichvucong.catalog.forms_schema import validate_form_data
    from dichvucong.common.errors import ValidationFailed

    schema = [
        {"name": "copies", "label": "Số bản", "type": "number", "required": True, "integer": True, "min": 1, "max": 50},
        {"name": "area", "label": "Diện tích", "type": "number", "required": False},
    ]
    assert validate_form_data(schema, {"copies": 3, "area": "12.5"}) == {"copies": "3", "area": "12.5"}
    for bad in (
        {"copies": -5},
        {"copies": 0},
        {"copies": 51},
        {"copies": 2.5},
        {"copies": 1, "area": -1},
        {"copies": 1, "area": "1e30"},
        {"copies": 1, "area": 10**30},
        {"copies": True},
    ):
        with pytest.raises(ValidationFailed) as caught:
            validate_form_data(schema, bad)
        assert caught.value.code == "form_data_invalid"

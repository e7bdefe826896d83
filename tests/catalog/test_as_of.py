"""The catalogue as of a date shows each procedure as recorded that day (its version): name, level, processing
days, documents and fees, and the level filters apply to that version."""

import datetime

import pytest

from dichvucong.catalog.models import Procedure, RequiredDocument
from dichvucong.catalog.services import decision_create, decision_publish
from tests.catalog.conftest import load_records, procedure_record

D = datetime.date
LIST = "/api/v1/procedures/"


@pytest.fixture
def published(tree, make_staff):
    """2021-01-01: 1.001612 at level 3, 3 days, one document and a 10,000 fee. Decision effective 2021-08-05: level
    4, 2 days, a new name, two documents, a 20,000 fee; HY.OLD.01 retired."""
    load_records(
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3),
        procedure_record("HY.OLD.01", "Thủ tục cũ sẽ bãi bỏ", level=2),
    )
    admin = make_staff("province_admin")
    decision = decision_create(
        actor=admin,
        number="123/QĐ-UBND",
        title="Công bố",
        signed_on=D(2021, 8, 2),
        signer="Chủ tịch",
        effective_on=D(2021, 8, 5),
        changes=[
            {
                "kind": "change",
                "procedure_code": "1.001612",
                "payload": {
                    "online_level": 4,
                    "processing_days": "2",
                    "name": "Đăng ký hộ kinh doanh (toàn trình)",
                    "required_documents": [
                        {"name": "Giấy đề nghị đăng ký hộ kinh doanh"},
                        {"name": "Bản sao CCCD", "originals": 0, "copies": 1},
                    ],
                    "fees": [{"name": "Lệ phí đăng ký", "kind": "fixed", "amount": 20000}],
                },
            },
            {"kind": "retire", "procedure_code": "HY.OLD.01"},
        ],
    )
    decision_publish(actor=admin, decision=decision)
    return {**tree, "admin": admin}


def _rows(client, **params):
    return {row["code"]: row for row in client.get(LIST, params).json()["results"]}


def test_the_list_as_of_a_past_date_shows_the_past_level_name_and_processing_days(published, api_client):
    before = _rows(api_client, as_of="2021-06-01")["1.001612"]
    assert (before["online_level"], before["online_mode"], before["processing_days"], before["name"]) == (
        3,
        "partial",
        3.0,
        "Đăng ký thành lập hộ kinh doanh",
    )
    after = _rows(api_client, as_of="2021-09-01")["1.001612"]
    assert (after["online_level"], after["online_mode"], after["processing_days"], after["name"]) == (
        4,
        "full",
        2.0,
        "Đăng ký hộ kinh doanh (toàn trình)",
    )
    assert _rows(api_client)["1.001612"]["online_level"] == 4  # today: the live procedure


def test_level_and_mode_filters_apply_to_the_version_in_force_that_day(published, api_client):
    assert list(_rows(api_client, as_of="2021-06-01", online_level="3")) == ["1.001612"]
    assert list(_rows(api_client, as_of="2021-06-01", online_mode="partial")) == ["1.001612"]
    assert list(_rows(api_client, as_of="2021-06-01", online_level="4")) == []
    assert list(_rows(api_client, as_of="2021-06-01", online_mode="none")) == ["HY.OLD.01"]
    assert list(_rows(api_client, as_of="2021-09-01", online_level="4")) == ["1.001612"]
    assert list(_rows(api_client, as_of="2021-09-01", online_level="3")) == []


def test_with_an_agency_the_past_level_is_that_of_its_dated_offering(published, api_client):
    rows = _rows(api_client, as_of="2021-06-01", agency=published["van_lam"].code, online_level="3")
    assert rows["1.001612"]["online_level"] == 3 and rows["1.001612"]["processing_days"] == 3.0
    assert _rows(api_client, as_of="2021-06-01", agency=published["van_lam"].code, online_level="4") == {}


def test_the_detail_as_of_a_date_shows_that_days_documents_fees_and_level(published, api_client):
    body = api_client.get("/api/v1/procedures/1.001612/", {"as_of": "2021-06-01"}).json()
    assert body["name"] == "Đăng ký thành lập hộ kinh doanh" and body["online_level"] == 3
    assert body["processing_days"] == 3.0
    assert [d["name"] for d in body["required_documents"]] == ["Tờ khai"]
    first_document = RequiredDocument.objects.get(procedure__code="1.001612", order=1)
    assert body["required_documents"][0]["id"] == first_document.pk  # ids are kept by position
    assert [f["amount"] for f in body["fees"]] == [10000]
    assert [a["online_level"] for a in body["agencies_offering"]] == [3, 3]
    today = api_client.get("/api/v1/procedures/1.001612/").json()
    assert [d["name"] for d in today["required_documents"]] == ["Giấy đề nghị đăng ký hộ kinh doanh", "Bản sao CCCD"]
    assert [f["amount"] for f in today["fees"]] == [20000] and today["online_level"] == 4


def test_the_detail_of_a_procedure_not_in_force_that_day_is_404(published, api_client):
    response = api_client.get("/api/v1/procedures/HY.OLD.01/", {"as_of": "2021-09-01"})
    assert response.status_code == 404 and response.json()["code"] == "procedure_not_in_force"
    assert api_client.get("/api/v1/procedures/HY.OLD.01/", {"as_of": "2021-06-01"}).status_code == 200
    bad = api_client.get("/api/v1/procedures/1.001612/", {"as_of": "01/06/2021"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_date"


def test_showing_a_past_version_changes_nothing_stored(published, api_client):
    api_client.get("/api/v1/procedures/1.001612/", {"as_of": "2021-06-01"})
    api_client.get(LIST, {"as_of": "2021-06-01"})
    procedure = Procedure.objects.get(code="1.001612")
    assert procedure.online_level == 4 and procedure.name == "Đăng ký hộ kinh doanh (toàn trình)"
    assert procedure.required_documents.count() == 2


def test_the_pages_show_the_catalogue_as_of_a_date(published, client):
    listing = client.get("/thu-tuc/", {"as_of": "2021-06-01"}).content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in listing and "(toàn trình)" not in listing
    assert "Mức 3" in listing and "/thu-tuc/1.001612/?as_of=2021-06-01" in listing
    detail = client.get("/thu-tuc/1.001612/", {"as_of": "2021-06-01"}).content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in detail and "Tờ khai" in detail
    assert "Bản sao CCCD" not in detail and "Nộp trực tuyến" not in detail and "01/06/2021" in detail
    assert client.get("/thu-tuc/HY.OLD.01/", {"as_of": "2021-09-01"}).status_code == 404
    assert "Bản sao CCCD" in client.get("/thu-tuc/1.001612/").content.decode()


def test_with_an_agency_the_tier_is_that_agencys_tier(tree, api_client):
    load_records(procedure_record("1.001193", "Đăng ký khai sinh", tiers=["district", "commune"]))
    commune = _rows(api_client, agency=tree["lac_dao"].code)["1.001193"]
    district = _rows(api_client, agency=tree["van_lam"].code)["1.001193"]
    assert (commune["tier"], district["tier"]) == ("commune", "district")
    assert _rows(api_client)["1.001193"]["tier"] == "district"


def test_the_as_of_notice_is_translated(published, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/thu-tuc/1.001612/", {"as_of": "2021-06-01"}).content.decode()
    assert "The procedure as it stood on 01/06/2021" in html and "See the current version" in html

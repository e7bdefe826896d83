import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dichvucong.catalog.models import CatalogDecision, ChangeRequest, Procedure
from dichvucong.catalog.services import catalog_export_records, change_request_submit, decision_create
from dichvucong.catalog.transfer import dump_json
from tests.catalog.conftest import load_records, procedure_record
from tests.conftest import auth_client

DECISION = {
    "number": "5/QĐ-UBND",
    "title": "Công bố",
    "signed_on": "2021-08-02",
    "signer": "Chủ tịch",
    "effective_on": "2021-08-05",
    "publish": True,
    "changes": [{"kind": "change", "procedure_code": "1.001612", "payload": {"online_level": 4}}],
}


@pytest.fixture
def catalog(tree, make_staff):
    load_records(
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3),
        procedure_record("1.001193", "Đăng ký khai sinh", tiers=["commune"]),
    )
    return {
        **tree,
        "admin": make_staff("province_admin"),
        "vanlam_admin": make_staff("agency_admin", tree["van_lam"]),
        "vanlam_reception": make_staff("reception", tree["van_lam"]),
        "vangiang_admin": make_staff("agency_admin", tree["van_giang"]),
    }


def test_list_api_searches_without_diacritics_and_filters_by_agency(catalog, api_client):
    body = api_client.get("/api/v1/procedures/", {"q": "dang ky khai sinh"}).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "code": "1.001193",
        "uuid": body["results"][0]["uuid"],
        "name": "Đăng ký khai sinh",
        "field": "ho-tich",
        "field_name": "Hộ tịch",
        "tier": "commune",
        "tiers": ["commune"],
        "online_level": 4,
        "online_mode": "full",
        "processing_days": 3.0,
        "processing_hours": None,
        "processing_time": "3 ngày làm việc",
    }
    by_agency = api_client.get("/api/v1/procedures/", {"agency": catalog["van_lam"].code}).json()
    assert [(r["code"], r["online_level"]) for r in by_agency["results"]] == [("1.001612", 3)]


def test_list_api_rejects_bad_filters(catalog, api_client):
    assert api_client.get("/api/v1/procedures/", {"tier": "planet"}).json()["code"] == "invalid_tier"
    assert api_client.get("/api/v1/procedures/", {"agency": "000.99.99.H31"}).status_code == 404


def test_detail_api_has_documents_fees_and_agencies(catalog, api_client):
    body = api_client.get("/api/v1/procedures/1.001612/").json()
    assert body["required_documents"][0]["name"] == "Tờ khai" and "id" in body["required_documents"][0]
    assert body["fees"][0]["amount"] == 10000
    assert body["legal_basis"] == "Luật Hộ tịch 2014" and body["result"] == "Giấy tờ"
    assert [a["code"] for a in body["agencies_offering"]] == sorted(
        [catalog["van_lam"].code, catalog["van_giang"].code]
    )
    assert api_client.get("/api/v1/procedures/KHONG.CO/").status_code == 404


def _make_procedures(count: int) -> None:
    load_records(*[procedure_record(f"T.{i:03d}", f"Thủ tục {i}") for i in range(count)])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "thu tuc"},
        {"agency": "AGENCY"},
        {"as_of": "2021-06-01"},
        {"as_of": "2021-06-01", "online_level": "4"},
        {"as_of": "2021-06-01", "agency": "AGENCY", "q": "thu tuc"},
    ],
)
def test_list_api_query_count_is_constant(catalog, api_client, django_assert_num_queries, params):
    params = {k: (catalog["van_lam"].code if v == "AGENCY" else v) for k, v in params.items()}
    _make_procedures(5)
    expected = 3 if "agency" in params else 2  # (agency lookup), count, page
    with django_assert_num_queries(expected):
        api_client.get("/api/v1/procedures/", params)
    _make_procedures(30)
    with django_assert_num_queries(expected):
        assert api_client.get("/api/v1/procedures/", {**params, "page_size": 100}).status_code == 200


# --- publishing: only province_admin -----------------------------------------------------------------------


def test_province_admin_publishes_a_decision(catalog):
    response = auth_client(catalog["admin"]).post("/api/v1/catalog/decisions/", DECISION, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "published"
    assert Procedure.objects.get(code="1.001612").online_level == 4


@pytest.mark.parametrize("who", ["vanlam_admin", "vanlam_reception", "citizen", "monitor"])
def test_others_cannot_publish(catalog, who, citizen, make_staff):
    user = {"citizen": citizen, "monitor": make_staff("monitor")}.get(who) or catalog[who]
    response = auth_client(user).post("/api/v1/catalog/decisions/", DECISION, format="json")
    assert response.status_code == 403
    assert not CatalogDecision.objects.exists()


def test_anonymous_cannot_publish(catalog, api_client):
    assert api_client.post("/api/v1/catalog/decisions/", DECISION, format="json").status_code in (401, 403)


def test_only_province_admin_publishes_a_draft(catalog):
    draft = decision_create(
        actor=catalog["admin"],
        number="6/QĐ",
        title="x",
        signed_on=datetime.date(2021, 8, 2),
        signer="x",
        effective_on=datetime.date(2021, 8, 5),
        changes=DECISION["changes"],
    )
    url = f"/api/v1/catalog/decisions/{draft.uuid}/publish/"
    assert auth_client(catalog["vanlam_admin"]).post(url).status_code == 403
    assert auth_client(catalog["admin"]).post(url).json()["status"] == "published"


# --- import -------------------------------------------------------------------------------------------------


def _upload():
    records = catalog_export_records()
    records[0]["name"] = "Tên mới"
    return SimpleUploadedFile("catalog.json", dump_json(records), content_type="application/json")


def test_province_admin_imports_and_others_cannot(catalog):
    assert (
        auth_client(catalog["vanlam_admin"])
        .post("/api/v1/catalog/import/", {"file": _upload()}, format="multipart")
        .status_code
        == 403
    )
    response = auth_client(catalog["admin"]).post("/api/v1/catalog/import/", {"file": _upload()}, format="multipart")
    assert response.json() == {"created": 0, "updated": 2, "total": 2}


def test_import_api_reports_bad_rows(catalog):
    data = json.dumps({"procedures": [procedure_record("X", "Y", online_level=9)]}).encode()
    response = auth_client(catalog["admin"]).post(
        "/api/v1/catalog/import/", {"file": SimpleUploadedFile("c.json", data)}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["rows"][0]["row"] == "1"


def test_export_api_returns_excel(catalog, api_client):
    response = api_client.get("/api/v1/catalog/export/", {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert json.loads(io.BytesIO(api_client.get("/api/v1/catalog/export/").content).read())["procedures"]


# --- change requests ----------------------------------------------------------------------------------------

REQUEST = {"kind": "change", "procedure_code": "1.001612", "summary": "Nâng lên mức 4", "payload": {"online_level": 4}}


def test_agency_admin_sends_a_change_request_and_sees_its_age(catalog):
    client = auth_client(catalog["vanlam_admin"])
    response = client.post(
        "/api/v1/catalog/change-requests/", {**REQUEST, "agency": catalog["van_lam"].code}, format="json"
    )
    assert response.status_code == 201
    body = client.get("/api/v1/catalog/change-requests/").json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert body["results"][0]["age_working_days"] == 0 and body["results"][0]["status"] == "pending"


@pytest.mark.parametrize("who", ["vangiang_admin", "vanlam_reception"])
def test_wrong_agency_or_role_cannot_send_a_change_request(catalog, who):
    response = auth_client(catalog[who]).post(
        "/api/v1/catalog/change-requests/", {**REQUEST, "agency": catalog["van_lam"].code}, format="json"
    )
    assert response.status_code == 403


@pytest.fixture
def pending(catalog):
    return change_request_submit(actor=catalog["vanlam_admin"], agency=catalog["van_lam"], **REQUEST)


def test_other_agencies_do_not_see_a_request(catalog, pending):
    assert auth_client(catalog["vangiang_admin"]).get("/api/v1/catalog/change-requests/").json()["results"] == []
    url = f"/api/v1/catalog/change-requests/{pending.uuid}/reject/"
    assert auth_client(catalog["vangiang_admin"]).post(url, {"response": "x"}).status_code == 404


def test_requesting_agency_cannot_apply_or_reject_its_own_request(catalog, pending):
    client = auth_client(catalog["vanlam_admin"])
    draft = decision_create(
        actor=catalog["admin"],
        number="7/QĐ",
        title="x",
        signed_on=datetime.date(2021, 8, 2),
        signer="x",
        effective_on=datetime.date(2021, 8, 5),
    )
    base = f"/api/v1/catalog/change-requests/{pending.uuid}"
    assert client.post(f"{base}/apply/", {"decision": str(draft.uuid)}).status_code == 403
    assert client.post(f"{base}/reject/", {"response": "x"}).status_code == 403


def test_province_admin_applies_a_request_through_a_decision(catalog, pending):
    client = auth_client(catalog["admin"])
    draft = decision_create(
        actor=catalog["admin"],
        number="8/QĐ",
        title="x",
        signed_on=datetime.date(2021, 8, 2),
        signer="x",
        effective_on=datetime.date(2021, 8, 5),
    )
    response = client.post(f"/api/v1/catalog/change-requests/{pending.uuid}/apply/", {"decision": str(draft.uuid)})
    assert response.json()["status"] == "applied"
    client.post(f"/api/v1/catalog/decisions/{draft.uuid}/publish/")
    assert Procedure.objects.get(code="1.001612").online_level == 4
    assert ChangeRequest.objects.get().decision == draft


def test_province_admin_rejects_with_a_reason(catalog, pending):
    url = f"/api/v1/catalog/change-requests/{pending.uuid}/reject/"
    assert auth_client(catalog["admin"]).post(url, {"response": ""}).status_code == 400
    assert auth_client(catalog["admin"]).post(url, {"response": "Thiếu căn cứ"}).json()["status"] == "rejected"

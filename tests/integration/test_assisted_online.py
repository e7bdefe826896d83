"""A one-stop officer submits ONLINE on a citizen's behalf (issue 4 item 2): the citizen's account (found by CCCD)
owns the dossier, the officer is its creator, the history records the assistance; API and counter page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.accounts.models import User
from dichvucong.catalog.models import Procedure
from dichvucong.dossiers.demo import DEMO_PDF, SOTP, _sample_form
from dichvucong.dossiers.models import Dossier

from .conftest import CITIZEN_CCCD, client

pytestmark = pytest.mark.django_db
PROCEDURE = "3.000333"  # Sở Tư pháp, online (demo)


def _upload(username) -> str:
    response = client(username).post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile("to-khai.pdf", DEMO_PDF)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _payload(**extra) -> dict:
    procedure = Procedure.objects.get(code=PROCEDURE)
    citizen = User.objects.get(username="citizen")
    return {
        "procedure": PROCEDURE,
        "agency": SOTP,
        "channel": "online",
        "on_behalf_of": CITIZEN_CCCD,
        "form_data": _sample_form(procedure, citizen),
        "attachments": [
            {"upload": _upload("vanlam.reception"), "document": d.pk} for d in procedure.required_documents.all()
        ],
        **extra,
    }


def test_a_reception_officer_submits_online_for_a_citizen(demo, media):
    payload = _payload()
    response = client("vanlam.reception").post(
        "/api/v1/dossiers/", payload, format="json", headers={"Idempotency-Key": "assist-1"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["channel"], body["status"], body["national_status"]) == ("online", "new", 1)
    dossier = Dossier.objects.get(code=body["code"])
    assert (dossier.owner.username, dossier.created_by.username) == ("citizen", "vanlam.reception")
    assert dossier.agency.code == SOTP and dossier.applicant_id_number == CITIZEN_CCCD
    assert dossier.applicant_name == "Nguyễn Văn An"  # prefilled from the citizen's account
    event = dossier.events.get(action="submit")
    assert event.actor.username == "vanlam.reception" and "hỗ trợ nộp trực tuyến thay công dân" in event.note
    # The citizen follows it under "my dossiers"; Sở Tư pháp's one-stop desk receives it like any online dossier.
    assert body["code"] in [row["code"] for row in client("citizen").get("/api/v1/dossiers/").json()["results"]]
    assert "accept" in {
        a["name"] for a in client("sotp.reception").get(f"/api/v1/dossiers/{body['code']}/actions/").json()
    }
    # A retry with the same key returns the same dossier.
    again = client("vanlam.reception").post(
        "/api/v1/dossiers/", payload, format="json", headers={"Idempotency-Key": "assist-1"}
    )
    assert (
        again.json()["code"] == body["code"]
        and Dossier.objects.filter(created_by__username="vanlam.reception", idempotency_key="assist-1").count() == 1
    )


@pytest.mark.parametrize(
    ("username", "extra", "status", "code"),
    [
        ("vanlam.specialist", {}, 403, "permission_denied"),  # not a one-stop officer
        ("citizen2", {}, 403, "permission_denied"),  # a citizen cannot submit for another
        ("vanlam.reception", {"on_behalf_of": "033090009999"}, 404, "citizen_account_not_found"),
        ("vanlam.reception", {"on_behalf_of": "12345"}, 400, "invalid_id_number"),
        ("vanlam.reception", {"on_behalf_of": ""}, 403, "citizen_only"),
        ("vanlam.reception", {"channel": "counter"}, 400, "on_behalf_online_only"),
    ],
)
def test_assisted_submission_refusals(demo, media, username, extra, status, code):
    payload = _payload(**extra)
    if username != "vanlam.reception":
        payload["attachments"] = [
            {"upload": _upload(username), "document": a["document"]} for a in payload["attachments"]
        ]
    response = client(username).post("/api/v1/dossiers/", payload, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Dossier.objects.filter(agency__code=SOTP, created_by__username=username).exists()


def test_the_counter_page_submits_online_for_a_citizen(demo, media):
    browser = Client()
    browser.force_login(User.objects.get(username="vanlam.reception"))
    assert "/mot-cua/nop-truc-tuyen-thay/" in browser.get("/mot-cua/tiep-nhan/").content.decode()
    query = f"?id_number={CITIZEN_CCCD}&procedure={PROCEDURE}&agency=000.00.23.H31&agency_code={SOTP}"
    page = browser.get("/mot-cua/nop-truc-tuyen-thay/" + query)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    procedure = Procedure.objects.get(code=PROCEDURE)
    citizen = User.objects.get(username="citizen")
    data = {
        "full_name": citizen.full_name,
        "id_number": CITIZEN_CCCD,
        "phone": citizen.phone,
        **{f"f_{k}": v for k, v in _sample_form(procedure, citizen).items()},
        **{f"doc_{d.pk}": SimpleUploadedFile(f"{d.pk}.pdf", DEMO_PDF) for d in procedure.required_documents.all()},
    }
    response = browser.post("/mot-cua/nop-truc-tuyen-thay/" + query, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get(created_by__username="vanlam.reception", channel="online")
    assert dossier.owner == citizen and response["Location"].endswith(f"/mot-cua/ho-so/{dossier.code}/")
    assert browser.get(response["Location"]).status_code == 200


def test_the_assisted_page_is_refused_to_citizens_and_other_roles(demo):
    citizen, specialist = Client(), Client()
    citizen.force_login(User.objects.get(username="citizen"))
    specialist.force_login(User.objects.get(username="vanlam.specialist"))
    assert citizen.get("/mot-cua/nop-truc-tuyen-thay/").status_code == 403
    assert specialist.get("/mot-cua/nop-truc-tuyen-thay/").status_code == 404
    unknown = Client()
    unknown.force_login(User.objects.get(username="vanlam.reception"))
    page = unknown.get(f"/mot-cua/nop-truc-tuyen-thay/?id_number=033090009999&procedure={PROCEDURE}&agency_code={SOTP}")
    assert "Không tìm thấy tài khoản công dân" in page.content.decode()


def test_the_assisted_page_picks_the_procedure_and_the_agency_by_name(demo):
    browser = Client()
    browser.force_login(User.objects.get(username="vanlam.reception"))
    page = browser.get("/mot-cua/nop-truc-tuyen-thay/").content.decode()
    procedure = Procedure.objects.get(code=PROCEDURE)
    assert re.search(r'<select name="procedure"[^>]*data-picker', page)
    assert f'<option value="{PROCEDURE}">{PROCEDURE} – {procedure.name}</option>' in page
    assert re.search(r'<select name="agency_code"[^>]*data-picker', page) and "Mã thủ tục" not in page

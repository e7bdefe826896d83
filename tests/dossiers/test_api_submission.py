"""POST /api/v1/dossiers/: online submission, counter reception, drafts, idempotency, and bad input that
leaves nothing behind."""

import pytest

from dichvucong.common.models import Sequence
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent, Upload
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


def nothing_written():
    return (
        Dossier.objects.count() == 0
        and DossierEvent.objects.count() == 0
        and Attachment.objects.count() == 0
        and not Upload.objects.filter(used=True).exists()
        and Sequence.objects.count() == 0
    )


def test_citizen_submits_online_with_the_applicant_prefilled_from_the_account(world):
    response = auth_client(world.citizen).post(URL, body(world, world.citizen), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "new" and data["national_status"] == 1 and data["channel"] == "online"
    assert data["code"].startswith(f"{world.agency.code}-") and data["code"].endswith("-0001")
    assert data["applicant"]["full_name"] == "Nguyễn Văn An"
    assert data["applicant"]["id_number"] == world.citizen.id_number
    assert data["submitted_at"] and data["history"][0]["action"] == "submit"
    assert len(data["attachments"]) == 2 and Upload.objects.filter(used=True).count() == 2


def test_plain_upload_ids_cover_the_required_documents_in_order(world):
    ids = [str(upload(world.citizen).uuid), str(upload(world.citizen).uuid)]
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, attachments=ids), format="json")
    assert response.status_code == 201, response.json()
    assert [a["document"] for a in response.json()["attachments"]] == [world.docs[0].pk, world.docs[1].pk]


def test_idempotency_key_returns_the_same_dossier(world):
    client = auth_client(world.citizen)
    payload = body(world, world.citizen)
    first = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    second = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_idempotency_key_reused_with_another_body_is_refused(world):
    client = auth_client(world.citizen)
    client.post(URL, body(world, world.citizen), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = client.post(URL, body(world, world.citizen, summary="khác"), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"procedure": "9.999999"}, 400, "unknown_procedure"),
        ({"agency": "000.00.99.H31"}, 400, "unknown_agency"),
        ({"procedure": "1.000001"}, 400, "procedure_not_online"),
        ({"form_data": {"child_name": "A"}}, 400, "form_data_invalid"),
        ({"applicant": {"id_number": "12345"}}, 400, "invalid_id_number"),
        ({"attachments": []}, 400, "missing_mandatory_document"),
        ({"attachments": ["00000000-0000-0000-0000-000000000000"]}, 400, "upload_not_found"),
    ],
)
def test_bad_submissions_get_a_specific_error_and_write_nothing(world, change, status, code):
    payload = body(world, world.citizen)
    payload.update(change)
    response = auth_client(world.citizen).post(URL, payload, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert nothing_written()


def test_procedure_not_offered_by_the_agency(world):
    other = world.other
    world.procedure.offerings.filter(agency=other).delete()
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, agency=other.code), format="json")
    assert response.status_code == 400 and response.json()["code"] == "procedure_not_offered"
    assert nothing_written()


def test_another_citizens_upload_cannot_be_attached(world):
    payload = body(world, world.citizen)
    payload["attachments"][0]["upload"] = str(upload(world.citizen2).uuid)
    response = auth_client(world.citizen).post(URL, payload, format="json")
    assert response.json()["code"] == "upload_not_found"
    assert nothing_written()


def test_per_dossier_size_limit(world, settings):
    settings.DOSSIER_MAX_BYTES = 100
    response = auth_client(world.citizen).post(URL, body(world, world.citizen), format="json")
    assert response.status_code == 413 and response.json()["code"] == "dossier_too_large"
    assert nothing_written()


def test_anonymous_cannot_submit(world, api_client):
    assert api_client.post(URL, {}, format="json").status_code in (401, 403)


def test_draft_is_saved_without_code_then_resumed_and_submitted(world):
    client = auth_client(world.citizen)
    response = client.post(
        URL,
        {
            "procedure": world.procedure.code,
            "agency": world.agency.code,
            "draft": True,
            "form_data": {"child_name": "Bé"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    draft = response.json()
    assert draft["status"] == "draft" and draft["code"] is None and draft["national_status"] is None
    detail = f"{URL}{draft['id']}/"
    attachments = [{"upload": str(upload(world.citizen).uuid), "document": d.pk} for d in world.docs[:2]]
    response = client.patch(
        detail, {"form_data": {"birth_date": "2021-03-01"}, "attachments": attachments}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["form_data"] == {"child_name": "Bé", "birth_date": "2021-03-01"}
    response = client.post(f"{detail}actions/", {"action": "submit"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "new" and response.json()["code"]
    assert auth_client(world.reception).get(f"{URL}{response.json()['code']}/").status_code == 200


def test_drafts_are_invisible_to_officers(world):
    response = auth_client(world.citizen).post(
        URL, {"procedure": world.procedure.code, "agency": world.agency.code, "draft": True}, format="json"
    )
    assert auth_client(world.reception).get(f"{URL}{response.json()['id']}/").status_code == 404
    assert auth_client(world.reception).get(URL).json()["count"] == 0


def test_draft_submission_still_checks_mandatory_documents(world):
    client = auth_client(world.citizen)
    draft = client.post(
        URL,
        {"procedure": world.procedure.code, "agency": world.agency.code, "draft": True, "form_data": FORM},
        format="json",
    ).json()
    response = client.post(f"{URL}{draft['id']}/actions/", {"action": "submit"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "missing_mandatory_document"
    assert Dossier.objects.get().status == "draft" and Sequence.objects.count() == 0


def test_counter_reception_registers_at_the_officers_agency_and_accepts(world):
    payload = {
        "procedure": world.counter_only.code,
        "channel": "counter",
        "accept": True,
        "applicant": {"full_name": "Lê Văn Cường", "id_number": "033090009999", "phone": "0900000000"},
        "form_data": FORM,
        "received_documents": [d.pk for d in world.counter_only.required_documents.all()],
    }
    response = auth_client(world.reception).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["agency"]["code"] == world.agency.code
    assert data["channel"] == "counter" and data["national_channel"] == 1
    assert data["status"] == "accepted" and data["due_date"]
    assert len(data["received_documents"]) == 3


def test_counter_reception_links_the_dossier_to_the_citizens_account(world):
    payload = {
        "procedure": world.procedure.code,
        "channel": "counter",
        "form_data": FORM,
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": world.citizen.id_number},
        "received_documents": [world.docs[0].pk, world.docs[1].pk],
    }
    code = auth_client(world.reception).post(URL, payload, format="json").json()["code"]
    assert auth_client(world.citizen).get(f"{URL}{code}/").status_code == 200


def test_counter_reception_by_a_non_reception_role_is_refused(world):
    payload = {
        "procedure": world.procedure.code,
        "channel": "counter",
        "form_data": FORM,
        "applicant": {"full_name": "X", "id_number": "033090009999"},
    }
    assert auth_client(world.specialist).post(URL, payload, format="json").status_code == 403
    assert auth_client(world.citizen).post(URL, payload, format="json").status_code == 403
    payload["agency"] = world.other.code
    assert auth_client(world.reception).post(URL, payload, format="json").status_code == 403
    assert nothing_written()


def test_counter_reception_without_the_mandatory_documents_is_refused(world):
    payload = {
        "procedure": world.procedure.code,
        "channel": "counter",
        "form_data": FORM,
        "applicant": {"full_name": "X", "id_number": "033090009999"},
        "received_documents": [world.docs[0].pk],
    }
    response = auth_client(world.reception).post(URL, payload, format="json")
    assert response.status_code == 400 and response.json()["code"] == "missing_mandatory_document"
    assert nothing_written()


# --- number of paper sets (số bộ hồ sơ) and the tracking-book entry on the receipt (Mẫu 01) -------------------------


def counter_payload(world, **extra):
    payload = {
        "procedure": world.procedure.code,
        "channel": "counter",
        "accept": True,
        "form_data": FORM,
        "applicant": {"full_name": "Lê Văn Cường", "id_number": "033090009999"},
        "received_documents": [world.docs[0].pk, world.docs[1].pk],
    }
    payload.update(extra)
    return payload


def receipt_text(client, code) -> str:
    import io

    from pypdf import PdfReader

    pdf = client.get(f"{URL}{code}/forms/receipt.pdf")
    assert pdf.status_code == 200
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())


def test_counter_reception_records_the_number_of_sets_and_the_receipt_prints_it_with_the_book_entry(world):
    client = auth_client(world.reception)
    client.post(URL, counter_payload(world), format="json")  # number 0001 of the day
    response = client.post(URL, counter_payload(world, sets_count=3), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["sets_count"] == 3 and Dossier.objects.get(code=data["code"]).sets_count == 3
    day = data["code"].split("-")[-2]
    assert data["code"].endswith("-0002")
    text = receipt_text(client, data["code"])
    assert "2.Sốlượnghồsơ:3(bộ)" in text
    assert f"VàoSổtheodõihồsơ,Quyểnsố:{day},Sốthứtự:0002" in text
    assert "........" not in text.split("VàoSổtheodõihồsơ")[1][:40]


def test_the_number_of_sets_defaults_to_one(world):
    response = auth_client(world.reception).post(URL, counter_payload(world), format="json")
    assert response.json()["sets_count"] == 1


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"sets_count": 0}, "invalid_sets_count"),
        ({"sets_count": 21}, "invalid_sets_count"),
        ({"sets_count": -1}, "invalid_sets_count"),
    ],
)
def test_a_number_of_sets_outside_1_to_20_is_refused(world, extra, code):
    response = auth_client(world.reception).post(URL, counter_payload(world, **extra), format="json")
    assert response.status_code == 400 and response.json()["code"] == code
    assert "từ 1 đến 20" in response.json()["detail"] and "sets_count" in response.json()["fields"]
    assert nothing_written()


def test_an_online_dossier_is_one_set(world):
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, sets_count=2), format="json")
    assert response.status_code == 400 and response.json()["code"] == "sets_count_counter_only"
    assert nothing_written()
    response = auth_client(world.citizen).post(URL, body(world, world.citizen, sets_count=1), format="json")
    assert response.status_code == 201 and response.json()["sets_count"] == 1

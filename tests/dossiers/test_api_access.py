"""Who sees what: lists, details, actions, attachments, the public lookup; uploads and content sniffing."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from dichvucong.dossiers import services
from dichvucong.dossiers.models import Upload
from dichvucong.dossiers.submission import dossier_create
from tests.conftest import auth_client

from .conftest import ELF, PDF, PE, PNG, docx_bytes, submit_online, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/"


def test_list_own_dossiers_for_a_citizen_and_the_agencys_for_its_staff(world):
    mine = submit_online(world)
    theirs = submit_online(world, user=world.citizen2)
    elsewhere = submit_online(world, user=world.citizen2, agency_code=world.other.code)
    codes = lambda user: {row["code"] for row in auth_client(user).get(URL).json()["results"]}  # noqa: E731
    assert codes(world.citizen) == {mine.code}
    assert codes(world.citizen2) == {theirs.code, elsewhere.code}
    assert codes(world.reception) == {mine.code, theirs.code}
    assert codes(world.other_reception) == {elsewhere.code}
    assert codes(world.monitor) == {mine.code, theirs.code, elsewhere.code}


def test_list_filters(world):
    a = submit_online(world)
    b = submit_online(world)
    services.dossier_accept(actor=world.reception, dossier=b)
    client = auth_client(world.reception)
    assert [r["code"] for r in client.get(URL, {"status": "accepted"}).json()["results"]] == [b.code]
    assert [r["code"] for r in client.get(URL, {"status": "new", "channel": "online"}).json()["results"]] == [a.code]
    assert client.get(URL, {"channel": "counter"}).json()["count"] == 0
    assert client.get(URL, {"procedure": world.procedure.code}).json()["count"] == 2
    assert client.get(URL, {"status": "nonsense"}).json()["code"] == "invalid_status"


def test_list_query_count_does_not_grow_with_the_page(world, django_assert_max_num_queries):
    for _ in range(3):
        submit_online(world)
    client = auth_client(world.reception)
    with django_assert_max_num_queries(8) as small:
        client.get(URL)
    for _ in range(12):
        submit_online(world)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 15


@pytest.mark.parametrize("who", ["citizen2", "other_reception"])
def test_detail_actions_and_attachments_are_404_for_another_citizen_or_agency(world, who):
    d = submit_online(world)
    attachment = d.attachments.first()
    client = auth_client(getattr(world, who))
    assert client.get(f"{URL}{d.code}/").status_code == 404
    assert client.get(f"{URL}{d.code}/actions/").status_code == 404
    assert client.post(f"{URL}{d.code}/actions/", {"action": "accept"}, format="json").status_code == 404
    assert client.get(f"{URL}{d.code}/attachments/{attachment.uuid}/").status_code == 404


def test_detail_has_history_due_date_and_current_step(world):
    d = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    data = auth_client(world.citizen).get(f"{URL}{d.code}/").json()
    assert data["received_at"] and data["due_date"] == d.due_date.isoformat() and "current_step" in data
    assert [(h["action"], h["from_status"], h["to_status"]) for h in data["history"]] == [
        ("submit", "", "new"),
        ("accept", "new", "accepted"),
    ]
    assert set(data["history"][1]) == {"at", "actor", "action", "from_status", "to_status", "note"}


def test_actions_api_lists_and_performs(world):
    d = submit_online(world)
    client = auth_client(world.reception)
    actions = client.get(f"{URL}{d.code}/actions/").json()
    assert {a["kind"] for a in actions} == {"accept", "request_supplement", "refuse"}  # withdrawal: the applicant only
    response = client.post(
        f"{URL}{d.code}/actions/",
        {"action": "request_supplement", "items": ["Bản sao CCCD"], "note": "Thiếu bản sao"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "supplement_requested"
    assert [a["kind"] for a in auth_client(world.citizen).get(f"{URL}{d.code}/actions/").json()] == [
        "supplement",
        "withdraw",
    ]
    new = upload(world.citizen)
    response = auth_client(world.citizen).post(
        f"{URL}{d.code}/actions/", {"action": "supplement", "attachments": [str(new.uuid)]}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "new"


def test_actions_api_errors(world):
    d = submit_online(world)
    response = auth_client(world.reception).post(f"{URL}{d.code}/actions/", {"action": "deliver"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    response = auth_client(world.citizen).post(f"{URL}{d.code}/actions/", {"action": "accept"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = auth_client(world.reception).post(f"{URL}{d.code}/actions/", {"action": "fly"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_action"


def _apologize(user, dossier, new_due_date, reason="Cần xác minh thêm"):
    return auth_client(user).post(
        f"{URL}{dossier.code}/actions/",
        {"action": "apologize", "reason": reason, "new_due_date": new_due_date.isoformat()},
        format="json",
    )


def test_apology_api_refuses_a_new_date_on_a_day_off_and_a_second_apology(world):
    from dichvucong.workdays.calendar import add_working_days, is_working_day

    d = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    later = d.due_date + timezone.timedelta(days=10)
    day_off = next(
        later + timezone.timedelta(days=n) for n in range(10) if not is_working_day(later + timezone.timedelta(days=n))
    )
    response = _apologize(world.leader, d, day_off)
    assert response.status_code == 400 and response.json()["code"] == "apology_date_not_working_day"
    assert "ngày làm việc" in response.json()["detail"] and "new_due_date" in response.json()["fields"]
    new_date = add_working_days(d.due_date, 5)
    first = _apologize(world.leader, d, new_date)
    assert first.status_code == 200 and first.json()["due_date"] == new_date.isoformat()
    second = _apologize(world.leader, d, add_working_days(new_date, 5), reason="Lần nữa")
    assert second.status_code == 409 and second.json()["code"] == "apology_already_issued"
    assert "một lần" in second.json()["detail"]
    d.refresh_from_db()
    assert d.due_date == new_date


def test_attachment_download_by_owner_and_handling_officer(world):
    d = submit_online(world)
    attachment = d.attachments.first()
    for user in (world.citizen, world.reception, world.specialist):
        response = auth_client(user).get(f"{URL}{d.code}/attachments/{attachment.uuid}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    monitor = auth_client(world.monitor)
    assert monitor.get(f"{URL}{d.code}/").status_code == 200
    assert monitor.get(f"{URL}{d.code}/attachments/{attachment.uuid}/").status_code == 404


def test_upload_accepts_allowed_types_by_content(world):
    client = auth_client(world.citizen)
    for name, content in [("a.pdf", PDF), ("anh.png", PNG), ("don.docx", docx_bytes())]:
        response = client.post("/api/v1/uploads/", {"file": SimpleUploadedFile(name, content)}, format="multipart")
        assert response.status_code == 201, response.json()
        assert set(response.json()) >= {"id", "name", "size", "content_type"}
    stored = Upload.objects.first()
    assert stored.file.name.startswith("dossiers/uploads/") and "a.pdf" not in stored.file.name
    assert len(stored.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("giay-to.pdf", ELF, "file_type_not_allowed"),
        ("giay-to.pdf", PE, "file_type_not_allowed"),
        ("anh.pdf", PNG, "file_type_mismatch"),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n", "file_type_not_allowed"),
    ],
)
def test_upload_rejects_renamed_executables_and_mismatched_names(world, name, content, code):
    response = auth_client(world.citizen).post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == code
    assert not Upload.objects.exists()


def test_upload_rejects_oversize_files(world, settings):
    settings.UPLOAD_MAX_BYTES = 50
    response = auth_client(world.citizen).post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert not Upload.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [path for path in media.rglob("*") if path.is_file()]


def test_upload_needs_an_account(api_client, db):
    assert api_client.post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart"
    ).status_code in (401, 403)


def test_cleanup_removes_expired_unused_uploads_and_their_files(world):
    old = upload(world.citizen)
    kept = upload(world.citizen)
    Upload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timezone.timedelta(hours=1))
    storage = old.file.storage
    assert storage.exists(old.file.name)
    call_command("uploads_cleanup")
    assert not Upload.objects.filter(pk=old.pk).exists() and not storage.exists(old.file.name)
    assert Upload.objects.filter(pk=kept.pk).exists()


def test_public_lookup_matches_code_and_cccd_only(world, api_client):
    d = submit_online(world)
    response = api_client.get("/api/v1/lookup/", {"code": d.code, "id_number": world.citizen.id_number})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "new" and data["national_status"] == 1 and data["timeline"][0]["to_status"] == "new"
    assert "applicant" not in data
    wrong = api_client.get("/api/v1/lookup/", {"code": d.code, "id_number": world.citizen2.id_number})
    unknown = api_client.get(
        "/api/v1/lookup/", {"code": "000.00.04.H31-210101-9999", "id_number": world.citizen.id_number}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


@pytest.mark.parametrize("id_number", ["12", "0330900012345", "03309000123a", "999090001234", ""])
def test_public_lookup_with_a_malformed_cccd_is_400(world, api_client, id_number):
    d = submit_online(world)
    response = api_client.get("/api/v1/lookup/", {"code": d.code, "id_number": id_number})
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid_id_number" and "CCCD" in data["detail"] and "id_number" in data["fields"]
    assert "status" not in data


def test_cleanup_task_keeps_used_uploads(world):
    from dichvucong.dossiers.tasks import uploads_cleanup_task

    d = submit_online(world)
    Upload.objects.update(expires_at=timezone.now() - timezone.timedelta(days=1))
    assert uploads_cleanup_task.delay().get() == 0
    attachment = d.attachments.first()
    assert attachment.file.storage.exists(attachment.file.name)


def test_province_roles_filtered_by_status_see_every_submitted_dossier_and_no_drafts(world):
    mine = submit_online(world)
    draft = dossier_create(
        actor=world.citizen,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        form_data={},
        attachments=[],
        draft=True,
    ).dossier
    client = auth_client(world.monitor)
    listed = {row["code"] for row in client.get(URL, {"status": "new"}).json()["results"]}
    assert mine.code in listed
    everything = client.get(URL, {"status": "new,draft"}).json()["results"]
    assert str(draft.uuid) not in {row.get("id") for row in everything} and all(row["code"] for row in everything)

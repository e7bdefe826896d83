"""HTML pages: wizard (draft → review → submit), my dossiers, lookup, counter reception, agency list and actions."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier, Upload

from .conftest import ELF, PDF, submit_online

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_wizard_saves_a_draft_then_review_submits_it(world):
    client = client_for(world.citizen)
    url = f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode()  # applicant prefilled from the account
    response = client.post(
        url,
        {
            "full_name": "Nguyễn Văn An",
            "id_number": world.citizen.id_number,
            "f_child_name": "Nguyễn Văn Bé",
            "f_birth_date": "2021-03-01",
            "f_gender": "Nam",
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"doc_{world.docs[1].pk}": SimpleUploadedFile("chung-sinh.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Dossier.objects.get()
    assert draft.status == "draft" and draft.attachments.count() == 2
    review = client.get(response["Location"])
    assert "Nguyễn Văn Bé" in review.content.decode()
    response = client.post(response["Location"])
    draft.refresh_from_db()
    assert draft.status == "new" and response["Location"] == f"/ho-so/cua-toi/{draft.code}/"
    detail = client.get(response["Location"]).content.decode()
    assert draft.code in detail and "Nộp hồ sơ" in detail


def test_wizard_shows_the_sniffing_error_on_the_page(world):
    client = client_for(world.citizen)
    url = f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"
    response = client.post(
        url,
        {
            "full_name": "A",
            "id_number": world.citizen.id_number,
            "f_child_name": "Nguyễn Văn Bé",
            "f_birth_date": "2021-03-01",
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", ELF),
        },
    )
    assert response.status_code == 200
    assert "không thuộc loại được chấp nhận" in response.content.decode()
    assert not Dossier.objects.exists()


def stored_files(settings) -> list:
    """Every file in the media storage (the tests' MEDIA_ROOT is a fresh temporary folder)."""
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_wizard_with_a_refused_second_file_leaves_no_upload_behind(world, settings):
    client = client_for(world.citizen)
    url = f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"
    response = client.post(
        url,
        {
            "full_name": "A",
            "id_number": world.citizen.id_number,
            "f_child_name": "Nguyễn Văn Bé",
            "f_birth_date": "2021-03-01",
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"doc_{world.docs[1].pk}": SimpleUploadedFile("chung-sinh.pdf", ELF),
        },
    )
    assert response.status_code == 200 and "không thuộc loại được chấp nhận" in response.content.decode()
    assert not Dossier.objects.exists()
    assert Upload.objects.count() == 0
    assert stored_files(settings) == []
    assert AuditEntry.objects.filter(action="upload.discard").count() == 1


def test_wizard_whose_dossier_is_refused_leaves_no_upload_behind(world, settings):
    client = client_for(world.citizen)
    url = f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"
    response = client.post(
        url,
        {
            "full_name": "A",
            "id_number": "123456789012",  # no such province code
            "f_child_name": "Nguyễn Văn Bé",
            "f_birth_date": "2021-03-01",
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"doc_{world.docs[1].pk}": SimpleUploadedFile("chung-sinh.pdf", PDF),
        },
    )
    assert response.status_code == 200 and "mã tỉnh" in response.content.decode()
    assert not Dossier.objects.exists()
    assert Upload.objects.count() == 0
    assert stored_files(settings) == []


def test_wizard_that_succeeds_keeps_its_files(world, settings):
    client = client_for(world.citizen)
    url = f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"
    response = client.post(
        url,
        {
            "full_name": "A",
            "id_number": world.citizen.id_number,
            "f_child_name": "Bé",
            "f_birth_date": "2021-03-01",
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert Upload.objects.filter(used=True).count() == 1 and len(stored_files(settings)) == 1


def test_wizard_of_an_unknown_procedure_or_agency_is_404(world):
    client = client_for(world.citizen)
    assert client.get(f"/ho-so/nop/9.999/?agency={world.agency.code}").status_code == 404
    assert client.get(f"/ho-so/nop/{world.procedure.code}/?agency=nope").status_code == 404


def test_wizard_needs_login(world):
    response = Client().get(f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_my_dossiers_list_and_timeline_are_private(world):
    d = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    page = client_for(world.citizen).get("/ho-so/cua-toi/").content.decode()
    assert d.code in page
    assert d.code not in client_for(world.citizen2).get("/ho-so/cua-toi/").content.decode()
    detail = client_for(world.citizen).get(f"/ho-so/cua-toi/{d.code}/").content.decode()
    assert "Tiếp nhận hồ sơ" in detail and "Rút hồ sơ" in detail
    assert client_for(world.citizen2).get(f"/ho-so/cua-toi/{d.code}/").status_code == 404


def test_owner_sees_what_to_supplement_and_supplements_from_the_page(world):
    d = services.dossier_request_supplement(
        actor=world.reception, dossier=submit_online(world), items=["Bản sao giấy chứng sinh"]
    )
    client = client_for(world.citizen)
    assert "Bản sao giấy chứng sinh" in client.get(f"/ho-so/cua-toi/{d.code}/").content.decode()
    client.post(
        f"/ho-so/cua-toi/{d.code}/", {"action": "supplement", "file": SimpleUploadedFile("chung-sinh.pdf", PDF)}
    )
    d.refresh_from_db()
    assert d.status == "new" and d.attachments.count() == 3


def test_owner_withdraws_from_the_page(world):
    d = submit_online(world)
    client_for(world.citizen).post(
        f"/ho-so/cua-toi/{d.code}/", {"action": "withdraw", "note": "Không cần nữa", "confirm": "1"}
    )
    d.refresh_from_db()
    assert d.status == "withdrawn"


def test_public_lookup_page(world):
    d = submit_online(world)
    ok = Client().post("/tra-cuu/", {"code": d.code, "id_number": world.citizen.id_number}).content.decode()
    assert d.code in ok and "Mới nộp" in ok
    wrong = Client().post("/tra-cuu/", {"code": d.code, "id_number": world.citizen2.id_number}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong and "Mới nộp" not in wrong


def test_public_lookup_page_shows_a_malformed_cccd_as_a_form_error(world):
    d = submit_online(world)
    response = Client().post("/tra-cuu/", {"code": d.code, "id_number": "12"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số." in page and "Không tìm thấy hồ sơ" not in page
    assert "Mới nộp" not in page


def test_counter_reception_page_registers_and_accepts(world):
    client = client_for(world.reception)
    assert world.procedure.code in client.get("/mot-cua/tiep-nhan/").content.decode()
    url = f"/mot-cua/tiep-nhan/?procedure={world.procedure.code}"
    response = client.post(
        url,
        {
            "full_name": "Lê Văn Cường",
            "id_number": "033090009999",
            "f_child_name": "Lê Văn Bé",
            "f_birth_date": "2021-03-01",
            f"received_{world.docs[0].pk}": "on",
            f"received_{world.docs[1].pk}": "on",
            "accept": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    d = Dossier.objects.get()
    assert d.channel == "counter" and d.status == "accepted" and d.agency == world.agency


def _counter_post(world, **files):
    data = {
        "full_name": "Lê Văn Cường",
        "id_number": "033090009999",
        "f_child_name": "Lê Văn Bé",
        "f_birth_date": "2021-03-01",
        f"received_{world.docs[0].pk}": "on",
        "accept": "on",
    }
    data.update(files)
    return client_for(world.reception).post(f"/mot-cua/tiep-nhan/?procedure={world.procedure.code}", data)


def test_counter_reception_missing_a_mandatory_document_leaves_no_scan_behind(world, settings):
    # the scan of the power of attorney is stored, then the dossier is refused: the birth certificate is missing
    response = _counter_post(world, **{f"doc_{world.docs[2].pk}": SimpleUploadedFile("uy-quyen.pdf", PDF)})
    assert response.status_code == 200 and "Giấy chứng sinh" in response.content.decode()
    assert not Dossier.objects.exists()
    assert Upload.objects.count() == 0
    assert stored_files(settings) == []


def test_counter_reception_with_a_refused_second_scan_leaves_no_scan_behind(world, settings):
    response = _counter_post(
        world,
        **{
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"doc_{world.docs[1].pk}": SimpleUploadedFile("chung-sinh.pdf", ELF),
        },
    )
    assert response.status_code == 200 and "không thuộc loại được chấp nhận" in response.content.decode()
    assert not Dossier.objects.exists()
    assert Upload.objects.count() == 0
    assert stored_files(settings) == []


def test_a_failed_supplement_from_the_page_leaves_no_upload_behind(world, settings):
    d = submit_online(world)
    before = set(stored_files(settings))
    client_for(world.citizen).post(
        f"/ho-so/cua-toi/{d.code}/",
        {
            "action": "supplement",  # nothing was requested
            "file": SimpleUploadedFile("bo-sung.pdf", PDF),
        },
    )
    d.refresh_from_db()
    assert d.status == "new" and d.attachments.count() == 2
    assert Upload.objects.filter(used=False).count() == 0
    assert set(stored_files(settings)) == before


def test_counter_page_records_the_number_of_sets(world):
    response = _counter_post(world, **{f"received_{world.docs[1].pk}": "on", "sets_count": "2"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dossier.objects.get().sets_count == 2


def test_counter_page_refuses_more_than_20_sets(world):
    client = client_for(world.reception)
    assert 'name="sets_count"' in client.get(f"/mot-cua/tiep-nhan/?procedure={world.procedure.code}").content.decode()
    response = _counter_post(world, **{f"received_{world.docs[1].pk}": "on", "sets_count": "21"})
    assert response.status_code == 200 and not Dossier.objects.exists()
    assert "20" in response.content.decode()


def test_counter_page_is_refused_to_citizens_and_other_roles(world):
    assert client_for(world.citizen).get("/mot-cua/tiep-nhan/").status_code == 403
    assert client_for(world.specialist).get("/mot-cua/tiep-nhan/").status_code == 404


def test_office_list_filters_and_detail_actions(world, django_assert_max_num_queries):
    d = submit_online(world)
    other = submit_online(world, user=world.citizen2, agency_code=world.other.code)
    client = client_for(world.reception)
    page = client.get("/mot-cua/ho-so/").content.decode()
    assert d.code in page and other.code not in page
    assert d.code not in client.get("/mot-cua/ho-so/", {"status": "accepted"}).content.decode()
    for _ in range(5):
        submit_online(world)
    with django_assert_max_num_queries(15):
        client.get("/mot-cua/ho-so/")
    detail = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "Tiếp nhận hồ sơ" in detail
    client.post(f"/mot-cua/ho-so/{d.code}/", {"action": "accept"})
    d.refresh_from_db()
    assert d.status == "accepted"
    assert client.get(f"/mot-cua/ho-so/{other.code}/").status_code == 404
    response = client_for(world.citizen).get("/mot-cua/ho-so/")
    assert response.status_code == 403

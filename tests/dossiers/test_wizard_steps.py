"""The citizen's wizard as people use it (issue 18 item 5): search from the home page, level and online mode in the
results, required e-form fields marked and checked, blank forms, the acknowledgement with the expected date, the
delivery choice at submission, supplement uploads per requested item, lookup by POST, wallet items per slot."""

import re
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.dossiers import services
from dichvucong.dossiers.forms import matches_slot, wallet_choice_field
from dichvucong.dossiers.models import Dossier
from dichvucong.results.models import ResultDelivery

from .conftest import PDF, submit_online


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _wizard(world) -> str:
    return f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"


def test_the_home_page_has_a_search_box_and_results_say_the_level_and_the_online_mode(world):
    home = Client().get("/").content.decode()
    assert re.search(r'<form method="get" action="/thu-tuc/"[^>]*role="search"', home)
    assert 'name="q" type="search"' in home
    results = Client().get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    row = results[results.index(world.procedure.name) :]
    row = row[: row.index("</tr>")]
    assert "Cấp tỉnh, Cấp huyện" in row and "Trực tuyến toàn trình" in row


def test_required_e_form_fields_are_marked_and_checked_before_the_review(world):
    client = client_for(world.citizen)
    page = client.get(_wizard(world)).content.decode()
    assert "Họ tên người được khai sinh *" in page and "Giới tính *" not in page
    base = {"full_name": "Nguyễn Văn An", "id_number": world.citizen.id_number}

    response = client.post(_wizard(world), base)  # «Lưu và xem lại» with an empty e-form
    assert response.status_code == 200 and not Dossier.objects.exists()
    assert "Trường này là bắt buộc" in response.content.decode()

    saved = client.post(_wizard(world), {**base, "save_draft": "1"})  # «Lưu nháp» keeps what was typed
    draft = Dossier.objects.get(status="draft")
    assert saved["Location"] == f"/ho-so/nhap/{draft.uuid}/"
    review = client.get(f"/ho-so/nhap/{draft.uuid}/xem-lai/").content.decode()
    assert "Tờ khai còn thiếu các mục bắt buộc" in review and "Họ tên người được khai sinh" in review
    assert "Nộp hồ sơ</button>" not in review
    client.post(f"/ho-so/nhap/{draft.uuid}/xem-lai/")  # a forged submit is refused too
    assert Dossier.objects.get(pk=draft.pk).status == "draft"


def test_a_blank_form_can_be_downloaded_per_document(world):
    detail = Client().get(f"/thu-tuc/{world.procedure.code}/").content.decode()
    link = f"/thu-tuc/{world.procedure.code}/mau/1/"
    assert f'href="{link}"' in detail and "Tải mẫu trống: Tờ khai đăng ký khai sinh" in detail
    assert "/mau/2/" not in detail  # «Giấy chứng sinh» is not a form to fill in
    response = Client().get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Client().get(f"/thu-tuc/{world.procedure.code}/mau/2/").status_code == 404
    assert Client().get(f"/thu-tuc/{world.procedure.code}/mau/9/").status_code == 404
    wizard = client_for(world.citizen).get(_wizard(world)).content.decode()
    assert f'href="{link}"' in wizard


def test_the_acknowledgement_gives_the_code_and_when_the_appointment_is_set(world):
    dossier = submit_online(world)
    page = client_for(world.citizen).get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()
    ack = page[page.index('id="ack-title"') :]
    assert dossier.code in ack[:600] and "ngày hẹn trả kết quả được ghi" in ack.lower()
    assert re.search(r"ngày hẹn trả dự kiến là <strong>\d\d/\d\d/\d{4}</strong>", ack)
    assert "Ngày hẹn trả</dt><dd>Được ghi khi cơ quan tiếp nhận hồ sơ" in page
    review_draft = submit_online(world, draft=True)
    review = client_for(world.citizen).get(f"/ho-so/nhap/{review_draft.uuid}/xem-lai/").content.decode()
    assert re.search(r"ngày hẹn trả dự kiến là <strong>\d\d/\d\d/\d{4}</strong>", review)


def test_the_delivery_is_chosen_at_submission_from_the_dossier_page(world):
    dossier = submit_online(world)
    client = client_for(world.citizen)
    page = client.get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()
    assert "Bạn muốn nhận kết quả thế nào?" in page and 'value="postal"' in page
    response = client.post(
        f"/ho-so/{dossier.code}/ket-qua/",
        {"op": "choose", "method": "postal", "address": "12 Lê Lợi", "back": "detail"},
    )
    assert response["Location"] == f"/ho-so/cua-toi/{dossier.code}/"
    assert ResultDelivery.objects.get(dossier=dossier).method == "postal"
    assert "Đổi hình thức nhận" in client.get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()
    officer_page = client_for(world.reception).get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Bạn muốn nhận kết quả thế nào?" not in officer_page


def test_supplement_uploads_are_tied_to_each_requested_item(world):
    dossier = submit_online(world)
    services.dossier_request_supplement(
        actor=world.reception, dossier=dossier, items=["Giấy chứng sinh bản sao", "Giấy ủy quyền có công chứng"]
    )
    client = client_for(world.citizen)
    page = client.get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()
    assert "Tệp cho: Giấy chứng sinh bản sao" in page and 'name="item_file_1"' in page
    client.post(
        f"/ho-so/cua-toi/{dossier.code}/",
        {"action": "supplement", "item_file_0": SimpleUploadedFile("chung-sinh.pdf", PDF, "application/pdf")},
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == "new"
    added = dossier.attachments.filter(supplement__isnull=False).get()
    assert added.required_document == world.docs[1]  # «Giấy chứng sinh»
    event = dossier.events.filter(action="supplement").get()
    assert "«Giấy chứng sinh bản sao»: chung-sinh.pdf" in event.note


def test_the_lookup_sends_the_cccd_in_a_post_never_in_the_address(world):
    dossier = submit_online(world)
    page = Client().get("/tra-cuu/").content.decode()
    assert re.search(r'<form method="post" action="/tra-cuu/"', page)
    found = Client().post("/tra-cuu/", {"code": dossier.code, "id_number": world.citizen.id_number}).content.decode()
    assert "Mới nộp" in found
    old_style = Client().get("/tra-cuu/", {"code": dossier.code, "id_number": world.citizen.id_number})
    assert "Mới nộp" not in old_style.content.decode()  # a CCCD in an address is ignored


def test_wallet_items_are_suggested_only_for_the_slot_they_fit(world):
    birth_certificate = SimpleNamespace(uuid="a", title="Giấy chứng sinh", original_name="cs.pdf", source_code="")
    id_card = SimpleNamespace(uuid="b", title="Căn cước công dân", original_name="cccd.pdf", source_code="")
    declaration, certificate = world.docs[0], world.docs[1]
    assert matches_slot(birth_certificate, certificate) and not matches_slot(birth_certificate, declaration)
    assert not matches_slot(id_card, certificate)
    field = wallet_choice_field(certificate, [birth_certificate, id_card])
    assert [value for value, _label in field.choices] == ["", "a"]
    assert [value for value, _label in wallet_choice_field(declaration, [birth_certificate, id_card]).choices] == [""]

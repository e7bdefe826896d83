"""Dossier pages after the new-user browser test (phone and desktop): wording, labels, layout hooks, lookup."""

import re

import pytest
from django.test import Client

from dichvucong.dossiers import services

from .conftest import submit_online

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_labels_have_no_stray_colon_beside_checkboxes_or_after_the_required_star(world):
    office = client_for(world.reception).get("/mot-cua/ho-so/").content.decode()
    assert re.search(r'<label for="id_due_soon">Sắp đến hạn</label>', office)
    counter = client_for(world.reception).get(f"/mot-cua/tiep-nhan/?procedure={world.procedure.code}").content.decode()
    assert "*:" not in counter and ":</label>" not in counter
    mandatory = world.docs[0].name
    assert f"{mandatory} *</label>" in counter


# --- the lookup page opened from the receipt's QR code -----------------------------------------------------------
def test_lookup_with_the_code_alone_prefills_it_and_shows_no_error(world):
    d = submit_online(world)
    page = Client().get("/tra-cuu/", {"code": d.code}).content.decode()
    assert "Trường này là bắt buộc" not in page and 'class="errorlist' not in page
    assert f'value="{d.code}"' in page
    assert re.search(r'<input[^>]*name="id_number"[^>]*autofocus', page)


def test_lookup_without_parameters_shows_an_empty_form(world):
    page = Client().get("/tra-cuu/").content.decode()
    assert "Trường này là bắt buộc" not in page and "autofocus" not in page


def test_lookup_sent_with_an_empty_cccd_says_what_is_missing(world):
    d = submit_online(world)
    page = Client().post("/tra-cuu/", {"code": d.code, "id_number": ""}).content.decode()
    assert "Trường này là bắt buộc" in page


# --- the dossier page ---------------------------------------------------------------------------------------------
def test_before_acceptance_the_time_is_the_submission_time(world):
    d = submit_online(world)
    page = client_for(world.citizen).get(f"/ho-so/cua-toi/{d.code}/").content.decode()
    assert "Nộp lúc" in page and "Tiếp nhận lúc" not in page
    services.dossier_accept(actor=world.reception, dossier=d)
    page = client_for(world.citizen).get(f"/ho-so/cua-toi/{d.code}/").content.decode()
    assert "Tiếp nhận lúc" in page and "Nộp lúc" not in page


def test_the_withdraw_box_asks_for_the_reason(world):
    d = submit_online(world)
    page = client_for(world.citizen).get(f"/ho-so/cua-toi/{d.code}/").content.decode()
    withdraw = page[page.index('id="act-withdraw"') :]
    assert "Lý do rút hồ sơ" in withdraw[: withdraw.index("</form>")]


def test_the_officer_sees_the_applicants_contact_as_separate_links(world):
    d = submit_online(
        world,
        applicant={
            "full_name": "Nguyễn Văn An",
            "id_number": world.citizen.id_number,
            "phone": "0912 345 678",
            "email": "an@example.vn",
            "address": "Thôn Đông, xã Lạc Đạo",
        },
    )
    page = client_for(world.reception).get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert '<a href="tel:0912345678">0912 345 678</a>' in page
    assert '<a href="mailto:an@example.vn">an@example.vn</a>' in page
    assert "Địa chỉ: Thôn Đông, xã Lạc Đạo" in page

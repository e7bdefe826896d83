"""The public verification page /xac-thuc-chu-ky/."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.signing.services import pdf_sign

from .conftest import RESULT_TEXT, make_pdf

pytestmark = pytest.mark.django_db

PAGE = "/xac-thuc-chu-ky/"


@pytest.fixture
def signed_pdf(demo_pki) -> bytes:
    return pdf_sign(
        actor=demo_pki.leader, pdf_bytes=make_pdf(), signer=demo_pki.leader, reason="Phê duyệt", location="Hưng Yên"
    )


def test_page_has_an_accessible_upload_form_and_the_ca_link(client, db):
    response = client.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_file">' in html and 'id="id_file"' in html
    assert 'aria-describedby="file-help"' in html
    assert 'href="/api/v1/signing/ca.pem"' in html
    # CSP 'self': no inline style or script (the site's own script file is linked with src)
    assert "<style" not in html and not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_uploading_a_signed_result_shows_the_signer(client, signed_pdf):
    response = client.post(PAGE, {"file": SimpleUploadedFile("kq.pdf", signed_pdf, "application/pdf")})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Chữ ký số hợp lệ" in html
    assert "Vũ Đức Thắng" in html
    assert "Phê duyệt" in html
    # on a phone the signatures table stacks, each cell labelled (no column cut off on the right)
    assert '<table class="stack">' in html
    assert 'data-label="Số hiệu chứng thư"' in html and 'data-label="Kết quả"' in html


def test_tampered_result_is_shown_as_changed(client, signed_pdf):
    position = signed_pdf.index(RESULT_TEXT.encode())
    tampered = signed_pdf[:position] + b"X" + signed_pdf[position + 1 :]

    html = client.post(PAGE, {"file": SimpleUploadedFile("kq.pdf", tampered)}).content.decode()

    assert "Chữ ký số không hợp lệ" in html
    assert "Tài liệu đã bị thay đổi sau khi ký." in html


def test_non_pdf_shows_a_clear_error(client, demo_pki):
    response = client.post(PAGE, {"file": SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0 jpeg")})

    assert response.status_code == 400
    assert "không phải là tài liệu PDF" in response.content.decode()


def test_submitting_without_a_file_asks_for_one(client, db):
    response = client.post(PAGE, {})

    assert response.status_code == 400
    assert "Hãy chọn tệp PDF cần kiểm tra." in response.content.decode()


def test_page_requires_the_csrf_token(demo_pki, signed_pdf):
    response = Client(enforce_csrf_checks=True).post(PAGE, {"file": SimpleUploadedFile("kq.pdf", signed_pdf)})

    assert response.status_code == 403

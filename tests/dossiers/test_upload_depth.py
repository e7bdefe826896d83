"""Upload depth (issue 12, item 8): a PDF/HTML polyglot, a PDF with JavaScript (also hidden behind name escapes or
inside a compressed object stream) and an office file that inflates to hundreds of MB are refused; an upload whose
declared size is over the limit is refused before its body is read."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from dichvucong.dossiers.models import Upload
from tests.conftest import auth_client

from .conftest import PDF, docx_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/uploads/"


def _post(user, name, content):
    return auth_client(user).post(URL, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def _pdf_with_open_action_js(compress: bool) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if compress:
        writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bomb(size_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (size_mb * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        PDF + b"\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.4\n<!DOCTYPE html><iframe src=x>",
        PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (x) >>"),
        PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >>"),
    ],
    ids=["polyglot", "doctype", "javascript", "escaped-name", "launch"],
)
def test_pdfs_with_active_content_are_refused(world, content):
    response = _post(world.citizen, "giay-to.pdf", content)
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "file_active_content" and "thực thi" in data["detail"]
    assert not Upload.objects.exists()


@pytest.mark.parametrize("compress", [False, True])
def test_a_real_pdf_with_a_javascript_open_action_is_refused(world, compress):
    response = _post(world.citizen, "to-khai.pdf", _pdf_with_open_action_js(compress))
    assert response.status_code == 400 and response.json()["code"] == "file_active_content"


def test_a_zip_bomb_in_office_format_is_refused(world, settings):
    bomb = _bomb(300)
    assert len(bomb) < 400 * 1024  # ~300 kB that inflates to 300 MB (the case)
    response = _post(world.citizen, "don.docx", bomb)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "file_zip_bomb"
    assert not Upload.objects.exists()


def test_a_forged_central_directory_does_not_hide_a_bomb(world, settings):
    settings.UPLOAD_MAX_INFLATED_BYTES = 2 * 1024 * 1024
    bomb = bytearray(_bomb(5))
    # Lie about the uncompressed size in the central directory (offset 24 of each entry's header).
    index = bomb.rfind(b"PK\x01\x02")
    bomb[index + 24 : index + 28] = (10).to_bytes(4, "little")
    response = _post(world.citizen, "don.docx", bytes(bomb))
    assert response.status_code == 400
    assert response.json()["code"] in ("file_zip_bomb", "file_damaged")


def test_ordinary_files_still_pass(world):
    assert _post(world.citizen, "giay-to.pdf", PDF).status_code == 201
    assert _post(world.citizen, "to-khai.docx", docx_bytes()).status_code == 201
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _post(world.citizen, "trang.pdf", buffer.getvalue()).status_code == 201


def test_a_declared_body_over_the_file_limit_is_refused_before_reading(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client = auth_client(world.citizen)
    response = client.generic(
        "POST", URL, b"--x--\r\n", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(10 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"

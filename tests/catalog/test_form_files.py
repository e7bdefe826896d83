"""Blank forms travel inside the JSON export (base64 `form_file_content`), so another installation gets the file."""

import base64
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from dichvucong.catalog.models import Procedure, RequiredDocument
from dichvucong.catalog.records import FORM_FILE_EMBED_MAX_BYTES
from dichvucong.catalog.services import ImportRejected, catalog_export_records, catalog_import
from dichvucong.catalog.transfer import dump_xlsx, read_json, read_xlsx
from tests.catalog.conftest import load_records, procedure_record
from tests.conftest import auth_client

FORM = b"%PDF-1.4 to khai mau 01\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def with_form(tree):
    load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh"))
    document = RequiredDocument.objects.get(procedure__code="1.001612")
    document.form_file.save("to-khai-01.pdf", ContentFile(FORM))
    return {**tree, "document": document}


def test_the_json_export_embeds_the_blank_form(with_form, api_client):
    body = json.loads(api_client.get("/api/v1/catalog/export/").content)
    document = body["procedures"][0]["required_documents"][0]
    assert document["form_file"] == with_form["document"].form_file.name
    assert base64.b64decode(document["form_file_content"]) == FORM


def test_another_installation_gets_the_file_from_the_json_export(with_form, api_client, make_staff):
    exported = api_client.get("/api/v1/catalog/export/").content
    name = with_form["document"].form_file.name
    Procedure.objects.all().delete()
    default_storage.delete(name)  # the other installation has no such file
    upload = SimpleUploadedFile("danh-muc.json", exported, content_type="application/json")
    response = auth_client(make_staff("province_admin")).post(
        "/api/v1/catalog/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    document = RequiredDocument.objects.get(procedure__code="1.001612")
    assert document.form_file.name.startswith("catalog/forms/to-khai-01")
    with document.form_file.open("rb") as handle:
        assert handle.read() == FORM


def test_reimporting_ones_own_export_keeps_the_same_file(with_form):
    name = with_form["document"].form_file.name
    catalog_import(
        actor="test",
        records=read_json(json.dumps({"procedures": catalog_export_records(embed_files=True)}).encode())[0],
    )
    assert RequiredDocument.objects.get(procedure__code="1.001612").form_file.name == name
    assert default_storage.listdir("catalog/forms")[1] == [name.rsplit("/", 1)[1]]


def test_bad_or_oversized_embedded_files_reject_the_row(with_form):
    record = catalog_export_records(embed_files=True)[0]
    record["required_documents"][0]["form_file_content"] = "không phải base64!"
    with pytest.raises(ImportRejected) as exc:
        catalog_import(actor="test", records=[("1", record)])
    assert exc.value.fields["rows"][0]["field"] == "required_documents[1].form_file_content"
    big = base64.b64encode(b"x" * (FORM_FILE_EMBED_MAX_BYTES + 1)).decode()
    record["required_documents"][0]["form_file_content"] = big
    with pytest.raises(ImportRejected):
        catalog_import(actor="test", records=[("1", record)])


def test_excel_and_the_plain_export_carry_the_path_only(with_form):
    records = catalog_export_records()
    assert "form_file_content" not in records[0]["required_documents"][0]
    ((label, record),) = read_xlsx(dump_xlsx(catalog_export_records(embed_files=True)))[0]
    assert record["required_documents"][0]["form_file"] == with_form["document"].form_file.name
    assert "form_file_content" not in record["required_documents"][0]

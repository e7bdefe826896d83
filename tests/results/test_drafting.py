"""Results prepared, previewed, then signed (issue 18 item 2): the template's fields that no data source fills are
drafted and validated at the processing step; the head and the leader read the exact PDF inline before they
approve or sign; the leader cannot sign while a field is empty; after signing the page shows the signed document."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.results.drafting import needed_fields
from dichvucong.results.models import ElectronicResult, ResultDraft, ResultTemplate
from dichvucong.workflows.processing import step_perform_action

from .conftest import at_leader_step

pytestmark = pytest.mark.django_db

BODY = "Họ tên: {{ form.child_name }}\n5. Tình trạng án tích: {{ form.criminal_record_status }}"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _with_template(world):
    ResultTemplate.objects.create(procedure=world.procedure, title="Phiếu lý lịch tư pháp", body=BODY)


def test_the_specialist_drafts_what_no_data_source_fills_and_the_leader_signs_what_was_previewed(world):
    _with_template(world)
    dossier = at_leader_step(world)
    assert [(f["name"], f["label"]) for f in needed_fields(dossier)] == [
        ("criminal_record_status", "Tình trạng án tích")
    ]
    url = f"/mot-cua/ho-so/{dossier.code}/"

    # The leader cannot sign a result with an empty field.
    with pytest.raises(ValidationFailed) as refused:
        step_perform_action(actor=world.leader, dossier=dossier, action="sign", data={})
    assert refused.value.code == "result_draft_incomplete" and "Tình trạng án tích" in refused.value.detail
    assert not ElectronicResult.objects.filter(dossier=dossier).exists()

    # The specialist's page has the field; an empty value is refused, a value is kept (audited).
    page = client_for(world.specialist).get(url).content.decode()
    assert 'name="criminal_record_status"' in page and "Tình trạng án tích" in page
    draft_url = f"/ho-so/{dossier.code}/ket-qua/du-thao/"
    client_for(world.specialist).post(draft_url, {"criminal_record_status": "  "})
    assert not ResultDraft.objects.filter(dossier=dossier).exists()
    client_for(world.specialist).post(draft_url, {"criminal_record_status": "Không có án tích"})
    assert ResultDraft.objects.get(dossier=dossier).values == {"criminal_record_status": "Không có án tích"}
    assert AuditEntry.objects.filter(action="result_draft.save").count() == 1
    # Someone else's officer may not draft it.
    response = client_for(world.other_leader).post(draft_url, {"criminal_record_status": "Có án tích"})
    assert response.status_code == 404
    assert ResultDraft.objects.get(dossier=dossier).values == {"criminal_record_status": "Không có án tích"}

    # The leader sees the exact PDF inline before signing; a GET changes nothing.
    page = client_for(world.leader).get(url).content.decode()
    preview_url = f"/ho-so/{dossier.code}/ket-qua/xem-truoc.pdf"
    assert f'<iframe class="pdf-preview" src="{preview_url}"' in page
    preview = client_for(world.leader).get(preview_url)
    assert preview["Content-Type"] == "application/pdf" and preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    previewed = _text(preview.content)
    assert "Không có án tích" in previewed and "……" not in previewed.split("án tích:")[1][:30]
    assert client_for(world.citizen).get(preview_url).status_code in (403, 404)
    assert client_for(world.other_leader).get(preview_url).status_code == 404
    assert not ElectronicResult.objects.filter(dossier=dossier).exists()

    step_perform_action(actor=world.leader, dossier=dossier, action="sign", data={})
    result = ElectronicResult.objects.get(dossier=dossier)
    with result.file.open("rb") as handle:
        assert "Không có án tích" in _text(handle.read())

    # After signing the page shows the signed document.
    page = client_for(world.leader).get(url).content.decode()
    assert "Kết quả đã ký số" in page and f"/ho-so/{dossier.code}/ket-qua/da-ky.pdf" in page
    signed = client_for(world.leader).get(f"/ho-so/{dossier.code}/ket-qua/da-ky.pdf")
    assert signed.status_code == 200 and signed.content.startswith(b"%PDF")
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"

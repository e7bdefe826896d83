"""GET /api/v1/dossiers/<code>/forms/<form>.pdf: the TT 01/2018 forms carry the code and the applicant's name."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from dichvucong.dossiers import services
from dichvucong.workdays.calendar import add_working_days
from tests.conftest import auth_client

from .conftest import submit_online

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def form(user, dossier, name):
    return auth_client(user).get(f"/api/v1/dossiers/{dossier.code}/forms/{name}.pdf")


def test_receipt_and_control_slip_of_an_accepted_dossier(world):
    d = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    for name in ("receipt", "control-slip"):
        response = form(world.citizen, d, name)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert d.code in text.replace("\n", "") and "Nguyễn Văn An" in text


def test_supplement_refusal_and_apology_forms(world):
    d = services.dossier_request_supplement(
        actor=world.reception, dossier=submit_online(world), items=["Bản sao giấy chứng sinh có chứng thực"]
    )
    assert "Bản sao giấy chứng sinh" in pdf_text(form(world.reception, d, "supplement-request").content)
    d = services.dossier_refuse(actor=world.reception, dossier=d, reason="Hồ sơ không thuộc thẩm quyền")
    assert "không thuộc thẩm quyền" in pdf_text(form(world.citizen, d, "refusal").content)
    d2 = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    d2 = services.dossier_apologize(
        actor=world.leader,
        dossier=d2,
        reason="Cần xác minh thêm",
        new_due_date=add_working_days(timezone.localdate(), 30),
    )
    assert "Cần xác minh thêm" in pdf_text(form(world.citizen, d2, "apology").content)


def test_a_form_that_does_not_exist_yet_is_404(world):
    d = submit_online(world)
    assert form(world.citizen, d, "receipt").json()["code"] == "form_not_available"
    assert form(world.citizen, d, "apology").status_code == 404
    assert form(world.citizen, d, "nonsense").status_code == 404


@pytest.mark.parametrize("who", ["citizen2", "other_reception"])
def test_forms_are_404_for_another_citizen_or_agency(world, who):
    d = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    assert form(getattr(world, who), d, "receipt").status_code == 404

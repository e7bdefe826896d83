"""Consultation (xin ý kiến) end to end: asked through the one actions API, answered by the consulted agency from
the dossier page it now can open, after which the asking officer continues."""

import pytest
from django.test import Client

from dichvucong.accounts.models import User
from dichvucong.workflows.models import Consultation, ProcessRun, RunStatus

from .conftest import act, actions, client, counter_dossier, district_procedure

pytestmark = pytest.mark.django_db
SOTP = "000.00.04.H31"


def browser(username):
    web = Client()
    web.force_login(User.objects.get(username=username))
    return web


def test_a_consulted_agency_answers_from_the_dossier_page(demo, media):
    code = counter_dossier(district_procedure())
    act("vanlam.reception", code, "start_processing")
    response = act("vanlam.specialist", code, "consult", agency=SOTP, question="Xin ý kiến về hồ sơ", days=2)
    assert response.status_code == 200, response.json()
    assert ProcessRun.objects.get(dossier__code=code, status=RunStatus.WAITING_CONSULTATION)
    assert not {n for n, a in actions("vanlam.specialist", code).items() if a["step"]}  # waiting

    # Sở Tư pháp's specialist finds it in the consultations queue and opens the dossier page with the answer form.
    web = browser("sotp.specialist")
    assert code in web.get("/can-bo/cong-viec/?view=consultations").content.decode()
    page = web.get(f"/mot-cua/ho-so/{code}/")
    assert page.status_code == 200 and "Xin ý kiến về hồ sơ" in page.content.decode()
    consultation = Consultation.objects.get(run__dossier__code=code)
    url = f"/can-bo/xin-y-kien/{consultation.uuid}/tra-loi/"
    assert url in page.content.decode()
    # Another agency's officer may not answer (404: not involved); the consulted one answers.
    assert browser("vangiang.reception").post(url, {"answer": "x"}).status_code == 404
    response = web.post(url, {"answer": "Đồng ý với đề xuất"})
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{code}/"
    consultation.refresh_from_db()
    assert (consultation.status, consultation.answer) == ("answered", "Đồng ý với đề xuất")
    assert "forward" in actions("vanlam.specialist", code)
    assert client("vanlam.specialist").get(f"/api/v1/dossiers/{code}/").status_code == 200

"""`GET /api/v1/dossiers/<code>/result.pdf` (API.md: owner and handling officers), the result metadata and the
result page: who may see what, and the clear 404 before the result exists."""

import pytest
from django.test import Client

from dichvucong.signing.verification import pdf_verify
from tests.conftest import auth_client

from .conftest import at_leader_step, issued, signed

pytestmark = pytest.mark.django_db


def _pdf_url(dossier) -> str:
    return f"/api/v1/dossiers/{dossier.code}/result.pdf"


def test_the_owner_downloads_the_issued_signed_result(world):
    dossier = issued(world)

    response = auth_client(world.citizen).get(_pdf_url(dossier))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    verification = pdf_verify(response.content)
    assert verification.valid and len(verification.signers) == 2


def test_handling_officers_download_it_once_the_leader_has_signed(world):
    dossier = signed(world)

    for officer in (world.reception, world.clerk, world.leader):
        response = auth_client(officer).get(_pdf_url(dossier))
        assert response.status_code == 200, officer.username
        assert pdf_verify(response.content).valid


@pytest.mark.parametrize("who", ["citizen2", "other_reception", "other_leader", "monitor"])
def test_anyone_else_gets_404(world, who):
    dossier = issued(world)

    response = auth_client(getattr(world, who)).get(_pdf_url(dossier))

    assert response.status_code == 404
    assert response.json()["code"] in ("dossier_not_found",)
    assert auth_client(getattr(world, who)).get(f"/api/v1/dossiers/{dossier.code}/result/").status_code == 404


def test_anonymous_is_refused(world):
    dossier = issued(world)

    assert Client().get(_pdf_url(dossier)).status_code in (401, 403)


def test_before_the_result_exists_the_404_says_so(world):
    dossier = at_leader_step(world)

    for user in (world.citizen, world.reception):
        response = auth_client(user).get(_pdf_url(dossier))
        assert response.status_code == 404
        assert response.json()["code"] == "result_not_available"


def test_the_owner_sees_it_only_once_issued(world):
    dossier = signed(world)

    response = auth_client(world.citizen).get(_pdf_url(dossier))

    assert response.status_code == 404 and response.json()["code"] == "result_not_available"


def test_result_metadata_lists_number_status_signatures_and_download_link(world):
    dossier = issued(world)

    data = auth_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/result/").json()

    assert data["status"] == "issued" and data["dossier"] == dossier.code
    assert [s["kind"] for s in data["signatures"]] == ["leader", "seal"]
    assert data["download_url"] == _pdf_url(dossier)
    assert len(data["sha256"]) == 64


def test_result_page_for_owner_and_officer_404_for_others(world):
    dossier = issued(world)
    url = f"/ho-so/{dossier.code}/ket-qua/"

    owner = Client()
    owner.force_login(world.citizen)
    page = owner.get(url)
    assert page.status_code == 200
    assert _pdf_url(dossier) in page.content.decode()
    officer = Client()
    officer.force_login(world.reception)
    assert officer.get(url).status_code == 200
    for user in (world.citizen2, world.other_reception):
        other = Client()
        other.force_login(user)
        assert other.get(url).status_code == 404


def test_my_dossier_page_links_to_the_result_page(world):
    dossier = issued(world)
    owner = Client()
    owner.force_login(world.citizen)

    html = owner.get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()

    assert f"/ho-so/{dossier.code}/ket-qua/" in html

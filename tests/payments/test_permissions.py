"""Who may do what: every payments endpoint and page refuses the wrong citizen, agency and role."""

import datetime

import pytest
from django.test import Client

from dichvucong.payments.receipts import receipt_issue
from dichvucong.payments.reconciliation import reconciliation_run
from dichvucong.payments.services import payment_request
from tests.conftest import auth_client

from .conftest import make_dossier
from .test_fees_receipts_reconciliation import _at, _paid_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(world):
    payment = _paid_payment(world, agency=world.agency, paid_at=_at(2030))
    payment.dossier.owner = world.owner
    return payment, receipt_issue(actor="test", payment=payment)


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_payments_list_is_for_the_owner_and_the_handling_agency(world, paid):
    payment, _ = paid
    url = f"/api/v1/dossiers/{payment.dossier.code}/payments/"
    assert auth_client(world.owner).get(url).status_code == 200
    assert auth_client(world.specialist).get(url).json()["count"] == 1
    assert auth_client(world.stranger).get(url).status_code == 404
    assert auth_client(world.other_specialist).get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)


def test_payments_list_query_count_does_not_grow_with_payments(world, paid, django_assert_max_num_queries):
    payment, _ = paid
    for _ in range(3):  # more cancelled attempts on the same dossier
        payment.pk = None
        payment.uuid = __import__("uuid").uuid4()
        payment.status, payment.gateway_txn_id = "cancelled", None
        payment.save()
    client = auth_client(world.owner)
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/dossiers/{payment.dossier.code}/payments/")
    assert response.json()["count"] == 4


def test_only_the_owner_may_pay(world, gateway_settings):
    payment_request(actor=world.specialist, dossier=world.dossier)
    url = f"/api/v1/dossiers/{world.dossier.code}/payments/"
    stranger = auth_client(world.stranger).post(url)
    officer = auth_client(world.specialist).post(url)
    assert (stranger.status_code, stranger.json()["code"]) == (404, "not_found")
    assert (officer.status_code, officer.json()["code"]) == (403, "not_owner")
    assert Client().post(url).status_code in (401, 403)


def test_payment_request_endpoint_is_for_the_handling_agency(world):
    url = f"/api/v1/dossiers/{world.dossier.code}/payment-request/"
    assert auth_client(world.stranger).post(url, {}, format="json").status_code == 404
    assert auth_client(world.other_specialist).post(url, {}, format="json").status_code == 404
    assert auth_client(world.owner).post(url, {}, format="json").status_code == 403
    assert auth_client(world.reception).post(url, {}, format="json").status_code == 201


def test_fees_endpoint_visibility(world):
    url = f"/api/v1/dossiers/{world.dossier.code}/fees/"
    assert auth_client(world.owner).get(url).json()["code"] == "no_assessment"
    payment_request(actor=world.specialist, dossier=world.dossier)
    assert auth_client(world.owner).get(url).json()["total"] == 53_000
    assert auth_client(world.specialist).get(url).status_code == 200
    assert auth_client(world.stranger).get(url).status_code == 404
    assert auth_client(world.other_specialist).get(url).status_code == 404


def test_receipt_and_payment_detail_are_hidden_from_others(world, paid):
    payment, receipt = paid
    receipt_url, detail_url = f"/api/v1/receipts/{receipt.uuid}.pdf", f"/api/v1/payments/{payment.uuid}/"
    assert auth_client(world.owner).get(receipt_url).status_code == 200
    assert auth_client(world.specialist).get(receipt_url).status_code == 200
    assert auth_client(world.owner).get(detail_url).json()["receipt_number"] == "BL30E 0000001/2030"
    for user in (world.stranger, world.other_specialist):
        assert auth_client(user).get(receipt_url).status_code == 404
        assert auth_client(user).get(detail_url).status_code == 404
    assert Client().get(receipt_url).status_code in (401, 403)


def test_reconciliation_is_for_province_admins_and_the_agencys_staff(world, gateway_settings):
    body = {"agency": world.agency.code, "date": "2033-01-02"}
    assert auth_client(world.owner).post("/api/v1/reconciliations/", body, format="json").status_code == 403
    assert auth_client(world.other_specialist).post("/api/v1/reconciliations/", body, format="json").status_code == 403
    assert Client().post("/api/v1/reconciliations/", body).status_code in (401, 403)
    unknown = auth_client(world.province_admin).post(
        "/api/v1/reconciliations/", {**body, "agency": "nope"}, format="json"
    )
    assert unknown.status_code == 404
    created = auth_client(world.province_admin).post("/api/v1/reconciliations/", body, format="json")
    assert created.status_code == 201 and created.json()["differences"] == 0

    detail = f"/api/v1/reconciliations/{created.json()['id']}/"
    assert auth_client(world.specialist).get(detail).status_code == 200
    assert auth_client(world.other_specialist).get(detail).status_code == 404
    assert auth_client(world.owner).get(detail).status_code == 404
    assert auth_client(world.other_specialist).get(detail + "export.xlsx").status_code == 404


def test_payment_page_shows_the_fees_and_the_button_to_the_owner_only(world, gateway_settings):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 2})
    url = f"/ho-so/{world.dossier.code}/thanh-toan/"

    page = browser(world.owner).get(url)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Lệ phí cấp bản sao" in html and "56.000" in html and ">Thanh toán</button>" in html
    assert browser(world.stranger).get(url).status_code == 404
    assert browser(world.specialist).get(url).status_code == 404
    assert browser().get(url).status_code == 302  # to the login page
    assert browser(world.stranger).post(url).status_code == 404


def test_payment_page_button_redirects_to_the_platform(world, gateway_settings):
    payment_request(actor=world.specialist, dossier=world.dossier)
    response = browser(world.owner).post(f"/ho-so/{world.dossier.code}/thanh-toan/")
    assert response.status_code == 302 and response["Location"].startswith(gateway_settings.PAYMENT_GATEWAY_URL)


def test_return_page_is_for_the_payer_only(world, paid):
    payment, _ = paid
    url = f"/thanh-toan/{payment.uuid}/ket-qua/"
    assert "Thanh toán thành công" in browser(world.owner).get(url).content.decode()
    assert browser(world.stranger).get(url).status_code == 404
    assert browser(world.specialist).get(url).status_code == 404


def test_reconciliation_pages(world, gateway_settings):
    run = reconciliation_run(actor=world.province_admin, agency=world.agency, day=datetime.date(2033, 1, 3))
    assert browser(world.owner).get("/doi-soat/").status_code == 403
    assert browser(world.specialist).get("/doi-soat/").status_code == 200
    assert browser(world.specialist).get(f"/doi-soat/{run.uuid}/").status_code == 200
    assert browser(world.other_specialist).get(f"/doi-soat/{run.uuid}/").status_code == 404

    response = browser(world.specialist).post("/doi-soat/", {"agency": world.agency.code, "date": "2033-01-03"})
    assert response.status_code == 302 and response["Location"].startswith("/doi-soat/")
    refused = browser(world.other_specialist).post("/doi-soat/", {"agency": world.agency.code, "date": "2033-01-03"})
    assert refused.status_code == 302 and refused["Location"] == "/doi-soat/"  # agency not in their list


def test_a_dossier_of_another_owner_cannot_be_paid_through_the_service(world, gateway_settings):
    from dichvucong.common.errors import NotFoundError
    from dichvucong.payments.services import payment_start

    other = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.stranger)
    payment_request(actor=world.specialist, dossier=other)
    with pytest.raises(NotFoundError):
        payment_start(actor=world.owner, dossier=other)

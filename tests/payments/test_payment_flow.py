"""The whole payment flow against the simulator over HTTP, and every kind of bad callback."""

import datetime
import io
import json

import pytest
from django.test import Client
from pypdf import PdfReader

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import Payment, PaymentEvent, PaymentStatus, Receipt
from dichvucong.payments.services import payment_poll_pending, payment_request, payment_start
from tests.conftest import auth_client

from .helpers import http, pay_at_simulator, simulator_control

pytestmark = pytest.mark.django_db


def _request_payment(world, copies=2):
    return payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: copies})


def _post_callback(client, headers, body):
    return client.post(
        "/api/v1/payments/callback/",
        data=body,
        content_type="application/json",
        headers={"X-Signature": headers.get("X-Signature", "")},
    )


@pytest.fixture
def via_recorder(gateway_settings, callback_recorder):
    """The platform calls back a recorder; the test then hands the recorded (genuine) callback to the app."""
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = callback_recorder.url.rsplit("/", 1)[0]
    return callback_recorder


@pytest.mark.django_db(transaction=True)
def test_full_pay_flow_against_the_simulator(world, gateway_settings, live_server, payment_simulator):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    officer, owner = auth_client(world.specialist), auth_client(world.owner)
    code = world.dossier.code

    # The officer asks for the fees: 50,000 fixed + 2 copies × 3,000.
    response = officer.post(
        f"/api/v1/dossiers/{code}/payment-request/", {"quantities": {str(world.per_copy.pk): 2}}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["total"] == 56_000
    assert Dossier.objects.get(pk=world.dossier.pk).national_status == 6

    # The citizen pays: the API returns the platform's page, the citizen presses "success".
    response = owner.post(f"/api/v1/dossiers/{code}/payments/")
    assert response.status_code == 201, response.json()
    started = response.json()
    assert (started["status"], started["amount"], started["currency"]) == ("pending", 56_000, "VND")
    assert started["redirect_url"].startswith(payment_simulator.url)
    location = pay_at_simulator(started["redirect_url"])

    # The signed callback reached the app: paid, receipt issued, dossier back to processing.
    assert location.startswith(f"{live_server.url}/thanh-toan/{started['id']}/ket-qua/")
    listed = owner.get(f"/api/v1/dossiers/{code}/payments/").json()["results"][0]
    assert listed["status"] == "paid"
    assert listed["receipt_url"].endswith(".pdf")
    dossier = Dossier.objects.get(pk=world.dossier.pk)
    assert dossier.status == Status.PROCESSING
    assert list(dossier.events.values_list("action", flat=True))[-2:] == ["request_payment", "pay"]
    receipt = Receipt.objects.get(payment__uuid=started["id"])
    assert (receipt.number, receipt.amount) == (1, 56_000)

    pdf = owner.get(listed["receipt_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "56.000 đồng" in text and "Nguyễn Văn An" in text
    flat = " ".join(text.split())  # the fee lines: name, quantity, amount
    assert "Khoản phí, lệ phí Số lượng Thành tiền" in flat
    assert "Lệ phí cấp bản sao" in flat and "1 50.000 đồng" in flat
    assert "Phí in bản sao" in flat and "2 6.000 đồng" in flat

    # The return page shows the result; paying a second time is refused.
    browser = Client()
    browser.force_login(world.owner)
    page = browser.get(location.replace(live_server.url, ""))
    assert "Thanh toán thành công" in page.content.decode()
    again = owner.post(f"/api/v1/dossiers/{code}/payments/")
    assert (again.status_code, again.json()["code"]) == (409, "already_paid")


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_callback_changes_nothing(world, gateway_settings, live_server, payment_simulator):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)

    pay_at_simulator(payment.redirect_url, callback="duplicate")

    deliveries = simulator_control(payment_simulator, payment.gateway_txn_id)["deliveries"]
    assert [d["response"] for d in deliveries] == [200, 200]
    assert list(PaymentEvent.objects.filter(payment=payment).values_list("outcome", "duplicate")) == [
        ("accepted", False),
        ("duplicate", True),
    ]
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert Dossier.objects.get(pk=world.dossier.pk).events.filter(action="pay").count() == 1


def test_a_forged_callback_is_rejected_and_logged(world, via_recorder):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="forged")
    via_recorder.wait(1)

    response = _post_callback(auth_client(world.stranger), *via_recorder.received[0])

    assert (response.status_code, response.json()["code"]) == (403, "invalid_signature")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    event = PaymentEvent.objects.get()
    assert (event.signature_ok, event.outcome, event.payment) == (False, "invalid_signature", None)
    assert json.loads(event.raw_body)["transaction_id"] == payment.gateway_txn_id


def test_an_amount_mismatch_is_rejected(world, via_recorder):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="amount_mismatch")
    via_recorder.wait(1)

    response = _post_callback(auth_client(world.owner), *via_recorder.received[0])

    assert (response.status_code, response.json()["code"]) == (400, "amount_mismatch")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not Receipt.objects.exists()


def test_a_currency_mismatch_is_rejected(world, via_recorder):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="currency_mismatch")
    via_recorder.wait(1)

    response = _post_callback(auth_client(world.owner), *via_recorder.received[0])

    assert (response.status_code, response.json()["code"]) == (400, "currency_mismatch")


def test_a_replayed_callback_is_recognised_by_its_event_id(world, via_recorder, api_client):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="normal")
    via_recorder.wait(1)
    headers, body = via_recorder.received[0]

    first = _post_callback(api_client, headers, body)
    replay = _post_callback(api_client, headers, body)

    assert (first.json()["code"], replay.json()["code"]) == ("accepted", "duplicate")
    assert Receipt.objects.count() == 1
    assert PaymentEvent.objects.filter(duplicate=True).count() == 1


def test_a_callback_for_an_unknown_transaction_is_404(world, via_recorder, api_client, payment_simulator):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="normal")
    via_recorder.wait(1)
    headers, body = via_recorder.received[0]
    Payment.objects.filter(pk=payment.pk).update(gateway_txn_id="NPP-OTHER")

    response = _post_callback(api_client, headers, body)

    assert (response.status_code, response.json()["code"]) == (404, "unknown_payment")


def test_a_malformed_callback_is_400_and_logged(api_client, db):
    not_json = api_client.post("/api/v1/payments/callback/", data=b"not json", content_type="application/json")
    not_object = api_client.post(
        "/api/v1/payments/callback/", data=b"[1]", content_type="application/json", headers={"X-Signature": "00"}
    )

    assert (not_json.status_code, not_json.json()["code"]) == (400, "malformed")
    assert (not_object.status_code, not_object.json()["code"]) == (400, "malformed")
    assert list(PaymentEvent.objects.values_list("outcome", flat=True)) == ["malformed", "malformed"]


def test_an_unsigned_callback_is_403(world, api_client):
    body = json.dumps(
        {
            "merchant_code": "HUNGYEN-DVC",
            "transaction_id": "NPP1",
            "order_id": "x",
            "amount": 1,
            "currency": "VND",
            "status": "success",
        }
    ).encode()
    response = api_client.post("/api/v1/payments/callback/", data=body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "invalid_signature")


def test_polling_finds_a_payment_whose_callback_never_came_and_a_late_callback_changes_nothing(
    world, via_recorder, payment_simulator, api_client
):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="none")
    assert payment_poll_pending(older_than=datetime.timedelta(minutes=10)) == {}  # too recent to ask yet

    counts = payment_poll_pending(older_than=datetime.timedelta(0))

    assert counts == {"accepted": 1}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.paid_at is not None
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PROCESSING

    # The late callback finally comes: acknowledged as a duplicate, nothing counted twice.
    simulator_control(payment_simulator, payment.gateway_txn_id, callback={"mode": "normal"})
    via_recorder.wait(1)
    response = _post_callback(api_client, *via_recorder.received[0])
    assert (response.status_code, response.json()["code"]) == (200, "duplicate")
    assert Receipt.objects.count() == 1
    assert payment_poll_pending(older_than=datetime.timedelta(0)) == {}


def test_a_cancelled_payment_can_be_retried(world, via_recorder, api_client):
    _request_payment(world)
    first = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(first.redirect_url, result="cancel")
    via_recorder.wait(1)
    _post_callback(api_client, *via_recorder.received[0])
    first.refresh_from_db()
    assert first.status == PaymentStatus.CANCELLED

    second = payment_start(actor=world.owner, dossier=world.dossier)

    assert second.pk != first.pk and second.status == PaymentStatus.PENDING
    assert second.gateway_txn_id != first.gateway_txn_id


def test_starting_twice_while_pending_returns_the_same_payment(world, gateway_settings):
    _request_payment(world)
    first = payment_start(actor=world.owner, dossier=world.dossier)
    second = payment_start(actor=world.owner, dossier=world.dossier)
    assert first.pk == second.pk and first.redirect_url == second.redirect_url


def test_the_platform_being_down_is_a_502_and_leaves_no_pending_payment(world, settings):
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:9"
    settings.PAYMENT_GATEWAY_TIMEOUT = 2
    _request_payment(world)

    response = auth_client(world.owner).post(f"/api/v1/dossiers/{world.dossier.code}/payments/")

    assert (response.status_code, response.json()["code"]) == (502, "gateway_unavailable")
    assert not Payment.objects.filter(status=PaymentStatus.PENDING).exists()


def test_the_simulator_page_is_reachable_from_the_redirect(world, gateway_settings):
    _request_payment(world)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    status, _, page = http("GET", payment.redirect_url)
    assert status == 200 and "56,000 VND" in page.decode()

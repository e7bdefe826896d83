"""Callbacks that come late, contradict what was recorded, or correct an earlier rejected notice."""

import json
import threading

import pytest

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import PaymentEvent, PaymentStatus, Receipt
from dichvucong.payments.services import payment_request, payment_start

from .helpers import pay_at_simulator, simulator_control

pytestmark = pytest.mark.django_db


def _started_payment(world):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 2})
    return payment_start(actor=world.owner, dossier=world.dossier)


def _wait_for_deliveries(simulator, transaction_id: str, count: int, timeout: float = 10.0) -> list[dict]:
    pause = threading.Event()
    for _ in range(int(timeout / 0.05)):
        deliveries = simulator_control(simulator, transaction_id)["deliveries"]
        if len(deliveries) >= count:
            return deliveries
        pause.wait(0.05)
    raise AssertionError(f"expected {count} callback deliveries")


def _post_callback(client, headers, body):
    return client.post(
        "/api/v1/payments/callback/",
        data=body,
        content_type="application/json",
        headers={"X-Signature": headers.get("X-Signature", "")},
    )


@pytest.mark.django_db(transaction=True)
def test_a_late_callback_settles_the_payment_once(world, gateway_settings, live_server, payment_simulator):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    payment = _started_payment(world)

    location = pay_at_simulator(payment.redirect_url, callback="late")

    assert location.startswith(f"{live_server.url}/thanh-toan/{payment.uuid}/ket-qua/")
    deliveries = _wait_for_deliveries(payment_simulator, payment.gateway_txn_id, 1)
    assert [(d["mode"], d["response"]) for d in deliveries] == [("normal", 200)]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert list(PaymentEvent.objects.filter(payment=payment).values_list("outcome", flat=True)) == ["accepted"]
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PROCESSING


@pytest.mark.django_db(transaction=True)
def test_a_success_after_a_cancel_is_a_late_conflict_without_receipt(
    world, gateway_settings, live_server, payment_simulator
):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    payment = _started_payment(world)
    pay_at_simulator(payment.redirect_url, result="cancel")
    assert [d["response"] for d in _wait_for_deliveries(payment_simulator, payment.gateway_txn_id, 1)] == [200]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED

    # The platform later reports the same transaction as paid (a new notice).
    simulator_control(payment_simulator, payment.gateway_txn_id, changes={"status": "success"})
    answer = simulator_control(
        payment_simulator, payment.gateway_txn_id, callback={"mode": "normal", "new_event": True}
    )

    assert answer == {"response": 409}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert not Receipt.objects.exists()
    last = PaymentEvent.objects.filter(payment=payment).last()
    assert (last.outcome, last.reported_status, last.signature_ok) == ("late_conflict", "success", True)
    audit = AuditEntry.objects.filter(action="payment.callback_late_conflict").get()
    assert audit.after["reported_status"] == "success" and audit.after["event"] == last.event_id
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PAYMENT_REQUESTED


def test_a_corrected_resend_of_a_rejected_notice_is_applied(
    world, gateway_settings, callback_recorder, payment_simulator, api_client
):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = callback_recorder.url.rsplit("/", 1)[0]
    payment = _started_payment(world)
    pay_at_simulator(payment.redirect_url, callback="amount_mismatch")
    callback_recorder.wait(1)
    simulator_control(payment_simulator, payment.gateway_txn_id, callback={"mode": "normal"})  # same event id
    callback_recorder.wait(2)
    (wrong_headers, wrong_body), (right_headers, right_body) = callback_recorder.received
    assert json.loads(wrong_body)["event_id"] == json.loads(right_body)["event_id"]

    wrong = _post_callback(api_client, wrong_headers, wrong_body)
    right = _post_callback(api_client, right_headers, right_body)
    replay = _post_callback(api_client, right_headers, right_body)

    assert (wrong.status_code, wrong.json()["code"]) == (400, "amount_mismatch")
    assert (right.status_code, right.json()["code"]) == (200, "accepted")
    assert (replay.status_code, replay.json()["code"]) == (200, "duplicate")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert Dossier.objects.get(pk=world.dossier.pk).events.filter(action="pay").count() == 1

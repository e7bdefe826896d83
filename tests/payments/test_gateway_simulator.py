"""The production client against the local payment simulator, over HTTP."""

import datetime
import json
import uuid

import pytest

from dichvucong.payments import wire
from dichvucong.payments.gateway import GatewayError, NationalPaymentPlatformClient, SignatureInvalid
from dichvucong.payments.simulator import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET

from .helpers import http, pay_at_simulator, simulator_control

VN = datetime.timezone(datetime.timedelta(hours=7))


def _client(simulator, secret=DEFAULT_SECRET):
    return NationalPaymentPlatformClient(base_url=simulator.url, merchant_code=DEFAULT_MERCHANT_CODE, secret=secret)


def _create(client, callback_url, amount=50_000, beneficiary="000.00.40.H31"):
    return client.create_payment(
        order_id=str(uuid.uuid4()),
        amount=amount,
        currency="VND",
        beneficiary_code=beneficiary,
        description="Lệ phí cấp bản sao",
        return_url="http://127.0.0.1:1/return",
        callback_url=callback_url,
    )


def test_canonical_string_sorts_fields_and_leaves_out_the_signature():
    assert wire.canonical_string({"b": 2, "a": "x", "signature": "zz", "c": None}) == "a=x&b=2&c="


def test_create_payment_returns_the_platform_page_with_the_three_buttons(payment_simulator, callback_recorder):
    created = _create(_client(payment_simulator), callback_recorder.url)

    assert created.redirect_url == f"{payment_simulator.url}/pay/{created.transaction_id}"
    status, _, page = http("GET", created.redirect_url)
    text = page.decode()
    assert status == 200
    assert "50,000 VND" in text
    for label in ("Thanh toán thành công", "Thanh toán thất bại", "Hủy giao dịch"):
        assert label in text


def test_a_request_signed_with_the_wrong_secret_is_refused_by_the_platform(payment_simulator, callback_recorder):
    with pytest.raises(GatewayError, match="401"):
        _create(_client(payment_simulator, secret="not-the-secret"), callback_recorder.url)


def test_paying_sends_a_signed_callback_that_the_client_verifies(payment_simulator, callback_recorder):
    client = _client(payment_simulator)
    created = _create(client, callback_recorder.url, amount=120_000)

    location = pay_at_simulator(created.redirect_url, result="success")
    callback_recorder.wait(1)
    headers, body = callback_recorder.received[0]
    result = client.verify_callback(headers, body)

    assert "status=success" in location
    assert result.transaction_id == created.transaction_id
    assert (result.status, result.amount, result.currency) == ("success", 120_000, "VND")
    assert result.paid_at.tzinfo is not None and result.event_id


def test_a_forged_callback_fails_verification(payment_simulator, callback_recorder):
    client = _client(payment_simulator)
    created = _create(client, callback_recorder.url)

    pay_at_simulator(created.redirect_url, callback="forged")
    callback_recorder.wait(1)
    headers, body = callback_recorder.received[0]

    with pytest.raises(SignatureInvalid):
        client.verify_callback(headers, body)
    tampered = json.loads(body)
    tampered["amount"] = 1
    genuine_headers = dict(headers)
    with pytest.raises(SignatureInvalid):
        client.verify_callback(genuine_headers, json.dumps(tampered).encode())


def test_duplicate_mode_delivers_the_same_event_twice(payment_simulator, callback_recorder):
    created = _create(_client(payment_simulator), callback_recorder.url)

    pay_at_simulator(created.redirect_url, callback="duplicate")
    callback_recorder.wait(2)

    first, second = (json.loads(body) for _, body in callback_recorder.received[:2])
    assert first["event_id"] == second["event_id"]


def test_no_callback_mode_sends_nothing_but_the_status_query_answers(payment_simulator, callback_recorder):
    client = _client(payment_simulator)
    created = _create(client, callback_recorder.url)
    assert client.query_status(created.transaction_id).status == "pending"

    pay_at_simulator(created.redirect_url, result="failure", callback="none")

    assert client.query_status(created.transaction_id).status == "failed"
    assert callback_recorder.received == []
    assert simulator_control(payment_simulator, created.transaction_id)["deliveries"] == []


def test_late_mode_sends_the_callback_after_a_delay(payment_simulator, callback_recorder):
    created = _create(_client(payment_simulator), callback_recorder.url)

    pay_at_simulator(created.redirect_url, callback="late")

    assert callback_recorder.received == []
    callback_recorder.wait(1, timeout=5)


def test_a_paid_transaction_cannot_be_paid_again(payment_simulator, callback_recorder):
    created = _create(_client(payment_simulator), callback_recorder.url)
    pay_at_simulator(created.redirect_url)

    status, _, _ = http("POST", created.redirect_url, form={"result": "success", "callback": "normal"})

    assert status == 409


def test_settlement_file_lists_the_days_successful_payments_signed(payment_simulator, callback_recorder):
    client = _client(payment_simulator)
    paid = _create(client, callback_recorder.url, amount=30_000)
    failed = _create(client, callback_recorder.url)
    pay_at_simulator(paid.redirect_url, callback="none")
    pay_at_simulator(failed.redirect_url, result="failure", callback="none")
    simulator_control(
        payment_simulator,
        paid.transaction_id,
        changes={"paid_at": "2031-03-04T23:59:00+07:00", "settlement_amount": 29_000},
    )

    rows = client.fetch_settlement(datetime.date(2031, 3, 4))

    assert [(r.transaction_id, r.amount, r.beneficiary_code) for r in rows] == [
        (paid.transaction_id, 29_000, "000.00.40.H31")
    ]
    assert rows[0].paid_at == datetime.datetime(2031, 3, 4, 23, 59, tzinfo=VN)
    assert client.fetch_settlement(datetime.date(2031, 3, 5)) == []


def test_settlement_request_with_a_wrong_secret_is_refused(payment_simulator):
    with pytest.raises(GatewayError, match="401"):
        _client(payment_simulator, secret="wrong").fetch_settlement(datetime.date(2031, 3, 4))


def test_unreachable_platform_is_a_gateway_error():
    client = NationalPaymentPlatformClient(base_url="http://127.0.0.1:9", merchant_code="X", secret="s", timeout=2)
    with pytest.raises(GatewayError, match="unreachable"):
        client.query_status("NPP1")

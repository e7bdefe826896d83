"""The post itself confirms (issue 11, item 4): the desk hands the result to the carrier through its API (the
shipment and its tracking number), the carrier's signed callback closes the dossier (delivered: national status 10 at
the delivery time) or brings the result back to the desk (failed). Over HTTP: the app ↔ the postal simulator
(`dichvucong.results.postal_simulator`, port 0) ↔ the live server."""

import datetime
import json
import urllib.request

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status, national_status
from dichvucong.results import postal_wire
from dichvucong.results.models import ResultDelivery
from dichvucong.results.postal import PostalCarrierClient, PostalCarrierError, postal_poll_sent
from dichvucong.results.postal_simulator import DEFAULT_SECRET
from dichvucong.workflows.processing import step_perform_action
from tests.conftest import auth_client

from .conftest import issued, signed

pytestmark = pytest.mark.django_db
POSTAL = {"method": "postal", "address": "Số 5 đường Nguyễn Văn Linh, TP Hưng Yên", "recipient_phone": "0912000222"}
CALLBACK = "/api/v1/postal/callback/"


def _control(simulator, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(simulator.url + "/_control/" + path, data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - local simulator
        return json.loads(response.read())


def _shipped(world, citizen=None):
    citizen = citizen or world.citizen
    dossier = issued(world, citizen)
    assert auth_client(citizen).put(f"/api/v1/dossiers/{dossier.code}/result/delivery/", POSTAL, format="json")
    response = auth_client(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/result/delivery/sent/", {}, format="json"
    )
    assert response.status_code == 200, response.json()
    return dossier, response.json()


def _state(dossier):
    current = Dossier.objects.get(pk=dossier.pk)
    delivery = ResultDelivery.objects.get(dossier=dossier)
    return (
        current.status,
        current.returned_at,
        current.events.count(),
        (delivery.delivered_at, delivery.failed_at, delivery.method),
        AuditEntry.objects.count(),
    )


def test_handing_the_result_to_the_post_creates_the_shipment_at_the_carrier(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)

    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.carrier == "VNPost" and delivery.tracking_number.startswith("EV") and delivery.sent_at
    assert body["tracking_number"] == delivery.tracking_number
    kept = _control(postal_simulator, f"shipments/{delivery.tracking_number}")
    assert kept["reference"] == dossier.code and kept["status"] == "accepted"
    assert kept["address"] == POSTAL["address"] and kept["recipient_phone"] == "0912000222"
    assert kept["callback_url"] == postal_settings.POSTAL_PUBLIC_BASE_URL + CALLBACK
    # sent: a second hand-over is refused, no second shipment at the carrier
    known = len(_control(postal_simulator, "shipments")["shipments"])
    again = auth_client(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/result/delivery/sent/", {}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "delivery_already_sent"
    assert len(_control(postal_simulator, "shipments")["shipments"]) == known


def test_only_the_desk_hands_the_result_to_the_carrier(world, postal_settings, postal_simulator):
    dossier = issued(world, world.citizen)
    auth_client(world.citizen).put(f"/api/v1/dossiers/{dossier.code}/result/delivery/", POSTAL, format="json")
    url = f"/api/v1/dossiers/{dossier.code}/result/delivery/sent/"
    known = len(_control(postal_simulator, "shipments")["shipments"])  # the simulator outlives each test's data
    assert auth_client(world.citizen).post(url, {}, format="json").status_code == 403
    assert auth_client(world.specialist).post(url, {}, format="json").status_code == 403
    assert auth_client(world.other_reception).post(url, {}, format="json").status_code == 404
    assert len(_control(postal_simulator, "shipments")["shipments"]) == known


def test_the_delivered_callback_closes_the_dossier_on_the_delivery_date(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)
    delivered = timezone.localtime().replace(microsecond=0)

    answer = _control(
        postal_simulator, f"shipments/{body['tracking_number']}/deliver", {"occurred_at": delivered.isoformat()}
    )

    assert answer["response"] == 200
    current = Dossier.objects.get(pk=dossier.pk)
    assert current.status == Status.RESULT_RETURNED and national_status(current.status) == 10
    assert current.returned_at == max(delivered, current.received_at)  # never before the legal times
    assert current.timeliness
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.delivered_at == delivered
    event = current.events.order_by("-pk").first()
    assert event.action == "deliver" and body["tracking_number"] in event.note
    audit = AuditEntry.objects.filter(action="result_delivery.delivered").order_by("-pk").first()
    assert audit.after["source"] == "carrier"


def test_a_replayed_callback_changes_nothing(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)
    _control(postal_simulator, f"shipments/{body['tracking_number']}/deliver", {})
    before = _state(dossier)

    replay = _control(postal_simulator, f"shipments/{body['tracking_number']}/callback", {})

    assert replay["response"] == 200
    assert _state(dossier) == before
    callbacks = _control(postal_simulator, f"shipments/{body['tracking_number']}")["callbacks"]
    assert [c["response"] for c in callbacks] == [200, 200] and callbacks[0]["event_id"] == callbacks[1]["event_id"]


def test_the_failed_callback_brings_the_result_back_to_the_desk(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)

    answer = _control(
        postal_simulator, f"shipments/{body['tracking_number']}/fail", {"reason": "Không có người nhận, đã báo 3 lần"}
    )

    assert answer["response"] == 200
    current = Dossier.objects.get(pk=dossier.pk)
    assert current.status == Status.PROCESSED  # not returned: the result waits at the desk
    assert current.events.order_by("-pk").first().action == "result_back_to_desk"
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.method == "counter" and delivery.failed_at and delivery.delivered_at is None
    assert delivery.failure_reason == "Không có người nhận, đã báo 3 lần"
    before = _state(dossier)
    assert _control(postal_simulator, f"shipments/{body['tracking_number']}/callback", {})["response"] == 200
    assert _state(dossier) == before
    # the applicant collects it at the desk
    desk = auth_client(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/actions/", {"action": "deliver"}, format="json"
    )
    assert desk.status_code == 200, desk.json()


def test_a_forged_callback_is_refused(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)
    _control(postal_simulator, f"shipments/{body['tracking_number']}/deliver", {"callback": False})
    before = _state(dossier)

    forged = _control(postal_simulator, f"shipments/{body['tracking_number']}/callback", {"forged": True})

    assert forged["response"] == 403
    assert _state(dossier) == before
    event = json.dumps(
        {"tracking_number": body["tracking_number"], "status": "delivered", "occurred_at": timezone.now().isoformat()}
    ).encode()
    unsigned = Client().post(CALLBACK, data=event, content_type="application/json")
    assert unsigned.status_code == 403 and unsigned.json()["code"] == "invalid_signature"
    tampered = Client().post(
        CALLBACK,
        data=event.replace(b"delivered", b"failed"),
        content_type="application/json",
        headers={postal_wire.SIGNATURE_HEADER: postal_wire.sign_bytes(event, DEFAULT_SECRET)},
    )
    assert tampered.status_code == 403 and tampered.json()["code"] == "invalid_signature"
    assert _state(dossier) == before


def _signed_post(payload: dict):
    raw = json.dumps(payload).encode()
    return Client().post(
        CALLBACK,
        data=raw,
        content_type="application/json",
        headers={postal_wire.SIGNATURE_HEADER: postal_wire.sign_bytes(raw, DEFAULT_SECRET)},
    )


def test_an_unknown_tracking_number_or_a_malformed_notice_is_refused(world, postal_settings, postal_simulator):
    # a shipment the carrier knows but that no dossier of ours was sent with
    stranger = PostalCarrierClient().create_shipment(
        reference="H31.99-999999-0001",
        recipient_name="Nguyễn Văn A",
        recipient_phone="0912000333",
        address="Hà Nội",
        callback_url=postal_settings.POSTAL_PUBLIC_BASE_URL + CALLBACK,
    )
    answer = _control(postal_simulator, f"shipments/{stranger['tracking_number']}/deliver", {})
    assert answer["response"] == 404
    now = timezone.now().isoformat()
    unknown = _signed_post({"tracking_number": "EV000000000VN", "status": "delivered", "occurred_at": now})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_shipment"
    not_json = Client().post(
        CALLBACK,
        data=b"\xff{",
        content_type="application/json",
        headers={postal_wire.SIGNATURE_HEADER: postal_wire.sign_bytes(b"\xff{", DEFAULT_SECRET)},
    )
    assert not_json.status_code == 400 and not_json.json()["code"] == "malformed"
    for bad in (
        {"tracking_number": "EV000000000VN", "status": "lost", "occurred_at": now},
        {"tracking_number": "EV000000000VN", "status": "delivered", "occurred_at": "9999-99-99"},
        {"tracking_number": "EV000000000VN", "status": "delivered", "occurred_at": "2026-12-03T10:00:00"},  # naive
        {"tracking_number": 12, "status": "delivered", "occurred_at": now},
        {"tracking_number": "EV0\u0000VN", "status": "delivered", "occurred_at": now},  # NUL (PostgreSQL)
        {"tracking_number": "EV" + "1" * 80, "status": "delivered", "occurred_at": now},
        {"tracking_number": "EV000000000VN", "status": "delivered", "occurred_at": "2026-13-45T10:00:00+07:00"},
        {"tracking_number": "EV000000000VN", "status": "delivered", "occurred_at": "9999-12-31T23:59:59-23:59"},
        {"tracking_number": "EV000000000VN", "status": "delivered", "occurred_at": now, "reference": ["x"]},
        ["not", "an", "object"],
    ):
        response = _signed_post(bad)
        # (a NUL byte is already refused by the site's input guard: `invalid_characters`)
        assert response.status_code == 400 and response.json()["code"] in ("malformed", "invalid_characters"), bad


def test_a_delivery_time_in_the_future_is_refused(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)
    future = (timezone.localtime() + datetime.timedelta(days=2)).isoformat()
    response = _signed_post({"tracking_number": body["tracking_number"], "status": "delivered", "occurred_at": future})
    assert response.status_code == 400 and response.json()["code"] == "invalid_delivery_time"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSED


def test_a_missed_callback_is_caught_up_by_polling_the_carrier(world, postal_settings, postal_simulator):
    dossier, body = _shipped(world)
    _control(postal_simulator, f"shipments/{body['tracking_number']}/deliver", {"callback": False})
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSED

    counts = postal_poll_sent(older_than=datetime.timedelta(0))

    assert counts == {"applied": 1}
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_RETURNED
    assert postal_poll_sent(older_than=datetime.timedelta(0)) == {}


def test_the_carrier_validates_shipments_and_signatures(postal_settings, postal_simulator):
    client = PostalCarrierClient()
    fields = {
        "reference": "H31.99-999999-0002",
        "recipient_name": "Nguyễn Văn B",
        "recipient_phone": "abc",
        "address": "",
        "callback_url": "ftp://x",
    }
    with pytest.raises(PostalCarrierError) as refused:
        client.create_shipment(**fields)
    assert refused.value.code == "http_400"
    assert json.loads(refused.value.detail)["fields"] == ["address", "callback_url", "recipient_phone"]
    with pytest.raises(PostalCarrierError) as forged:
        PostalCarrierClient(secret="not-the-secret").create_shipment(
            **{**fields, "recipient_phone": "0912000444", "address": "Hà Nội", "callback_url": "http://127.0.0.1:9/"}
        )
    assert forged.value.code == "http_401"


def test_an_unreachable_carrier_records_nothing(world, postal_settings):
    postal_settings.POSTAL_CARRIER_URL = "http://127.0.0.1:9"
    dossier = issued(world, world.citizen)
    auth_client(world.citizen).put(f"/api/v1/dossiers/{dossier.code}/result/delivery/", POSTAL, format="json")
    response = auth_client(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/result/delivery/sent/", {}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "postal_carrier_error"
    assert ResultDelivery.objects.get(dossier=dossier).sent_at is None


def test_a_result_issued_to_an_applicant_who_chose_the_post_goes_to_the_carrier(
    world, postal_settings, postal_simulator
):
    dossier = signed(world, world.citizen)
    auth_client(world.citizen).put(f"/api/v1/dossiers/{dossier.code}/result/delivery/", POSTAL, format="json")

    step_perform_action(actor=world.clerk, dossier=dossier, action="deliver", data={})  # the result is issued

    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.sent_at and delivery.carrier == "VNPost" and delivery.sent_by == world.clerk
    assert _control(postal_simulator, f"shipments/{delivery.tracking_number}")["status"] == "accepted"
    answer = _control(postal_simulator, f"shipments/{delivery.tracking_number}/deliver", {})
    assert answer["response"] == 200
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_RETURNED


def test_the_result_page_hands_the_result_to_the_carrier(world, postal_settings, postal_simulator):
    dossier = issued(world, world.citizen)
    auth_client(world.citizen).put(f"/api/v1/dossiers/{dossier.code}/result/delivery/", POSTAL, format="json")
    officer = Client()
    officer.force_login(world.reception)
    page = officer.get(f"/ho-so/{dossier.code}/ket-qua/").content.decode()
    assert 'value="ship"' in page and 'name="tracking_number"' not in page

    officer.post(f"/ho-so/{dossier.code}/ket-qua/", {"op": "ship"})

    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.sent_at and delivery.tracking_number.startswith("EV") and delivery.sent_by == world.reception
    citizen = Client()
    citizen.force_login(world.citizen)
    citizen.post(f"/ho-so/{dossier.code}/ket-qua/", {"op": "ship"})  # not the desk: refused, nothing sent twice
    assert ResultDelivery.objects.get(dossier=dossier).tracking_number == delivery.tracking_number

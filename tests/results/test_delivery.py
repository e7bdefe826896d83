"""Result delivery: the applicant chooses postal delivery, the one-stop desk records carrier and tracking number."""

import pytest
from django.test import Client

from dichvucong.audit.models import AuditEntry
from dichvucong.results.models import ResultDelivery
from tests.conftest import auth_client

from .conftest import issued, submitted

pytestmark = pytest.mark.django_db
POSTAL = {"method": "postal", "address": "Số 5 đường Nguyễn Văn Linh, TP Hưng Yên", "recipient_phone": "0912000222"}


def _delivery_url(dossier, tail: str = "") -> str:
    return f"/api/v1/dossiers/{dossier.code}/result/delivery/{tail}"


def test_the_owner_chooses_postal_delivery_with_an_address_at_submission_time(world):
    dossier = submitted(world)

    response = auth_client(world.citizen).put(_delivery_url(dossier), POSTAL, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["method"] == "postal"
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.address == POSTAL["address"] and delivery.recipient_name == "Nguyễn Văn An"
    assert auth_client(world.reception).get(_delivery_url(dossier)).json()["method"] == "postal"


def test_postal_delivery_needs_an_address(world):
    dossier = submitted(world)

    response = auth_client(world.citizen).put(_delivery_url(dossier), {"method": "postal"}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "address_required"
    assert not ResultDelivery.objects.exists()


def test_the_reception_officer_records_the_shipment_then_the_delivery(world):
    dossier = issued(world)
    auth_client(world.citizen).put(_delivery_url(dossier), POSTAL, format="json")

    response = auth_client(world.reception).post(
        _delivery_url(dossier, "sent/"), {"carrier": "VNPost", "tracking_number": "EV123456789VN"}, format="json"
    )

    assert response.status_code == 200, response.json()
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert (delivery.carrier, delivery.tracking_number, delivery.sent_by) == (
        "VNPost",
        "EV123456789VN",
        world.reception,
    )
    assert delivery.sent_at is not None and delivery.delivered_at is None
    assert auth_client(world.citizen).get(_delivery_url(dossier)).json()["tracking_number"] == "EV123456789VN"
    again = auth_client(world.reception).post(
        _delivery_url(dossier, "sent/"), {"carrier": "VNPost", "tracking_number": "X"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "delivery_already_sent"
    assert (
        auth_client(world.citizen).put(_delivery_url(dossier), {"method": "online"}, format="json").status_code == 409
    )

    response = auth_client(world.reception).post(_delivery_url(dossier, "delivered/"), format="json")
    assert response.status_code == 200 and response.json()["delivered_at"]
    assert AuditEntry.objects.filter(action="result_delivery.sent").count() == 1


def test_shipment_needs_a_tracking_number_and_a_ready_result(world):
    waiting = submitted(world)
    auth_client(world.citizen).put(_delivery_url(waiting), POSTAL, format="json")
    response = auth_client(world.reception).post(
        _delivery_url(waiting, "sent/"), {"carrier": "VNPost", "tracking_number": "EV1VN"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "result_not_ready"

    done = issued(world, world.citizen2)
    auth_client(world.citizen2).put(_delivery_url(done), POSTAL, format="json")
    response = auth_client(world.reception).post(
        _delivery_url(done, "sent/"), {"carrier": "VNPost", "tracking_number": " "}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "tracking_number_required"


def test_the_citizen_cannot_record_a_shipment_and_others_do_not_see_the_dossier(world):
    dossier = issued(world)
    auth_client(world.citizen).put(_delivery_url(dossier), POSTAL, format="json")
    body = {"carrier": "VNPost", "tracking_number": "EV1VN"}

    assert auth_client(world.citizen).post(_delivery_url(dossier, "sent/"), body, format="json").status_code == 403
    assert auth_client(world.specialist).post(_delivery_url(dossier, "sent/"), body, format="json").status_code == 403
    for user in (world.other_reception, world.citizen2, world.monitor):
        assert auth_client(user).post(_delivery_url(dossier, "sent/"), body, format="json").status_code == 404
        assert auth_client(user).put(_delivery_url(dossier), POSTAL, format="json").status_code == 404
    assert ResultDelivery.objects.get(dossier=dossier).sent_at is None


def test_the_result_page_records_postal_delivery(world):
    dossier = issued(world)
    owner = Client()
    owner.force_login(world.citizen)
    owner.post(f"/ho-so/{dossier.code}/ket-qua/", {"op": "choose", **POSTAL})
    officer = Client()
    officer.force_login(world.reception)

    response = officer.post(
        f"/ho-so/{dossier.code}/ket-qua/",
        {"op": "sent", "carrier": "VNPost", "tracking_number": "EV987VN"},
        follow=True,
    )

    assert response.status_code == 200
    assert "EV987VN" in response.content.decode()
    assert ResultDelivery.objects.get(dossier=dossier).tracking_number == "EV987VN"

"""The post's answer closes the dossier (issue 11, item 4): a delivery confirmed by the post returns the dossier
(national status 10) dated at the delivery; a failed delivery brings the result back to the one-stop desk."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status, national_status
from dichvucong.results.models import ResultDelivery
from tests.conftest import auth_client

from .conftest import issued

pytestmark = pytest.mark.django_db
POSTAL = {"method": "postal", "address": "Số 5 đường Nguyễn Văn Linh, TP Hưng Yên", "recipient_phone": "0912000222"}


def _url(dossier, tail: str = "") -> str:
    return f"/api/v1/dossiers/{dossier.code}/result/delivery/{tail}"


def _sent(world):
    return _sent_for(world, world.citizen)


def _sent_for(world, citizen):
    dossier = issued(world, citizen)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSED
    auth_client(citizen).put(_url(dossier), POSTAL, format="json")
    response = auth_client(world.reception).post(
        _url(dossier, "sent/"), {"carrier": "VNPost", "tracking_number": "EV123456789VN"}, format="json"
    )
    assert response.status_code == 200, response.json()
    return dossier


def test_a_delivery_confirmed_by_the_post_returns_the_dossier_on_the_delivery_date(world):
    dossier = _sent(world)
    delivered = timezone.localtime().replace(microsecond=0)

    response = auth_client(world.reception).post(
        _url(dossier, "delivered/"), {"outcome": "delivered", "at": delivered.isoformat()}, format="json"
    )

    assert response.status_code == 200, response.json()
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.RESULT_RETURNED and national_status(dossier.status) == 10
    assert dossier.returned_at == max(delivered, dossier.received_at)
    assert dossier.timeliness  # judged at the return
    event = dossier.events.order_by("-pk").first()
    assert event.action == "deliver" and "EV123456789VN" in event.note
    again = auth_client(world.reception).post(_url(dossier, "delivered/"), {}, format="json")
    assert again.status_code == 409


def test_a_failed_delivery_brings_the_result_back_to_the_desk(world):
    dossier = _sent(world)

    missing = auth_client(world.reception).post(_url(dossier, "delivered/"), {"outcome": "failed"}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "reason_required"
    response = auth_client(world.reception).post(
        _url(dossier, "delivered/"), {"outcome": "failed", "reason": "Không có người nhận, đã báo 3 lần"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["method"] == "counter" and body["failed_at"] and body["delivered_at"] is None
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PROCESSED  # not returned: the result waits at the desk
    assert dossier.events.order_by("-pk").first().action == "result_back_to_desk"
    # the applicant collects it at the desk: the desk's own `deliver` returns the dossier
    desk = auth_client(world.reception).post(
        f"/api/v1/dossiers/{dossier.code}/actions/", {"action": "deliver"}, format="json"
    )
    assert desk.status_code == 200, desk.json()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_RETURNED


def test_after_a_failure_the_applicant_may_choose_the_post_again(world):
    dossier = _sent(world)
    auth_client(world.reception).post(
        _url(dossier, "delivered/"), {"outcome": "failed", "reason": "Sai địa chỉ"}, format="json"
    )
    fixed = {**POSTAL, "address": "Số 7 đường Nguyễn Văn Linh, TP Hưng Yên"}
    assert auth_client(world.citizen).put(_url(dossier), fixed, format="json").status_code == 200
    resent = auth_client(world.reception).post(
        _url(dossier, "sent/"), {"carrier": "VNPost", "tracking_number": "EV987654321VN"}, format="json"
    )
    assert resent.status_code == 200, resent.json()
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert (delivery.tracking_number, delivery.failed_at, delivery.method) == ("EV987654321VN", None, "postal")


def test_the_post_reported_time_is_checked_and_only_the_desk_records_it(world):
    dossier = _sent(world)
    future = (timezone.localtime() + datetime.timedelta(days=2)).isoformat()
    response = auth_client(world.reception).post(_url(dossier, "delivered/"), {"at": future}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_delivery_time"
    assert auth_client(world.specialist).post(_url(dossier, "delivered/"), {}, format="json").status_code == 403
    assert auth_client(world.citizen).post(_url(dossier, "delivered/"), {}, format="json").status_code == 403
    assert auth_client(world.other_reception).post(_url(dossier, "delivered/"), {}, format="json").status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSED


def test_the_result_page_records_the_posts_answer(world):
    from django.test import Client

    delivered = _sent(world)
    officer = Client()
    officer.force_login(world.reception)
    page = officer.get(f"/ho-so/{delivered.code}/ket-qua/")
    assert 'name="delivered_on"' in page.content.decode() and 'value="failed"' in page.content.decode()

    officer.post(f"/ho-so/{delivered.code}/ket-qua/", {"op": "delivered", "delivered_on": ""})
    assert Dossier.objects.get(pk=delivered.pk).status == Status.RESULT_RETURNED

    failed = _sent_for(world, world.citizen2)
    response = officer.post(
        f"/ho-so/{failed.code}/ket-qua/", {"op": "failed", "reason": "Người nhận từ chối nhận"}, follow=True
    )
    assert "Người nhận từ chối nhận" in response.content.decode()
    delivery = ResultDelivery.objects.get(dossier=failed)
    assert delivery.method == "counter" and delivery.failed_at is not None


def test_the_result_of_a_commune_is_dated_at_the_commune():
    from dichvucong.results import rendering
    from tests.agencies.factories import AgencyFactory

    commune = AgencyFactory.commune(name="Ủy ban nhân dân xã Lạc Đạo")
    department = AgencyFactory.department(name="Sở Tư pháp tỉnh Hưng Yên")
    assert rendering.place(commune) == "Lạc Đạo"
    assert rendering.place(department) == "Hưng Yên"

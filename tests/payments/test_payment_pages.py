"""The web path of paying: the officer's "request payment" form, the citizen from the dossier page to the platform,
and the «Kiểm tra lại» form (POST) settling a payment whose callback never came: a GET of the pages only reads."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import FeeAssessment, Payment, PaymentEvent, PaymentStatus, Receipt
from dichvucong.payments.services import payment_request, payment_start

from .helpers import pay_at_simulator

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the officer asks for the fees from the dossier page --------------------------------------------------------
def test_the_officer_requests_payment_from_the_page_with_a_quantity_and_an_exemption(world):
    officer = browser(world.specialist)
    url = f"/mot-cua/ho-so/{world.dossier.code}/"
    page = officer.get(url).content.decode()
    assert f'name="quantity_{world.per_copy.pk}"' in page and f'name="exemption_{world.fixed.pk}"' in page
    assert f'name="quantity_{world.fixed.pk}"' not in page  # a fixed fee has no quantity

    response = officer.post(
        url,
        {
            "action": "request_payment",
            f"quantity_{world.per_copy.pk}": "4",
            f"exemption_{world.fixed.pk}": "",
            "note": "Bản sao 4 bản",
        },
    )

    assert response.status_code == 302
    assessment = FeeAssessment.objects.get(dossier=world.dossier)
    assert list(assessment.lines.values_list("name", "quantity", "amount", "exempt")) == [
        ("Lệ phí cấp bản sao", 1, 50_000, False),
        ("Phí in bản sao", 4, 12_000, False),
    ]
    assert assessment.total == 62_000
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PAYMENT_REQUESTED


def test_an_exemption_from_the_page_needs_no_quantity_and_is_not_charged(world):
    response = browser(world.specialist).post(
        f"/mot-cua/ho-so/{world.dossier.code}/",
        {"action": "request_payment", f"exemption_{world.fixed.pk}": "Người có công với cách mạng"},
    )

    assert response.status_code == 302
    assessment = FeeAssessment.objects.get(dossier=world.dossier)
    assert assessment.total == 3_000
    assert assessment.lines.get(fee_rule=world.fixed).exemption_reason == "Người có công với cách mạng"


def test_an_invalid_quantity_from_the_page_requests_nothing(world):
    response = browser(world.specialist).post(
        f"/mot-cua/ho-so/{world.dossier.code}/",
        {"action": "request_payment", f"quantity_{world.per_copy.pk}": "0"},
        follow=True,
    )

    assert "Dữ liệu không hợp lệ" in response.content.decode()
    assert not FeeAssessment.objects.exists()


# --- the citizen: dossier page → payment page → platform ---------------------------------------------------------
def test_the_dossier_page_leads_the_citizen_to_the_payment_page_and_the_platform(
    world, gateway_settings, payment_simulator
):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 2})
    citizen = browser(world.owner)
    detail_url = f"/ho-so/cua-toi/{world.dossier.code}/"
    pay_url = f"/ho-so/{world.dossier.code}/thanh-toan/"

    page = citizen.get(detail_url).content.decode()
    assert f'href="{pay_url}"' in page and f'action="{pay_url}"' in page

    # A "pay" posted to the dossier page goes on to the payment page's POST (same method and form)...
    handed_over = citizen.post(detail_url, {"action": "pay"})
    assert (handed_over.status_code, handed_over["Location"]) == (307, pay_url)
    assert not Payment.objects.exists()
    # ...which starts the payment and sends the citizen to the platform.
    to_platform = citizen.post(handed_over["Location"], {"action": "pay"})

    payment = Payment.objects.get(dossier=world.dossier)
    assert to_platform.status_code == 302 and to_platform["Location"] == payment.redirect_url
    assert payment.redirect_url.startswith(payment_simulator.url)
    assert "56.000" in citizen.get(pay_url).content.decode()


def test_the_dossier_page_of_another_citizen_does_not_hand_over_a_payment(world, gateway_settings):
    payment_request(actor=world.specialist, dossier=world.dossier)

    response = browser(world.stranger).post(f"/ho-so/cua-toi/{world.dossier.code}/", {"action": "pay"})

    assert response.status_code == 404
    assert browser(world.stranger).post(f"/ho-so/{world.dossier.code}/thanh-toan/").status_code == 404
    assert not Payment.objects.exists()


def test_the_dossier_page_shows_no_payment_link_before_a_payment_request(world):
    page = browser(world.owner).get(f"/ho-so/cua-toi/{world.dossier.code}/").content.decode()
    assert "/thanh-toan/" not in page


# --- the callback never came: «Kiểm tra lại» (POST) asks the platform -------------------------------------------
def _paid_without_callback(world):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 2})
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="none")
    return payment


def _age(payment, seconds: int) -> None:
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_the_return_page_settles_a_payment_whose_callback_never_came(world, gateway_settings, payment_simulator):
    payment = _paid_without_callback(world)
    citizen = browser(world.owner)
    url = f"/thanh-toan/{payment.uuid}/ket-qua/"
    check_url = f"/thanh-toan/{payment.uuid}/kiem-tra/"

    fresh = citizen.post(check_url)  # just back from the platform: the callback may still come
    assert (fresh.status_code, fresh["Location"]) == (302, url)
    assert "đang chờ xác nhận" in citizen.get(url).content.decode()
    payment.refresh_from_db()
    assert (payment.status, payment.last_checked_at) == (PaymentStatus.PENDING, None)

    _age(payment, 10)
    reloaded = citizen.post(check_url, follow=True).content.decode()

    assert "Thanh toán thành công" in reloaded and "Tải biên lai điện tử" in reloaded
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert list(PaymentEvent.objects.values_list("source", "outcome")) == [("poll", "accepted")]
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PROCESSING


def test_checking_again_from_the_payment_page_settles_it_too(world, gateway_settings, payment_simulator):
    payment = _paid_without_callback(world)
    _age(payment, 10)
    citizen = browser(world.owner)
    pay_url = f"/ho-so/{world.dossier.code}/thanh-toan/"
    assert f'action="/thanh-toan/{payment.uuid}/kiem-tra/"' in citizen.get(pay_url).content.decode()

    response = citizen.post(f"/thanh-toan/{payment.uuid}/kiem-tra/", {"back": "pay"})

    assert (response.status_code, response["Location"]) == (302, pay_url)
    page = citizen.get(pay_url).content.decode()

    assert "Hồ sơ đã được thanh toán" in page
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert Receipt.objects.count() == 1


def test_the_platform_is_not_asked_again_within_a_few_seconds(world, gateway_settings, payment_simulator):
    payment_request(actor=world.specialist, dossier=world.dossier)
    payment = payment_start(actor=world.owner, dossier=world.dossier)  # the payer has not paid yet
    _age(payment, 10)
    citizen = browser(world.owner)

    citizen.post(f"/thanh-toan/{payment.uuid}/kiem-tra/")
    citizen.post(f"/thanh-toan/{payment.uuid}/kiem-tra/")

    assert list(PaymentEvent.objects.values_list("source", "outcome")) == [("poll", "still_pending")]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


# --- a GET only reads ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["return", "pay"])
def test_a_get_of_the_payment_pages_with_a_pending_payment_writes_nothing(
    world, gateway_settings, payment_simulator, page
):
    payment = _paid_without_callback(world)  # paid at the platform, no callback: a check would settle it
    _age(payment, 10)
    audit_rows, citizen = AuditEntry.objects.count(), browser(world.owner)
    url = f"/thanh-toan/{payment.uuid}/ket-qua/" if page == "return" else f"/ho-so/{world.dossier.code}/thanh-toan/"

    html = citizen.get(url).content.decode()
    citizen.get(url)

    payment.refresh_from_db()
    assert (payment.status, payment.last_checked_at) == (PaymentStatus.PENDING, None)
    assert not PaymentEvent.objects.exists() and not Receipt.objects.exists()
    assert AuditEntry.objects.count() == audit_rows
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PAYMENT_REQUESTED
    # ...and offers «Kiểm tra lại» (a POST with its CSRF token) and the script that submits it once by itself.
    assert f'method="post" action="/thanh-toan/{payment.uuid}/kiem-tra/"' in html
    assert "csrfmiddlewaretoken" in html and "Kiểm tra lại" in html and "payments/check.js" in html


def test_the_check_is_a_post_and_settles_the_payment(world, gateway_settings, payment_simulator):
    payment = _paid_without_callback(world)
    _age(payment, 10)
    citizen = browser(world.owner)
    check_url = f"/thanh-toan/{payment.uuid}/kiem-tra/"

    assert citizen.get(check_url).status_code == 405
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING

    citizen.post(check_url)

    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert list(PaymentEvent.objects.values_list("source", "outcome")) == [("poll", "accepted")]


def test_someone_else_cannot_check_a_payment(world, gateway_settings, payment_simulator):
    payment = _paid_without_callback(world)
    _age(payment, 10)

    assert browser(world.stranger).post(f"/thanh-toan/{payment.uuid}/kiem-tra/").status_code == 404
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not PaymentEvent.objects.exists()


def test_the_check_needs_the_csrf_token(world, gateway_settings, payment_simulator):
    payment = _paid_without_callback(world)
    _age(payment, 10)
    citizen = Client(enforce_csrf_checks=True)
    citizen.force_login(world.owner)

    assert citizen.post(f"/thanh-toan/{payment.uuid}/kiem-tra/").status_code == 403
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING

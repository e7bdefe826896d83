"""The payer comes back before the platform's callback (here: it never comes): the return page only reads, and its
script submits «Kiểm tra lại» once by itself (a POST), which asks the platform and shows the payment paid."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import PaymentStatus
from dichvucong.payments.services import payment_request, payment_start
from tests.payments.helpers import pay_at_simulator

from .conftest import console_errors, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_return_page_checks_a_pending_payment_once_by_itself(
    browser, live_server, world, gateway_settings, payment_simulator, settings
):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    settings.PAYMENT_RETURN_POLL_AFTER_SECONDS = 0
    payment_request(actor=world.specialist, dossier=world.dossier)
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url, callback="none")
    log_in(browser, live_server, world.owner)

    browser.get(f"{live_server.url}/thanh-toan/{payment.uuid}/ket-qua/")

    WebDriverWait(browser, 15).until(lambda driver: "Thanh toán thành công" in driver.page_source)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PROCESSING
    assert [m for m in console_errors(browser) if "favicon" not in m] == []

"""In a real browser: from the citizen's dossier page, the "pay" button reaches the payment platform (phone size)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dichvucong.payments.models import PaymentStatus
from dichvucong.payments.services import payment_request

from .conftest import console_errors, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dossier_page_pay_button_reaches_the_platform(
    browser, live_server, world, gateway_settings, payment_simulator, settings
):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    settings.CSP_FORM_ACTION_ORIGINS = [payment_simulator.url]
    payment_request(actor=world.specialist, dossier=world.dossier)
    log_in(browser, live_server, world.owner)

    browser.get(f"{live_server.url}/ho-so/cua-toi/{world.dossier.code}/")
    browser.find_element(By.CSS_SELECTOR, "form[aria-labelledby=act-pay] button[type=submit]").click()
    WebDriverWait(browser, 15).until(ec.url_contains(payment_simulator.url))

    assert world.dossier.payments.get().status == PaymentStatus.PENDING
    assert not [m for m in console_errors(browser) if "Content Security Policy" in m]

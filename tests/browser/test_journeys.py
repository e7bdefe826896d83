"""Journeys in a real browser: the citizen pays at the payment platform (simulator) and comes back paid; the
public pages load without a console error (a CSP violation or a broken script shows there)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import PaymentStatus
from dichvucong.payments.services import payment_request

from .conftest import axe_violations, console_errors, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_citizen_pays_at_the_platform_and_comes_back_paid(
    browser, live_server, world, gateway_settings, payment_simulator, settings, shots
):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    settings.CSP_FORM_ACTION_ORIGINS = [payment_simulator.url]
    payment_request(actor=world.specialist, dossier=world.dossier)
    log_in(browser, live_server, world.owner)

    browser.get(f"{live_server.url}/ho-so/{world.dossier.code}/thanh-toan/")
    assert "53.000 đồng" in browser.page_source  # 50,000 fixed + 1 copy × 3,000
    assert axe_violations(browser) == []
    shots(browser, "fees-1-pay-page")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # The browser follows the redirect to the platform's page (blocked if form-action does not allow it).
    WebDriverWait(browser, 15).until(ec.url_contains(payment_simulator.url))
    browser.find_element(By.CSS_SELECTOR, "button[value=success]").click()
    WebDriverWait(browser, 15).until(ec.url_contains(f"{live_server.url}/thanh-toan/"))
    assert axe_violations(browser) == []
    shots(browser, "fees-2-paid-receipt")

    payment = world.dossier.payments.get()
    assert payment.status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=world.dossier.pk).status == Status.PROCESSING
    assert not [m for m in console_errors(browser) if "Content Security Policy" in m]


def test_the_payment_redirect_is_blocked_without_the_platform_in_form_action(
    browser, live_server, world, gateway_settings, payment_simulator, settings
):
    """The regression the first test guards: with form-action 'self' only, the browser never reaches the platform."""
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    settings.CSP_FORM_ACTION_ORIGINS = []
    payment_request(actor=world.specialist, dossier=world.dossier)
    log_in(browser, live_server, world.owner)
    browser.get(f"{live_server.url}/ho-so/{world.dossier.code}/thanh-toan/")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 5).until(
        lambda driver: console_errors(driver) or payment_simulator.url in driver.current_url
    )
    assert payment_simulator.url not in browser.current_url


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/tra-cuu/", "/xac-thuc-chu-ky/"])
def test_public_pages_load_without_console_errors(browser, live_server, path):
    browser.get(f"{live_server.url}{path}")
    assert browser.find_element(By.TAG_NAME, "main")
    assert axe_violations(browser) == [], path  # the phone size of the fixture
    assert [m for m in console_errors(browser) if "favicon" not in m] == []

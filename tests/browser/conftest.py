"""Browser journeys in Debian's chromium (headless) through selenium and Debian's chromedriver: what only a real
browser checks (the Content-Security-Policy, redirects across sites, scripts). Skipped when chromium or
chromedriver is missing; `.ci/run` installs both, so CI always runs them."""

import shutil

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.payments.factories import payments_world

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def world(db):
    """The payments world (tests/payments/factories.py): a fee-bearing procedure, its officers, one dossier."""
    return payments_world()


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Debian chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=390,844",
        "--lang=vi",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def log_in(driver, live_server, user) -> None:
    """Give the browser the session of `user` (the login form itself is tested in tests/accounts)."""
    client = Client()
    client.force_login(user)
    driver.get(f"{live_server.url}/healthz")
    driver.add_cookie(
        {
            "name": django_settings.SESSION_COOKIE_NAME,
            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]

"""Browser journeys in Debian's chromium (headless) through selenium and Debian's chromedriver: what only a real
browser checks (the Content-Security-Policy, redirects across sites, scripts). Skipped when chromium or
chromedriver is missing; `.ci/run` installs both, so CI always runs them."""

import os
import shutil
from pathlib import Path

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


# --- issue 18: accessibility checks (axe-core), screen sizes, screenshots ------------------------------------------
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
#: Where the journeys' screenshots go: docs/screenshots/ when DCV_SCREENSHOTS=1 (to refresh the committed ones),
#: otherwise a temporary folder (CI never changes the work tree).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def axe_violations(driver, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core (vendored, injected by the test driver; the site never serves it) on the current page: the
    violations of the given impacts as "rule: target" strings."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); },"
        " function (e) { done([{id: 'axe-error', impact: 'critical', nodes: [{target: [String(e)]}]}]); });"
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result
        if v.get("impact") in impacts
    ]


@pytest.fixture
def shots(tmp_path):
    folder = SCREENSHOTS if os.environ.get("DCV_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(driver, name: str) -> Path:
        """The whole page (the window grows to the page's height for the picture, then comes back)."""
        path = folder / f"{name}.png"
        size = driver.get_window_size()
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], min(max(height + 140, size["height"]), 6000))
        driver.save_screenshot(str(path))
        driver.set_window_size(size["width"], size["height"])
        return path

    return take


def resize(driver, size: str) -> None:
    width, height = SIZES[size]
    driver.set_window_size(width, height)

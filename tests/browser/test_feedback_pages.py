"""The rating and feedback pages in Debian's Chromium at phone size: axe-core finds no serious or critical violation
and the citizen rates a finished dossier with the keyboard-reachable radio groups (issue 13 item 4)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dichvucong.feedback.models import Rating
from tests.dossiers.factories import DossierFactory

from .conftest import axe_violations, log_in, resize

pytestmark = pytest.mark.django_db(transaction=True)


def _axe(browser, name):
    WebDriverWait(browser, 15).until(ec.presence_of_element_located((By.TAG_NAME, "main")))
    assert axe_violations(browser) == [], name


def test_feedback_and_rating_pages_pass_axe_on_a_phone(browser, live_server):
    dossier = DossierFactory(processed=True)
    resize(browser, "phone")
    for path in ("/phan-anh/gui/", "/phan-anh/"):
        browser.get(f"{live_server.url}{path}")
        _axe(browser, path)
    log_in(browser, live_server, dossier.owner)
    browser.get(f"{live_server.url}/ho-so/cua-toi/{dossier.code}/danh-gia/")
    _axe(browser, "rate")
    for name in ("overall", "timeliness", "attitude"):
        browser.find_element(By.CSS_SELECTOR, f"input[name={name}][value='4']").click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 15).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".messages")))
    _axe(browser, "rated")
    assert Rating.objects.get(dossier=dossier).overall == 4

"""The print buttons of the officers' dossier page (issue 18, item 4): «In biên lai» for each receipt of the fees paid,
beside «In Mẫu 01»; both load the PDF in a hidden frame of the page (static `dossiers/print.js`, CSP 'self', no inline
script), so the PDFs may be framed by the same origin only — the rest of the site keeps refusing any frame."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import Receipt
from dichvucong.payments.services import payment_collect, payment_request

from .conftest import make_dossier

pytestmark = pytest.mark.django_db


def _accepted(world):
    dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner, status=Status.ACCEPTED)
    dossier.accepted_at = dossier.received_at = timezone.now()
    dossier.due_at = timezone.now() + datetime.timedelta(days=3)
    dossier.save()
    return dossier


def _paid_at_the_desk(world):
    dossier = _accepted(world)
    payment_request(actor=world.reception, dossier=dossier)
    dossier.refresh_from_db()
    payment_collect(actor=world.reception, dossier=dossier, method="cash", reference="", note="")
    dossier.refresh_from_db()
    return dossier, Receipt.objects.get(payment__dossier=dossier)


def _page(user, dossier):
    client = Client()
    client.force_login(user)
    return client.get(f"/mot-cua/ho-so/{dossier.reference}/")


def test_the_office_page_has_a_print_button_for_each_receipt_and_for_mau_01(world):
    dossier, receipt = _paid_at_the_desk(world)

    response = _page(world.reception, dossier)

    assert response.status_code == 200
    html = response.content.decode()
    receipt_url = f"/api/v1/receipts/{receipt.uuid}.pdf"
    buttons = re.findall(r"<a [^>]*data-print-pdf[^>]*>([^<]*)</a>", html)
    assert "In biên lai" in buttons and "In Mẫu 01" in buttons, buttons
    assert re.search(rf'<a class="button-secondary print-link" data-print-pdf href="{re.escape(receipt_url)}"', html)
    assert f"Biên lai số {receipt.receipt_no}" in html
    # the script is a static file of the dossiers app; the page has no inline script
    assert '<script src="/static/dossiers/print.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = Path(finders.find("dossiers/print.js")).read_text()
    assert "a[data-print-pdf]" in script and "contentWindow.print()" in script


def test_the_printed_pdfs_may_be_framed_by_this_site_only(world):
    dossier, receipt = _paid_at_the_desk(world)
    client = Client()
    client.force_login(world.reception)

    for url in (f"/api/v1/receipts/{receipt.uuid}.pdf", f"/api/v1/dossiers/{dossier.reference}/forms/receipt.pdf"):
        pdf = client.get(url)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), url
        assert pdf["X-Frame-Options"] == "SAMEORIGIN", url
        assert pdf["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'", url
    page = _page(world.reception, dossier)
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_no_receipt_panel_before_payment_nor_for_those_who_may_not_see_the_dossier(world):
    dossier = _accepted(world)
    html = _page(world.reception, dossier).content.decode()
    assert "In Mẫu 01" in html and "In biên lai" not in html and "Biên lai thu phí" not in html

    paid, receipt = _paid_at_the_desk(world)
    assert _page(world.other_specialist, paid).status_code == 404  # another agency's officer
    stranger = Client()
    stranger.force_login(world.stranger)
    assert stranger.get(f"/mot-cua/ho-so/{paid.reference}/").status_code in (302, 403, 404)
    assert stranger.get(f"/api/v1/receipts/{receipt.uuid}.pdf").status_code == 404
    other = Client()
    other.force_login(world.other_specialist)
    assert other.get(f"/api/v1/receipts/{receipt.uuid}.pdf").status_code == 404

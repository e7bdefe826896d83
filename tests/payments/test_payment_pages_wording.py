"""Payment pages after the new-user browser test: amounts as people read them, the way back to the dossier."""

import pytest
from django.test import Client

from dichvucong.payments.services import payment_request, payment_start

from .helpers import pay_at_simulator

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_payment_page_shows_amounts_with_a_thousands_separator_and_dong(world):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 2})
    page = browser(world.owner).get(f"/ho-so/{world.dossier.code}/thanh-toan/").content.decode()
    assert "50.000 đồng" in page and "56.000 đồng" in page
    assert "VND" not in page
    assert '<table class="stack">' in page and 'data-label="Mức thu"' in page


def test_the_return_page_leads_to_the_citizens_dossier(world, gateway_settings, payment_simulator):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 2})
    payment = payment_start(actor=world.owner, dossier=world.dossier)
    pay_at_simulator(payment.redirect_url)

    page = browser(world.owner).get(f"/thanh-toan/{payment.uuid}/ket-qua/").content.decode()

    assert f'href="/ho-so/cua-toi/{world.dossier.code}/"' in page
    assert f'href="/ho-so/{world.dossier.code}/thanh-toan/"' not in page  # paid: nothing to pay again
    assert "56.000 đồng" in page

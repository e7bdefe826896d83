"""Fees asked at the desk, before the internal process starts (found by the browser journey: the dossier went
straight to `processing` with no process run, so nobody approved or signed it), and fees that start at the 3rd copy."""

import pytest

from dichvucong.catalog.models import FeeRule
from dichvucong.dossiers.actions import dossier_actions
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.services import payment_request, payment_start
from tests.conftest import auth_client

from .conftest import make_dossier
from .helpers import pay_at_simulator

pytestmark = pytest.mark.django_db


def _names(user, dossier) -> set[str]:
    return {option.name for option in dossier_actions(user=user, dossier=dossier)}


def test_paying_at_the_desk_returns_the_dossier_to_the_desk(world, gateway_settings, live_server, payment_simulator):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner, status=Status.ACCEPTED)
    payment_request(actor=world.reception, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT_REQUESTED

    payment = payment_start(actor=world.owner, dossier=dossier)
    pay_at_simulator(payment.redirect_url)

    dossier.refresh_from_db()
    # Back at the desk, to be forwarded into its internal process; not `processing` without a process.
    assert dossier.status == Status.ACCEPTED
    assert list(dossier.events.values_list("action", "to_status"))[-1] == ("pay", Status.ACCEPTED)
    offered = _names(world.reception, dossier)
    assert "start_processing" in offered
    assert "request_payment" not in offered  # paid: no second request
    response = auth_client(world.reception).post(f"/api/v1/dossiers/{dossier.code}/payment-request/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_paid"


def test_a_charge_from_the_third_copy_on_is_not_owed_for_one_or_two_copies(world):
    third_on = FeeRule.objects.create(
        procedure=world.procedure,
        order=3,
        name="Phí cấp từ bản thứ 3 trở lên",
        kind="per_copy",
        amount=5_000,
        free_units=2,
    )
    assert [third_on.amount_for(n) for n in (1, 2, 3, 5)] == [0, 0, 5_000, 15_000]

    assessment = payment_request(actor=world.specialist, dossier=world.dossier)
    assert assessment.total == 50_000 + 3_000
    assert "Phí cấp từ bản thứ 3 trở lên" not in set(assessment.lines.values_list("name", flat=True))

    other = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner)
    assessment = payment_request(
        actor=world.specialist, dossier=other, quantities={world.per_copy.pk: 4, third_on.pk: 4}
    )
    assert assessment.total == 50_000 + 12_000 + 10_000

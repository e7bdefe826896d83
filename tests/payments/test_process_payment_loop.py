"""The whole loop: a process step asks for the fees (payments `payment_request`, national status 6), the citizen
pays at the payment simulator over HTTP, the signed callback confirms it, the run resumes at the same step and the
dossier walks on to its result (status 9, then 10). Demo data, demo accounts, the public API only."""

import pytest

from dichvucong.payments.models import FeeAssessment, Receipt
from dichvucong.workflows.models import ProcessRun, RunStatus
from tests.integration.helpers import act, actions, client, counter_dossier, district_procedure

from .helpers import pay_at_simulator


@pytest.mark.django_db(transaction=True)
def test_a_process_step_requests_payment_and_the_process_continues_once_paid(
    demo, settings, tmp_path, gateway_settings, live_server, payment_simulator
):
    settings.MEDIA_ROOT = tmp_path
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    procedure = district_procedure(with_fee=True)
    code = counter_dossier(procedure)
    assert act("vanlam.reception", code, "start_processing").status_code == 200

    # The specialist's step asks for the fees through the one actions API.
    assert actions("vanlam.specialist", code)["request_payment"]["step"] is True
    response = act("vanlam.specialist", code, "request_payment", note="Đề nghị nộp phí")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["national_status"]) == ("payment_requested", 6)
    run = ProcessRun.objects.get(dossier__code=code, status=RunStatus.WAITING_PAYMENT)
    total = FeeAssessment.objects.get(dossier__code=code).total
    assert total > 0
    # While waiting, nobody can move the step; the owner (found by CCCD at the counter) is offered `pay`.
    assert not {n for n, a in actions("vanlam.specialist", code).items() if a["step"]}
    assert "pay" in actions("citizen", code)

    # The citizen pays at the platform (simulator), which calls the app back (signed).
    started = client("citizen").post(f"/api/v1/dossiers/{code}/payments/")
    assert started.status_code == 201, started.json()
    pay_at_simulator(started.json()["redirect_url"])
    assert Receipt.objects.filter(payment__uuid=started.json()["id"], amount=total).exists()

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    detail = client("citizen").get(f"/api/v1/dossiers/{code}/").json()
    assert (detail["status"], detail["national_status"]) == ("processing", 4)
    assert [e["action"] for e in detail["history"]][-2:] == ["request_payment", "pay"]

    # The same officer continues from the same step, and the dossier reaches its result.
    for username, action in [
        ("vanlam.specialist", "forward"),
        ("vanlam.head", "approve"),
        ("vanlam.leader", "sign"),
        ("vanlam.clerk", "deliver"),
        ("vanlam.reception", "deliver"),
    ]:
        response = act(username, code, action)
        assert response.status_code == 200, (username, response.json())
    assert client("citizen").get(f"/api/v1/dossiers/{code}/").json()["national_status"] == 10


@pytest.mark.django_db
def test_the_payment_request_endpoint_goes_through_the_process_step(demo, settings, tmp_path):
    """`POST .../payment-request/` while a run is open is the step's action: only its holder, and the run waits."""
    settings.MEDIA_ROOT = tmp_path
    code = counter_dossier(district_procedure(with_fee=True))
    act("vanlam.reception", code, "start_processing")
    refused = client("vanlam.head").post(f"/api/v1/dossiers/{code}/payment-request/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "step_not_yours")
    response = client("vanlam.specialist").post(f"/api/v1/dossiers/{code}/payment-request/", {}, format="json")
    assert response.status_code == 201, response.json()
    assert ProcessRun.objects.get(dossier__code=code).status == RunStatus.WAITING_PAYMENT

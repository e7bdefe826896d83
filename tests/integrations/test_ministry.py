"""Ministry transfer through the generic JSON adapter: sent through the outbox (signed, once at the ministry), the
ministry's signed answer comes back and the dossier's current step reflects it; forged answers are refused."""

import pytest
from django.urls import reverse

from dichvucong.accounts.roles import Role
from dichvucong.integrations import outbox
from dichvucong.integrations.models import MinistryTransfer, OutboxMessage, Target
from dichvucong.integrations.simulators import ministry
from tests.factories import DossierFactory, auth_client, officers_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry_system(settings):
    server = ministry.running(port=0, secret="btp-secret").start()
    settings.MINISTRY_SYSTEMS = {"btp": {"name": "Hệ thống Bộ Tư pháp", "url": server.url, "secret": "btp-secret"}}
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 0
    yield server
    server.stop()


def test_a_transfer_goes_out_and_its_answer_comes_back(ministry_system, client):
    dossier = DossierFactory(processing=True)
    specialist = officers_at(dossier.agency)[Role.SPECIALIST]
    response = auth_client(specialist).post(
        reverse("api:integrations-ministry-transfer"),
        {"dossier": dossier.code, "system": "btp", "note": "Đề nghị xác minh lý lịch tư pháp"},
        format="json",
    )
    assert response.status_code == 201, response.content
    dossier.refresh_from_db()
    assert dossier.current_step == "Chờ kết quả từ Hệ thống Bộ Tư pháp"
    assert outbox.deliver_due(targets=[Target.MINISTRY]) == {"delivered": 1}
    transfer_id = response.json()["id"]
    received = ministry_system.app.transfers[transfer_id]
    assert received["dossier"] == dossier.code and received["note"] == "Đề nghị xác minh lý lịch tư pháp"
    body, headers = ministry.signed("btp-secret", {"transfer_id": transfer_id, "outcome": "approved", "note": "Đạt"})
    url = reverse("api:integrations-ministry-result", kwargs={"system": "btp"})
    answer = client.post(url, data=body, content_type="application/json", headers=headers)
    assert answer.status_code == 200 and answer.json()["status"] == "answered"
    dossier.refresh_from_db()
    assert dossier.current_step == "Đã có kết quả từ Hệ thống Bộ Tư pháp: chấp thuận"
    assert dossier.events.filter(action="step", note="Đạt").exists()
    # The ministry retries the same answer: accepted, nothing changes; a forged answer is refused.
    assert client.post(url, data=body, content_type="application/json", headers=headers).status_code == 200
    forged_body, forged = ministry.signed("not-the-secret", {"transfer_id": transfer_id, "outcome": "rejected"})
    refused = client.post(url, data=forged_body, content_type="application/json", headers=forged)
    assert refused.status_code == 403 and refused.json()["code"] == "invalid_signature"
    assert MinistryTransfer.objects.get(uuid=transfer_id).outcome == "approved"


def test_an_unreachable_ministry_is_retried_and_a_replay_is_stored_once(ministry_system, settings):
    dossier = DossierFactory(processing=True)
    ministry_system.app.behaviour.set("failing")
    from dichvucong.integrations.ministry import ministry_transfer

    ministry_transfer(actor=officers_at(dossier.agency)[Role.SPECIALIST], dossier=dossier, system="btp")
    assert outbox.deliver_due(targets=[Target.MINISTRY]) == {"retry": 1}
    ministry_system.app.behaviour.set("normal")
    assert outbox.deliver_due(targets=[Target.MINISTRY]) == {"delivered": 1}
    message = OutboxMessage.objects.get(target=Target.MINISTRY)
    OutboxMessage.objects.filter(pk=message.pk).update(status="pending")
    outbox.deliver_due(targets=[Target.MINISTRY])
    assert len(ministry_system.app.transfers) == 1 and ministry_system.app.duplicates == 1


def test_only_the_dossiers_handlers_transfer(ministry_system):
    dossier = DossierFactory(processing=True)
    other = DossierFactory(processing=True)
    url = reverse("api:integrations-ministry-transfer")
    payload = {"dossier": dossier.code, "system": "btp"}
    assert auth_client(dossier.owner).post(url, payload, format="json").status_code in (403, 404)
    assert auth_client(officers_at(other.agency)[Role.SPECIALIST]).post(url, payload, format="json").status_code == 404
    assert auth_client(officers_at(dossier.agency)[Role.RECEPTION]).post(url, payload, format="json").status_code == 403
    unknown = auth_client(officers_at(dossier.agency)[Role.SPECIALIST]).post(
        url, {"dossier": dossier.code, "system": "khong-co"}, format="json"
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_ministry_system"
    assert not MinistryTransfer.objects.exists()

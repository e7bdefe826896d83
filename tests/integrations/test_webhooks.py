"""Webhooks: an agency's subscribers get its dossiers' events, signed with HMAC-SHA256, retried, every attempt kept
and visible to the agency admin (and to nobody outside the agency)."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.services import dossier_accept
from dichvucong.integrations import outbox
from dichvucong.integrations.models import OutboxMessage, Target, WebhookSubscription
from dichvucong.integrations.services import webhook_subscribe
from tests.factories import AgencyFactory, DossierFactory, StaffFactory, auth_client, officers_at

pytestmark = pytest.mark.django_db


def deliver():
    return outbox.deliver_due(targets=[Target.WEBHOOK])


@pytest.fixture
def subscribed(webhook_receiver, settings):
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 0
    settings.INTEGRATIONS_RETRY_CEILING_SECONDS = 0
    agency = AgencyFactory.department()
    admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, agency)])
    subscription = webhook_subscribe(
        actor=admin, agency=agency, name="Phần mềm quản lý văn bản", url=f"{webhook_receiver.url}/hook",
        events=["dossier.submit", "dossier.accept"],
    )  # fmt: skip
    return agency, admin, subscription


def test_events_arrive_signed_and_the_signature_verifies(subscribed, webhook_receiver):
    agency, _admin, subscription = subscribed
    dossier = DossierFactory(agency=agency)
    dossier_accept(actor=officers_at(agency)[Role.RECEPTION], dossier=dossier)
    other_agency_dossier = DossierFactory()  # another agency's: not sent to this subscriber
    assert deliver() == {"delivered": 2}
    received = webhook_receiver.app.requests
    assert [json.loads(r["body"])["event"] for r in received] == ["dossier.submit", "dossier.accept"]
    for request in received:
        headers, body = request["headers"], request["body"]
        expected = hmac.new(
            subscription.secret.encode(), headers["X-Dvc-Timestamp"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        assert headers["X-Dvc-Signature"] == f"sha256={expected}"
        wrong = hmac.new(b"another-secret", headers["X-Dvc-Timestamp"].encode() + b"." + body, hashlib.sha256)
        assert headers["X-Dvc-Signature"] != f"sha256={wrong.hexdigest()}"
        assert json.loads(body)["dossier"] == dossier.code != other_agency_dossier.code
    assert len({r["headers"]["X-Dvc-Delivery"] for r in received}) == 2


def test_a_failing_receiver_is_retried_and_every_attempt_is_visible(subscribed, webhook_receiver, client):
    agency, admin, subscription = subscribed
    webhook_receiver.app.behaviour.set("failing")
    DossierFactory(agency=agency)
    assert deliver() == {"retry": 1}
    assert deliver() == {"retry": 1}
    webhook_receiver.app.behaviour.set("normal")
    assert deliver() == {"delivered": 1}
    message = OutboxMessage.objects.get(subscription=subscription)
    assert message.attempts == 3 and message.status == "delivered"
    deliveries = (
        auth_client(admin).get(reverse("api:integrations-webhook-deliveries", kwargs={"id": subscription.uuid})).json()
    )
    assert [a["ok"] for a in deliveries[0]["attempts_list"]] == [False, False, True]
    assert deliveries[0]["attempts_list"][0]["status_code"] == 503
    client.force_login(admin)
    page = client.get(reverse("integrations:webhook-detail", kwargs={"id": subscription.uuid})).content.decode()
    assert page.count("(HTTP 503)") == 2 and "thành công" in page


def test_webhooks_are_managed_only_by_the_agencys_admin(subscribed, client):
    agency, admin, subscription = subscribed
    other_admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, AgencyFactory.department())])
    officer = officers_at(agency)[Role.RECEPTION]
    detail = reverse("api:integrations-webhook-deliveries", kwargs={"id": subscription.uuid})
    assert auth_client(other_admin).get(detail).status_code == 404
    assert auth_client(other_admin).get(reverse("api:integrations-webhooks")).json() == []
    assert auth_client(officer).get(reverse("api:integrations-webhooks")).status_code == 403
    create = {"agency": agency.code, "name": "x", "url": "https://example.vn/hook"}
    assert auth_client(other_admin).post(reverse("api:integrations-webhooks"), create, format="json").status_code == 403
    created = auth_client(admin).post(reverse("api:integrations-webhooks"), create, format="json")
    assert created.status_code == 201 and created.json()["agency"] == agency.code
    client.force_login(other_admin)
    assert client.get(reverse("integrations:webhook-detail", kwargs={"id": subscription.uuid})).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("integrations:webhooks")).status_code == 403
    assert WebhookSubscription.objects.filter(agency=agency).count() == 2

"""The outbox API (issue 14, "API"): the province admin lists with filters and exactly the documented fields, and
re-drives; everybody else is refused. The back-office page shows the backlog per target."""

import pytest
from django.urls import reverse

from dichvucong.accounts.roles import Role
from dichvucong.integrations import outbox
from dichvucong.integrations.models import MessageStatus, OutboxMessage, Target
from tests.factories import DossierFactory, StaffFactory, auth_client, officers_at

pytestmark = pytest.mark.django_db

FIELDS = {"id", "target", "kind", "dossier", "status", "attempts", "last_error", "created_at", "delivered_at"}


@pytest.fixture
def admin():
    return StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])


def test_the_list_has_exactly_the_documented_fields_and_filters(admin, portal, django_assert_max_num_queries):
    first, second = DossierFactory(), DossierFactory()
    outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])
    outbox.deliver_due(targets=[Target.FANOUT])  # the e-mail and SMS are written by the fan-out (ADR 0024)
    api = auth_client(admin)
    url = reverse("api:integrations-outbox")
    with django_assert_max_num_queries(8):
        rows = api.get(url, {"dossier": first.code}).json()["results"]
    assert {r["target"] for r in rows} == {"national_portal", "fanout", "local", "email", "sms"}
    assert all(set(r) == FIELDS for r in rows) and all(r["dossier"] == first.code for r in rows)
    portal_rows = api.get(url, {"target": "national_portal", "status": "delivered"}).json()["results"]
    assert {r["dossier"] for r in portal_rows} == {first.code, second.code}
    assert all(r["status"] == "delivered" and r["attempts"] == 1 and r["delivered_at"] for r in portal_rows)
    assert api.get(url, {"status": "dead"}).json()["count"] == 0
    assert api.get(url, {"target": "fax"}).status_code == 400


def test_redrive_through_the_api(admin, portal, settings):
    settings.INTEGRATIONS_MAX_ATTEMPTS = 1
    portal.app.behaviour.set("failing")
    dossier = DossierFactory()
    outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])
    message = OutboxMessage.objects.get(dossier=dossier, target=Target.NATIONAL_PORTAL)
    assert message.status == MessageStatus.DEAD
    api = auth_client(admin)
    dead = api.get(reverse("api:integrations-outbox"), {"status": "dead", "target": "national_portal"}).json()
    assert dead["results"][0]["last_error"].startswith("HTTP 503")
    portal.app.behaviour.set("normal")
    url = reverse("api:integrations-redrive", kwargs={"id": message.uuid})
    response = api.post(url)
    assert response.status_code == 200 and response.json()["status"] == "pending"
    settings.INTEGRATIONS_MAX_ATTEMPTS = 5
    assert outbox.deliver_due(targets=[Target.NATIONAL_PORTAL]) == {"delivered": 1}
    assert api.post(url).json()["code"] == "already_delivered"


def test_everybody_but_the_province_admin_is_refused(portal, client):
    dossier = DossierFactory()
    message = OutboxMessage.objects.filter(dossier=dossier).first()
    monitor = StaffFactory(roles=[(Role.MONITOR, None)])
    agency_admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, dossier.agency)])
    for user in (dossier.owner, officers_at(dossier.agency)[Role.LEADER], agency_admin, monitor):
        api = auth_client(user)
        assert api.get(reverse("api:integrations-outbox")).status_code == 403
        assert api.post(reverse("api:integrations-redrive", kwargs={"id": message.uuid})).status_code == 403
        assert api.get(reverse("api:integrations-inbound")).status_code == 403
        client.force_login(user)
        assert client.get(reverse("integrations:outbox")).status_code == 403
        assert client.post(reverse("integrations:redrive", kwargs={"id": message.uuid})).status_code == 403
        assert client.get(reverse("integrations:inbound")).status_code == 403


def test_the_backlog_page_per_target_and_redrive_from_it(admin, portal, client, settings):
    settings.INTEGRATIONS_MAX_ATTEMPTS = 1
    portal.app.behaviour.set("down")
    dossier = DossierFactory()
    outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])
    client.force_login(admin)
    page = client.get(reverse("integrations:outbox")).content.decode()
    assert "Cổng Dịch vụ công quốc gia" in page and "không kết nối được" in page and dossier.code in page
    message = OutboxMessage.objects.get(dossier=dossier, target=Target.NATIONAL_PORTAL)
    response = client.post(reverse("integrations:redrive", kwargs={"id": message.uuid}))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_the_back_office_links_the_pages_for_the_roles_that_use_them(admin, client):
    from dichvucong.backoffice.views import links_for

    assert {"integrations:outbox", "integrations:webhooks"} <= {link["name"] for link in links_for(admin)}
    agency_admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, DossierFactory().agency)])
    names = {link["name"] for link in links_for(agency_admin)}
    assert "integrations:webhooks" in names and "integrations:outbox" not in names

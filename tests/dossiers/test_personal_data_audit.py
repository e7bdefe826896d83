"""An officer reading a dossier's personal data is recorded in the audit log (issue 15 item 5)."""

import pytest

from dichvucong.audit.models import AuditEntry
from tests.conftest import auth_client

from .conftest import submit_online

pytestmark = pytest.mark.django_db


def _reads(dossier):
    return AuditEntry.objects.filter(action="dossier.personal_data_read", object_id=dossier.code)


def test_an_officer_opening_the_dossier_page_leaves_an_audit_row(world, client):
    dossier = submit_online(world)
    client.force_login(world.reception)
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/").status_code == 200
    row = _reads(dossier).get()
    assert row.actor == world.reception
    assert row.after["via"] == "dossiers:office-detail"
    assert row.after["applicant_id_number"] == dossier.applicant_id_number
    assert "applicant_address" in row.after["fields"]
    # Reloading within the window: not recorded again.
    client.get(f"/mot-cua/ho-so/{dossier.code}/")
    assert _reads(dossier).count() == 1


def test_api_detail_and_attachment_reads_are_recorded(world):
    dossier = submit_online(world)
    api = auth_client(world.reception)
    assert api.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    attachment = dossier.attachments.first()
    assert api.get(f"/api/v1/dossiers/{dossier.code}/attachments/{attachment.uuid}/").status_code == 200
    assert set(_reads(dossier).values_list("after__via", flat=True)) == {"api:dossier-detail", "api:dossier-attachment"}


def test_the_owner_reading_their_own_dossier_is_not_recorded(world):
    dossier = submit_online(world)
    assert auth_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    assert not _reads(dossier).exists()


def test_a_refused_read_is_not_recorded_as_a_read(world):
    dossier = submit_online(world)
    assert auth_client(world.other_reception).get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    assert not _reads(dossier).exists()


def test_every_officer_is_recorded_separately(world):
    dossier = submit_online(world)
    auth_client(world.reception).get(f"/api/v1/dossiers/{dossier.code}/")
    auth_client(world.monitor).get(f"/api/v1/dossiers/{dossier.code}/")
    assert set(_reads(dossier).values_list("actor__username", flat=True)) == {
        world.reception.username,
        world.monitor.username,
    }

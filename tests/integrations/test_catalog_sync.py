"""Catalogue sync: each procedure's online level (level 4 = toàn trình, 3 = một phần) and the agencies offering it
reach the national portal as `DongBoTTHC` packets the portal accepts."""

import pytest
from django.core.management import call_command

from dichvucong.integrations import outbox
from dichvucong.integrations.models import Target
from dichvucong.integrations.services import catalog_sync
from tests.factories import AgencyFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_procedures_and_their_online_levels_reach_the_portal(portal):
    agency = AgencyFactory.department()
    full = ProcedureFactory(agencies=[agency.code], level=4)
    partial = ProcedureFactory(agencies=[agency.code], level=3)
    catalog_sync(actor="test")
    assert outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])["delivered"] >= 2
    assert portal.app.rejected == []
    assert portal.app.catalog[full.code]["MucDo"] == 4 and portal.app.catalog[full.code]["ToanTrinh"] is True
    assert portal.app.catalog[partial.code]["MucDo"] == 3 and portal.app.catalog[partial.code]["ToanTrinh"] is False
    assert portal.app.catalog[full.code]["CoQuanThucHien"] == [{"MaCoQuan": agency.code, "TenCoQuan": agency.name}]


def test_the_worker_command_syncs_delivers_and_pulls_in_one_round(portal, capsys):
    ProcedureFactory(agencies=[AgencyFactory.department().code], level=4)
    call_command("integrations_worker", "--once", "--sync-catalog")
    out = capsys.readouterr().out
    assert "catalogue:" in out and "outbox:" in out
    assert portal.app.catalog

"""The dashboard (staff), the figure lists and the public statistics page (no login)."""

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_monitor_dashboard_shows_the_report_with_charts_and_links(world):
    response = _client(world.monitor).get("/bao-cao/", {"from": timezone.localdate().replace(day=1).isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert world.dept.name in html and "<svg" in html and "<caption>" in html
    assert "/bao-cao/ho-so/?" in html
    assert "style=" not in html and "<script>" not in html  # CSP 'self': no inline style or script


def test_figure_list_shows_the_dossiers_behind_a_figure(world):
    today = timezone.localdate()
    response = _client(world.monitor).get(
        "/bao-cao/ho-so/",
        {"measure": "resolved_late", "from": today.replace(day=1).isoformat(), "to": today.isoformat()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert world.d_late.code in html and world.d_supp2.code in html and world.d_early.code not in html


def test_citizens_and_other_agencies_are_refused(world):
    assert _client(world.citizen).get("/bao-cao/").status_code == 403
    assert _client(world.dept_officer).get("/bao-cao/", {"agency": world.district.code}).status_code == 403
    assert (
        _client(world.dept_officer)
        .get("/bao-cao/ho-so/", {"measure": "received_total", "agency": world.district.code})
        .status_code
        == 403
    )
    assert Client().get("/bao-cao/").status_code == 302


def test_public_statistics_page_needs_no_login(world):
    response = Client().get("/thong-ke/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<table>" in html
    api = Client().get("/api/v1/reports/public/").json()
    assert api["dossiers"]["received_total"] == 16
    assert api["dossiers"]["received_national_portal"] == 1
    assert "Cổng DVC quốc gia" in html
    assert Client().post("/api/v1/reports/public/").status_code in (401, 403, 405)

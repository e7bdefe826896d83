"""The outreach survey: anyone answers (rate-limited); the province admin and the monitor read the figures."""

import pytest
from django.core.cache import cache
from django.test import Client

from dichvucong.guidance.models import SurveyResponse
from tests.catalog.conftest import load_records, procedure_record
from tests.conftest import auth_client


@pytest.fixture
def people(db, make_staff):
    from tests.factories import AgencyFactory

    cache.clear()
    AgencyFactory.province()
    department = AgencyFactory.department()
    load_records(procedure_record("1.001193", "Đăng ký khai sinh", tiers=["commune"]))
    yield {"admin": make_staff("province_admin"), "monitor": make_staff("monitor"),
           "officer": make_staff("agency_admin", department)}  # fmt: skip
    cache.clear()


def test_anonymous_answers_and_monitoring_reads_the_figures(people, api_client, citizen):
    for reason in ("too_hard", "too_hard", "no_account"):
        response = api_client.post("/api/v1/survey/", {"reason": reason, "procedure_code": "1.001193",
                                                        "comment": "<b>khó</b>"}, format="json")  # fmt: skip
        assert response.status_code == 201
    assert api_client.post("/api/v1/survey/", {"reason": "bogus"}, format="json").status_code == 400
    assert SurveyResponse.objects.count() == 3
    summary = auth_client(people["monitor"]).get("/api/v1/survey/summary/").json()
    counts = {row["reason"]: row["count"] for row in summary["by_reason"]}
    assert summary["total"] == 3 and counts["too_hard"] == 2 and counts["no_account"] == 1
    assert summary["by_procedure"] == [{"procedure_code": "1.001193", "count": 3}]
    assert auth_client(people["admin"]).get("/api/v1/survey/summary/", {"procedure": "1.001193"}).status_code == 200
    for user in (citizen, people["officer"]):
        assert auth_client(user).get("/api/v1/survey/summary/").status_code == 403
    assert Client().get("/api/v1/survey/summary/").status_code in (401, 403)


def test_survey_page_posts_and_escapes_comments(people):
    client = Client()
    assert client.get("/khao-sat/").status_code == 200
    response = client.post("/khao-sat/", {"reason": "prefer_desk", "comment": "<script>x</script>"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().comment == "<script>x</script>"  # stored as text, escaped where shown
    assert client.post("/khao-sat/", {"reason": ""}).status_code == 400


def test_survey_is_rate_limited(people, api_client):
    for _ in range(10):
        api_client.post("/api/v1/survey/", {"reason": "other"}, format="json")
    assert api_client.post("/api/v1/survey/", {"reason": "other"}, format="json").status_code == 429


def test_survey_results_page_is_for_monitoring_roles_only(people, citizen):
    from dichvucong.guidance.services import survey_submit

    survey_submit(actor=None, reason="no_scan", comment="<script>alert(1)</script>")
    for user in (citizen, people["officer"]):
        client = Client()
        client.force_login(user)
        assert client.get("/can-bo/khao-sat/").status_code == 403
    assert Client().get("/can-bo/khao-sat/").status_code == 302
    for user in (people["monitor"], people["admin"]):
        client = Client()
        client.force_login(user)
        html = client.get("/can-bo/khao-sat/").content.decode()
        assert "Không chụp, quét được giấy tờ" in html and "&lt;script&gt;alert(1)" in html
        assert "<script>alert(1)" not in html
        assert 'href="/can-bo/khao-sat/"' in client.get("/can-bo/").content.decode()

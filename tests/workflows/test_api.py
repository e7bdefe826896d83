"""API of processes, processing and queues: contents, role checks, refusals (403 actions, 404 unseen objects)."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.workflows.models import ProcessStatus, WorkItem
from tests.conftest import auth_client
from tests.factories import CitizenFactory

from .conftest import STANDARD_STEPS, accepted_dossier, start

URL = "/api/v1/processes/"
TODAY = timezone.localdate()


def test_the_list_is_for_staff_only(world, api_client):
    assert api_client.get(URL).status_code == 401
    response = auth_client(CitizenFactory()).get(URL)
    assert response.status_code == 403 and response.json()["code"] == "staff_only"


def test_the_list_has_the_fields_of_api_md_and_filters(world):
    active = world.active_template()
    response = auth_client(world.staff["vg.specialist"]).get(
        URL, {"procedure": world.procedure.code, "agency": world.district2.code}
    )
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["id"] == str(active.uuid) and row["procedure"] == world.procedure.code
    assert (row["scope"], row["version"], row["status"]) == ("tier:district", 1, "active")
    assert row["active_from"] == TODAY.isoformat()
    assert row["steps"][1] == {
        "key": "tham-dinh",
        "order": 2,
        "name": "Thẩm định hồ sơ",
        "role": "specialist",
        "duration_hours": 24.0,
        "is_start": False,
        "actions": ["forward", "return", "consult", "transfer", "request_payment"],
    }
    assert auth_client(world.staff["vg.specialist"]).get(URL, {"agency": world.commune.code}).json()["count"] == 0
    assert auth_client(world.admin).get(URL, {"status": "draft"}).json()["count"] == 0
    assert auth_client(world.admin).get(URL, {"status": "bogus"}).status_code == 400


def test_the_list_makes_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for tier in ("district", "commune"):
        world.active_template(tier=tier)
    world.draft()
    client = auth_client(world.admin)
    with django_assert_max_num_queries(8):
        assert client.get(URL).json()["count"] == 3


def test_drafts_are_invisible_outside_the_owning_agency_and_the_province(world):
    draft = world.draft()
    assert auth_client(world.staff["vl.leader"]).get(f"{URL}{draft.uuid}/").status_code == 404
    assert auth_client(world.staff["vl.leader"]).get(f"{URL}{draft.uuid}/diagram.svg").status_code == 404
    assert auth_client(world.dept_specialist).get(f"{URL}{draft.uuid}/").status_code == 200
    assert auth_client(world.admin).get(f"{URL}{draft.uuid}/").status_code == 200
    assert auth_client(world.admin).get(f"{URL}not-a-uuid/").status_code == 404


def test_drafting_submitting_reviewing_and_approving_through_the_api(world):
    payload = {
        "procedure": world.procedure.code,
        "owner_agency": world.department.code,
        "scope": "tier",
        "tier": "district",
        "steps": STANDARD_STEPS,
    }
    assert auth_client(world.dept_specialist).post(URL, payload, format="json").status_code == 403
    response = auth_client(world.dept_leader).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    pid = response.json()["id"]
    bad = {"steps": [{**STANDARD_STEPS[0], "role": ""}, *STANDARD_STEPS[1:]]}
    response = auth_client(world.dept_leader).put(f"{URL}{pid}/steps/", bad, format="json")
    assert response.status_code == 400 and response.json()["code"] == "step_without_role"
    assert auth_client(world.dept_specialist).post(f"{URL}{pid}/submit/").status_code == 403
    assert auth_client(world.dept_leader).post(f"{URL}{pid}/submit/").json()["status"] == "submitted"
    assert auth_client(world.dept_leader).post(f"{URL}{pid}/review/").status_code == 403
    assert auth_client(world.admin).post(f"{URL}{pid}/review/", {"note": "Đạt"}).json()["status"] == "reviewed"
    decision = {
        "decision_number": "12/QĐ-UBND",
        "decision_date": TODAY.isoformat(),
        "decision_signer": "Chủ tịch UBND tỉnh",
        "active_from": TODAY.isoformat(),
    }
    assert auth_client(world.staff["vl.leader"]).post(f"{URL}{pid}/approve/", decision).status_code == 404  # unseen
    assert auth_client(world.dept_leader).post(f"{URL}{pid}/approve/", decision).status_code == 403
    response = auth_client(world.admin).post(f"{URL}{pid}/approve/", decision)
    assert response.status_code == 200 and response.json()["status"] == ProcessStatus.ACTIVE
    assert response.json()["decision_number"] == "12/QĐ-UBND"
    assert auth_client(world.admin).post(f"{URL}{pid}/approve/", decision).status_code == 409
    response = auth_client(world.dept_leader).post(f"{URL}{pid}/new-version/")
    assert response.status_code == 201 and response.json()["version"] == 2


def test_send_back_needs_the_province_admin(world):
    draft = world.draft()
    auth_client(world.dept_leader).post(f"{URL}{draft.uuid}/submit/")
    assert auth_client(world.dept_leader).post(f"{URL}{draft.uuid}/send-back/", {"note": "x"}).status_code == 403
    assert auth_client(world.admin).post(f"{URL}{draft.uuid}/send-back/", {"note": "Sửa"}).json()["status"] == "draft"


def test_the_diagram_is_an_svg_with_every_step_its_role_and_duration(world):
    process = world.active_template()
    response = auth_client(world.staff["vl.specialist"]).get(f"{URL}{process.uuid}/diagram.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and svg.count("<rect") == 5
    assert "Thẩm định hồ sơ" in svg and "Chuyên viên · 3 ngày (24 giờ)" in svg and "0.5 ngày (4 giờ)" in svg
    assert "stroke-dasharray" in svg  # return arrows
    assert "style=" not in svg  # CSP: no inline styles
    assert auth_client(CitizenFactory()).get(f"{URL}{process.uuid}/diagram.svg").status_code == 403


# --- processing and queues ---------------------------------------------------------------------------------------


@pytest.fixture
def running(world):
    world.active_template()
    dossier = accepted_dossier(world)
    start(world, dossier)
    return dossier


def test_processing_state_and_actions_for_the_assignee_only(world, running):
    url = f"/api/v1/processing/{running.code}/"
    data = auth_client(world.staff["vl.specialist"]).get(url).json()
    assert (data["current_step_key"], data["assignee"], data["national_status"]) == ("tham-dinh", "vl.specialist", 4)
    assert "forward" in data["actions"] and len(data["handovers"]) == 1
    assert auth_client(world.staff["vl.leader"]).get(url).json()["actions"] == []
    assert auth_client(world.staff["vg.specialist"]).get(url).status_code == 404
    assert auth_client(CitizenFactory()).get(url).status_code == 403
    response = auth_client(world.staff["vl.leader"]).post(f"{url}actions/", {"action": "forward"})
    assert response.status_code == 403 and response.json()["code"] == "step_not_yours"
    assert auth_client(world.staff["vg.specialist"]).post(f"{url}actions/", {"action": "forward"}).status_code == 404
    response = auth_client(world.staff["vl.specialist"]).post(f"{url}actions/", {"action": "forward"})
    assert response.status_code == 200 and response.json()["current_step_key"] == "duyet"


def test_consultation_answer_endpoint_is_for_the_consulted_agency(world, running):
    url = f"/api/v1/processing/{running.code}/actions/"
    response = auth_client(world.staff["vl.specialist"]).post(
        url, {"action": "consult", "agency": world.district2.code, "question": "Xin ý kiến", "days": "1"}
    )
    assert response.status_code == 200 and response.json()["run_status"] == "waiting_consultation"
    queue = auth_client(world.staff["vg.specialist"]).get("/api/v1/queues/", {"view": "consultations"}).json()
    assert queue["count"] == 1 and queue["counts"]["consultations"] == 1
    cid = queue["results"][0]["id"]
    answer = f"/api/v1/consultations/{cid}/answer/"
    assert auth_client(world.dept_specialist).post(answer, {"answer": "Đồng ý"}).status_code == 404
    assert auth_client(world.staff["vl.specialist"]).post(answer, {"answer": "Đồng ý"}).status_code == 403
    response = auth_client(world.staff["vg.specialist"]).post(answer, {"answer": "Đồng ý"})
    assert response.status_code == 200 and response.json()["status"] == "answered"


def test_queues_per_role(world, running):
    other = accepted_dossier(world)
    start(world, other)
    WorkItem.objects.filter(run__dossier=other, completed_at__isnull=True).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    specialist = auth_client(world.staff["vl.specialist"]).get("/api/v1/queues/", {"view": "mine"}).json()
    assert specialist["count"] == 2 and {r["dossier"] for r in specialist["results"]} == {running.code, other.code}
    assert specialist["results"][0]["current_step"] == "Thẩm định hồ sơ" and specialist["results"][0]["step_due"]
    assert specialist["counts"]["overdue"] == 1
    overdue = auth_client(world.staff["vl.specialist"]).get("/api/v1/queues/", {"view": "overdue"}).json()
    assert [r["dossier"] for r in overdue["results"]] == [other.code]
    head = auth_client(world.staff["vl.division_head"]).get("/api/v1/queues/", {"view": "team"}).json()
    assert head["count"] == 2  # leaders and heads see the whole agency
    assert auth_client(world.staff["vl.clerk"]).get("/api/v1/queues/", {"view": "team"}).json()["count"] == 0
    assert auth_client(world.staff["vg.leader"]).get("/api/v1/queues/", {"view": "team"}).json()["count"] == 0
    assert auth_client(world.staff["vl.leader"]).get("/api/v1/queues/", {"view": "x"}).status_code == 400
    assert auth_client(CitizenFactory()).get("/api/v1/queues/").status_code == 403


def test_queue_list_query_count_is_constant(world, django_assert_max_num_queries):
    world.active_template()
    for _ in range(4):
        start(world, accepted_dossier(world))
    with django_assert_max_num_queries(12):
        assert auth_client(world.staff["vl.leader"]).get("/api/v1/queues/", {"view": "team"}).json()["count"] == 4


def test_the_queue_is_a_keyset_list_with_the_same_queries_at_two_sizes(world):
    """ADR 0018: the queue pages by cursor on (due_at, id); each item once; the SQL does not grow with it."""
    from urllib.parse import urlsplit

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.active_template()
    leader = auth_client(world.staff["vl.leader"])
    for _ in range(2):
        start(world, accepted_dossier(world))
    leader.get("/api/v1/queues/", {"view": "team"})  # the token's first use is recorded once

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            leader.get("/api/v1/queues/", {"view": "team", "page_size": 1})
        return len(ctx.captured_queries)

    small = queries()
    for _ in range(3):
        start(world, accepted_dossier(world))
    assert queries() == small
    seen, body = [], leader.get("/api/v1/queues/", {"view": "team", "page_size": 2}).json()
    assert body["count"] == 5 and body["count_exact"] is True and "cursor=" in body["next"]
    while True:
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        parts = urlsplit(body["next"])
        body = leader.get(f"{parts.path}?{parts.query}").json()
    assert len(seen) == len(set(seen)) == 5
    assert leader.get("/api/v1/queues/", {"view": "team", "cursor": "forged"}).json()["code"] == "invalid_cursor"


def test_load_and_bulk_assignment_are_for_the_agencys_leaders(world, running):
    from tests.factories import StaffFactory

    second = StaffFactory(username="vl.specialist2", roles=[("specialist", world.district)])
    load = auth_client(world.staff["vl.leader"]).get("/api/v1/queues/load/", {"agency": world.district.code})
    assert load.status_code == 200
    assert load.json()["by_officer"] == [
        {"username": "vl.specialist", "name": world.staff["vl.specialist"].full_name, "count": 1, "overdue": 0}
    ]
    assert (
        auth_client(world.staff["vl.specialist"])
        .get("/api/v1/queues/load/", {"agency": world.district.code})
        .status_code
        == 403
    )
    assert (
        auth_client(world.staff["vg.leader"]).get("/api/v1/queues/load/", {"agency": world.district.code}).status_code
        == 403
    )
    item = WorkItem.objects.get(run__dossier=running, completed_at__isnull=True)
    body = {"items": [str(item.uuid)], "assignee": "vl.specialist2"}
    assert auth_client(world.staff["vg.leader"]).post("/api/v1/queues/assign/", body, format="json").status_code == 404
    assert (
        auth_client(world.staff["vl.specialist"]).post("/api/v1/queues/assign/", body, format="json").status_code == 404
    )
    response = auth_client(world.staff["vl.leader"]).post(
        "/api/v1/queues/assign/", {**body, "assignee": "vl.clerk"}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "assignee_without_role"
    response = auth_client(world.staff["vl.leader"]).post("/api/v1/queues/assign/", body, format="json")
    assert response.status_code == 200 and response.json()[0]["assignee"] == "vl.specialist2"
    item.refresh_from_db()
    assert item.assignee == second

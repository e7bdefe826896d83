"""One actions API for the whole life of a dossier: `GET|POST /api/v1/dossiers/<code>/actions/` lists and performs
the dossier's own transitions and, while it runs through its internal process, the current step's actions, for
the officer holding that step only (clerks and agencies receiving a transfer included)."""

import pytest

from dichvucong.dossiers.models import Dossier
from dichvucong.workflows.demo import fees_can_be_due
from dichvucong.workflows.models import Handover, ProcessRun, RunStatus

from .conftest import VANGIANG, act, actions, client, counter_dossier, district_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def processing(demo, media):
    code = counter_dossier(district_procedure())
    response = act("vanlam.reception", code, "start_processing")
    assert response.status_code == 200, response.json()
    return code


def test_the_dossier_actions_api_walks_the_internal_process_to_status_10(processing):
    code = processing
    offered = actions("vanlam.specialist", code)
    assert {"forward", "consult", "transfer"} <= set(offered)
    # the fees step is offered only when the procedure has fees to pay (workflows/demo.py)
    assert ("request_payment" in offered) == fees_can_be_due(Dossier.objects.get(code=code).procedure)
    assert offered["forward"]["step"] is True and offered["forward"]["kind"] == "forward"
    # mark_processed is the process's business while the run is open: offered to nobody.
    for username in ("vanlam.specialist", "vanlam.head", "vanlam.leader"):
        assert "mark_processed" not in actions(username, code)
    # Officers not holding the step see no step action and are refused.
    assert not {name for name, a in actions("vanlam.head", code).items() if a["step"]}
    response = act("vanlam.head", code, "forward")
    assert (response.status_code, response.json()["code"]) == (403, "step_not_yours")

    for username, action, step in [
        ("vanlam.specialist", "forward", "Lãnh đạo phòng xem xét"),
        ("vanlam.head", "approve", "Lãnh đạo cơ quan ký duyệt"),
        ("vanlam.leader", "sign", "Văn thư đóng dấu, phát hành, chuyển kết quả về một cửa"),
    ]:
        assert action in actions(username, code)
        response = act(username, code, action, note="Đồng ý")
        assert response.status_code == 200, (username, response.json())
        assert (response.json()["status"], response.json()["current_step"]) == ("processing", step)

    assert set(actions("vanlam.clerk", code)) >= {"deliver"}
    response = act("vanlam.clerk", code, "deliver", note="Đã phát hành")
    assert response.status_code == 200, response.json()
    assert response.json()["national_status"] == 9
    assert not ProcessRun.objects.filter(dossier__code=code, status=RunStatus.RUNNING).exists()

    # Back at the one-stop desk: the dossier's own `deliver` (return of the result) is offered and performed.
    assert actions("vanlam.reception", code)["deliver"]["step"] is False
    response = act("vanlam.reception", code, "deliver")
    assert (response.status_code, response.json()["national_status"]) == (200, 10)
    assert [h.action for h in Handover.objects.filter(dossier__code=code)] == [
        "forward",
        "forward",
        "approve",
        "sign",
        "deliver",
    ]


def test_mark_processed_is_refused_while_a_process_run_is_open(processing):
    response = act("vanlam.specialist", processing, "mark_processed")
    assert (response.status_code, response.json()["code"]) == (409, "process_run_open")
    assert client("vanlam.specialist").get(f"/api/v1/dossiers/{processing}/").json()["status"] == "processing"


def test_step_actions_without_a_process_run_are_a_conflict(demo, media):
    code = counter_dossier(district_procedure())  # accepted, not yet processing
    response = act("vanlam.reception", code, "forward")
    assert (response.status_code, response.json()["code"]) == (409, "no_process_run")


def test_a_transferred_dossier_is_handled_by_the_receiving_agency_through_the_same_api(processing):
    code = processing
    # Văn Giang's officer cannot see the dossier before the transfer.
    assert client("vangiang.reception").get(f"/api/v1/dossiers/{code}/").status_code == 404
    response = act("vanlam.specialist", code, "transfer", agency=VANGIANG, note="Thuộc thẩm quyền Văn Giang")
    assert response.status_code == 200, response.json()

    detail = client("vangiang.reception").get(f"/api/v1/dossiers/{code}/")
    assert detail.status_code == 200
    offered = actions("vangiang.reception", code)
    assert offered["forward"]["step"] is True
    assert act("vangiang.reception", code, "forward").status_code == 200
    run = ProcessRun.objects.get(dossier__code=code, status=RunStatus.RUNNING)
    assert run.agency.code == VANGIANG and run.transferred_from is not None
    # Văn Lâm's specialist no longer holds a step: nothing to do there.
    assert not {name for name, a in actions("vanlam.specialist", code).items() if a["step"]}
    # The agency list of the receiving one-stop desk shows it.
    listed = client("vangiang.reception").get("/api/v1/dossiers/").json()["results"]
    assert code in [row["code"] for row in listed]


def test_a_citizen_and_another_agency_get_no_step_actions(processing):
    assert client("citizen").get(f"/api/v1/dossiers/{processing}/actions/").json() == [
        {"name": "withdraw", "kind": "withdraw", "label": "Rút hồ sơ", "step": False}
    ]
    assert client("citizen2").get(f"/api/v1/dossiers/{processing}/actions/").status_code == 404
    assert (
        client("vangiang.reception")
        .post(f"/api/v1/dossiers/{processing}/actions/", {"action": "forward"}, format="json")
        .status_code
        == 404
    )


def test_the_processing_alias_still_serves_the_same_step_actions(processing):
    state = client("vanlam.specialist").get(f"/api/v1/processing/{processing}/").json()
    assert set(state["actions"]) == {name for name, a in actions("vanlam.specialist", processing).items() if a["step"]}
    response = client("vanlam.specialist").post(
        f"/api/v1/processing/{processing}/actions/", {"action": "forward"}, format="json"
    )
    assert response.status_code == 200 and response.json()["current_step_key"] == "duyet"

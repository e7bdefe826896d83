"""Work queues: due today, steps nobody holds (left for the leader to assign), inter-agency steps, and the
leader's bulk assignment on the back-office queue page."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.accounts.models import RoleAssignment
from dichvucong.accounts.services import role_revoke
from dichvucong.workflows import queues
from dichvucong.workflows.models import WorkItem
from dichvucong.workflows.processing import current_item, open_run, step_perform_action
from tests.conftest import auth_client
from tests.factories import StaffFactory

from .conftest import STANDARD_STEPS, accepted_dossier, start

QUEUE, ASSIGN = "/can-bo/cong-viec/", "/can-bo/cong-viec/phan-cong/"


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def running(world):
    dossier = accepted_dossier(world)
    start(world, dossier)
    return dossier


def open_item(dossier) -> WorkItem:
    return current_item(open_run(dossier))


# --- due today ----------------------------------------------------------------------------------------------------


def test_due_today_lists_the_steps_due_later_today_and_neither_overdue_nor_later_ones(world):
    world.active_template()
    today, tomorrow, overdue = running(world), running(world), running(world)
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for dossier, due in (
        (today, now + datetime.timedelta(hours=5)),
        (tomorrow, now + datetime.timedelta(days=1)),
        (overdue, now - datetime.timedelta(minutes=1)),
    ):
        WorkItem.objects.filter(pk=open_item(dossier).pk).update(due_at=due)

    for user in (world.staff["vl.specialist"], world.staff["vl.leader"]):  # mine, and the leader's team
        assert [i.run.dossier for i in queues.queue(user, "due_today", now=now)] == [today]
    assert [i.run.dossier for i in queues.queue(world.staff["vl.specialist"], "overdue", now=now)] == [overdue]
    assert list(queues.queue(world.staff["vg.leader"], "due_today", now=now)) == []


# --- a step whose role nobody holds at the agency ------------------------------------------------------------------


def test_a_step_nobody_holds_waits_unassigned_in_the_leaders_queue_until_assigned(world):
    world.active_template()
    dossier = running(world)
    clerk = world.staff["vl.clerk"]
    role_revoke(actor="test", assignment=RoleAssignment.objects.get(user=clerk))
    for who, action in (("vl.specialist", "forward"), ("vl.division_head", "approve"), ("vl.leader", "sign")):
        step_perform_action(actor=world.staff[who], dossier=dossier, action=action, data={})
    item = open_item(dossier)
    assert (item.step.key, item.assignee) == ("phat-hanh", None)

    for who in ("vl.leader", "vl.division_head"):
        team = auth_client(world.staff[who]).get("/api/v1/queues/", {"view": "team"}).json()
        assert [(r["dossier"], r["assignee"]) for r in team["results"]] == [(dossier.code, None)]
    page = browser(world.staff["vl.leader"]).get(f"{QUEUE}?view=team").content.decode()
    assert dossier.code in page and "Chưa phân công" in page and f'value="{item.uuid}"' in page
    assert auth_client(world.staff["vl.specialist"]).get("/api/v1/queues/", {"view": "team"}).json()["count"] == 0

    new_clerk = StaffFactory(username="vl.clerk2", roles=[("clerk", world.district)])
    response = browser(world.staff["vl.leader"]).post(
        ASSIGN, {"items": [str(item.uuid)], "assignee": "vl.clerk2", "view": "team"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assignee == new_clerk


# --- an inter-agency step -----------------------------------------------------------------------------------------


def test_the_officer_of_an_inter_agency_step_opens_and_acts_on_the_dossier(world):
    steps = [
        STANDARD_STEPS[0],
        STANDARD_STEPS[1],
        {
            "key": "phoi-hop",
            "name": "UBND huyện Văn Giang xác nhận",
            "role": "other_agency",
            "other_agency": world.district2.code,
            "duration_days": "1",
            "actions": ["forward"],
        },
        STANDARD_STEPS[4],
    ]
    world.active_template(steps=steps)
    dossier = running(world)
    url = f"/api/v1/processing/{dossier.code}/"
    step_perform_action(actor=world.staff["vl.specialist"], dossier=dossier, action="forward", data={})
    officer = world.staff["vg.specialist"]
    assert open_item(dossier).assignee == officer
    assert dossier.code in [r["dossier"] for r in auth_client(officer).get("/api/v1/queues/").json()["results"]]

    state = auth_client(officer).get(url)
    assert state.status_code == 200 and state.json()["actions"] == ["forward"]
    assert auth_client(world.dept_specialist).get(url).status_code == 404  # not involved
    response = auth_client(officer).post(f"{url}actions/", {"action": "forward"})
    assert response.status_code == 200 and response.json()["current_step_key"] == "phat-hanh"
    assert auth_client(officer).get(url).status_code == 200  # the agency handled a step of it


# --- bulk assignment on the queue page ----------------------------------------------------------------------------


@pytest.fixture
def two_dossiers(world):
    world.active_template()
    return running(world), running(world)


def assignees(dossiers):
    return [open_item(d).assignee.username for d in dossiers]


def test_a_leader_assigns_several_steps_at_once_from_the_queue_page(world, two_dossiers):
    StaffFactory(username="vl.specialist2", full_name="Lê Văn Cường", roles=[("specialist", world.district)])
    page = browser(world.staff["vl.leader"]).get(f"{QUEUE}?view=team").content.decode()
    for dossier in two_dossiers:
        uuid = open_item(dossier).uuid
        assert f'<input type="checkbox" name="items" value="{uuid}" id="item-{uuid}">' in page
        assert f'<label for="item-{uuid}" class="visually-hidden">Chọn hồ sơ {dossier.code}' in page
    assert '<label for="assignee">' in page and "Lê Văn Cường (Chuyên viên)" in page

    items = [str(open_item(d).uuid) for d in two_dossiers]
    response = browser(world.staff["vl.leader"]).post(
        ASSIGN, {"items": items, "assignee": "vl.specialist2", "view": "team"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{QUEUE}?view=team"
    assert "Đã phân công 2 hồ sơ." in response.content.decode()
    assert assignees(two_dossiers) == ["vl.specialist2", "vl.specialist2"]


def test_an_officer_without_the_role_of_the_step_cannot_be_chosen(world, two_dossiers):
    items = [str(open_item(d).uuid) for d in two_dossiers]
    response = browser(world.staff["vl.leader"]).post(ASSIGN, {"items": items, "assignee": "vl.clerk"}, follow=True)
    assert "phải giữ vai trò" in response.content.decode()
    assert assignees(two_dossiers) == ["vl.specialist", "vl.specialist"]


def test_a_specialist_and_another_agencys_leader_are_refused(world, two_dossiers):
    StaffFactory(username="vl.specialist2", roles=[("specialist", world.district)])
    items = [str(open_item(d).uuid) for d in two_dossiers]
    body = {"items": items, "assignee": "vl.specialist2"}
    assert 'name="items"' not in browser(world.staff["vl.specialist"]).get(f"{QUEUE}?view=team").content.decode()
    assert browser(world.staff["vl.specialist"]).post(ASSIGN, body).status_code == 403
    assert browser(world.staff["vg.leader"]).post(ASSIGN, body).status_code == 404
    assert browser(world.staff["vl.leader"]).post(ASSIGN, {**body, "items": ["not-a-uuid"]}).status_code == 404
    assert Client().post(ASSIGN, body).status_code == 302  # anonymous: to the login page
    assert assignees(two_dossiers) == ["vl.specialist", "vl.specialist"]

"""Phản ánh, kiến nghị: anyone files one, routed to the agency, answered within the province's deadline, published
only with the author's consent; lists per role; statistics and the scorecard."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dichvucong.accounts.roles import Role
from dichvucong.feedback.models import Feedback, FeedbackPolicy
from dichvucong.feedback.selectors import feedback_stats
from dichvucong.workdays.calendar import add_working_days
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.dossiers.factories import DossierFactory
from tests.factories import auth_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return DossierFactory(processed=True)


def test_anyone_files_feedback_routed_to_the_agency_with_the_province_deadline(dossier):
    admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    assert (
        auth_client(admin).put("/api/v1/feedback/policy/", {"answer_working_days": 5}, format="json").status_code == 200
    )
    assert FeedbackPolicy.objects.get().answer_working_days == 5
    response = APIClient().post(
        "/api/v1/feedback/",
        {"kind": "report", "content": "Cán bộ hẹn nhiều lần", "author_name": "Nguyễn Văn A", "contact": "0912345678",
         "procedure_code": dossier.procedure.code, "publish_consent": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    item = Feedback.objects.get()
    assert item.agency == dossier.agency
    assert item.due_on == add_working_days(timezone.localdate(), 5)
    # the owner about their dossier
    own = auth_client(dossier.owner).post(
        "/api/v1/feedback/",
        {"kind": "proposal", "content": "Đề nghị trả kết quả qua bưu chính", "dossier_code": dossier.code},
        format="json",
    )
    assert own.status_code == 201
    assert Feedback.objects.get(uuid=own.json()["uuid"]).dossier == dossier


def test_someone_elses_dossier_and_bad_input_are_refused(dossier):
    stranger = auth_client(CitizenFactory())
    response = stranger.post(
        "/api/v1/feedback/", {"kind": "report", "content": "x", "dossier_code": dossier.code}, format="json"
    )
    assert response.status_code == 404
    assert APIClient().post("/api/v1/feedback/", {"kind": "report", "content": "x"}, format="json").status_code == 400
    assert APIClient().post("/api/v1/feedback/", {"kind": "spam", "content": "x"}, format="json").status_code == 400
    admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    assert (
        auth_client(admin).put("/api/v1/feedback/policy/", {"answer_working_days": 0}, format="json").status_code == 400
    )
    assert (
        auth_client(CitizenFactory())
        .put("/api/v1/feedback/policy/", {"answer_working_days": 3}, format="json")
        .status_code
        == 403
    )
    assert not Feedback.objects.exists()


def test_answer_publication_lists_and_statistics(dossier):
    filed = APIClient().post(
        "/api/v1/feedback/",
        {"kind": "report", "content": "Chậm", "author_name": "B", "contact": "b@example.vn", "procedure_code": dossier.procedure.code, "publish_consent": True},
        format="json",
    ).json()  # fmt: skip
    hidden = APIClient().post(
        "/api/v1/feedback/",
        {"kind": "report", "content": "Riêng tư", "author_name": "C", "contact": "c@example.vn", "procedure_code": dossier.procedure.code},
        format="json",
    ).json()  # fmt: skip
    leader = StaffFactory(roles=[(Role.LEADER, dossier.agency)])
    other_leader = StaffFactory(roles=[(Role.LEADER, dossier.agency.parent)])
    assert (
        auth_client(other_leader)
        .post(f"/api/v1/feedback/{filed['uuid']}/answer/", {"answer": "x"}, format="json")
        .status_code
        == 404
    )
    staff_list = auth_client(leader).get("/api/v1/feedback/").json()
    assert {f["uuid"] for f in staff_list["results"]} == {filed["uuid"], hidden["uuid"]}
    for uuid in (filed["uuid"], hidden["uuid"]):
        answered = auth_client(leader).post(
            f"/api/v1/feedback/{uuid}/answer/", {"answer": "Đã chấn chỉnh"}, format="json"
        )
        assert answered.status_code == 200 and answered.json()["answered_on_time"] is True
    again = auth_client(leader).post(f"/api/v1/feedback/{filed['uuid']}/answer/", {"answer": "y"}, format="json")
    assert again.status_code == 409
    public = APIClient().get("/api/v1/feedback/public/").json()
    assert [f["uuid"] for f in public["results"]] == [filed["uuid"]]
    assert "contact" not in public["results"][0]
    assert [f["uuid"] for f in APIClient().get("/api/v1/feedback/").json()["results"]] == [filed["uuid"]]
    today = timezone.localdate()
    stats = feedback_stats(start=today, end=today)
    assert (stats["n"], stats["answered"], stats["answered_on_time"], stats["overdue"]) == (2, 2, 2, 0)
    Feedback.objects.create(
        kind="report",
        author_name="D",
        contact="d",
        agency=dossier.agency,
        content="cũ",
        due_on=today - datetime.timedelta(days=1),
    )
    assert feedback_stats(start=today, end=today)["overdue"] == 1
    monitor = StaffFactory(roles=[(Role.MONITOR, None)])
    card = auth_client(monitor).get("/api/v1/reports/scorecard/").json()
    indicator = next(i for i in card["indicators"] if i["key"] == "feedback")
    assert indicator["rate"] == pytest.approx(100 * 2 / 3, abs=0.01)

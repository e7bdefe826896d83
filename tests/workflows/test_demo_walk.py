"""A demo dossier walked from counter reception to the returned result by the demo accounts of API.md, through
the demo process of its procedure, over the API: national status 2 → 4 → 9 → 10."""

import pytest

from dichvucong.accounts.models import User
from dichvucong.catalog.models import Procedure
from dichvucong.workflows.models import Handover
from tests.conftest import auth_client

pytestmark = pytest.mark.django_db
VANLAM = "000.00.23.H31"


def _value(field: dict):
    kind = field.get("type", "text")
    return {"date": "2021-03-01", "number": 1, "checkbox": True, "select": (field.get("choices") or ["x"])[0]}.get(
        kind, "Nội dung mẫu"
    )


def client(username):
    return auth_client(User.objects.get(username=username))


def test_a_demo_dossier_walks_through_its_process_to_status_9_then_10(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    procedure = Procedure.objects.for_tier("district").filter(offerings__tier="district").order_by("code").first()
    form = {f["name"]: _value(f) for f in procedure.form_schema if f.get("required")}
    payload = {
        "procedure": procedure.code,
        "channel": "counter",
        "accept": True,
        "form_data": form,
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "033090001234", "phone": "0912000111"},
        "received_documents": [d.pk for d in procedure.required_documents.all()],
    }
    response = client("vanlam.reception").post("/api/v1/dossiers/", payload, format="json")
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    assert response.json()["national_status"] == 2

    response = client("vanlam.reception").post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "start_processing"}, format="json"
    )
    assert response.status_code == 200, response.json()
    state = client("vanlam.specialist").get(f"/api/v1/processing/{code}/").json()
    assert (state["national_status"], state["current_step_key"], state["assignee"]) == (
        4,
        "tham-dinh",
        "vanlam.specialist",
    )
    mine = client("vanlam.specialist").get("/api/v1/queues/", {"view": "mine"}).json()
    assert code in [row["dossier"] for row in mine["results"]]

    for username, action, next_key in [
        ("vanlam.specialist", "forward", "duyet"),
        ("vanlam.head", "approve", "ky"),
        ("vanlam.leader", "sign", "phat-hanh"),
        ("vanlam.clerk", "deliver", None),
    ]:
        response = client(username).post(
            f"/api/v1/processing/{code}/actions/", {"action": action, "note": "Đồng ý"}, format="json"
        )
        assert response.status_code == 200, (username, response.json())
        assert response.json()["current_step_key"] == next_key
    assert client("vanlam.reception").get(f"/api/v1/dossiers/{code}/").json()["national_status"] == 9

    response = client("vanlam.reception").post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "deliver"}, format="json"
    )
    assert response.status_code == 200, response.json()
    detail = client("vanlam.reception").get(f"/api/v1/dossiers/{code}/").json()
    assert detail["national_status"] == 10
    handovers = Handover.objects.filter(dossier__code=code)
    assert [h.action for h in handovers] == ["forward", "forward", "approve", "sign", "deliver"]
    assert all(h.timeliness for h in handovers)

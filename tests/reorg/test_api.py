"""The plans API: the Provincial Office drafts, previews (JSON and Excel), approves and applies; the monitor reads;
citizens and agency officers (even of an agency in the plan) are refused."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dichvucong.agencies.models import Agency
from dichvucong.reorg.models import Plan, PlanStatus
from tests.factories import CitizenFactory, StaffFactory, auth_client
from tests.reorg.factories import dossiers_at, merge_operations

pytestmark = pytest.mark.django_db


def _body(world):
    return {
        "title": "Hợp nhất các sở 2025",
        "legal_basis": "Nghị quyết HĐND tỉnh 2025",
        "effective_on": timezone.localdate().isoformat(),
        "operations": merge_operations(world)[:2],
    }


def test_draft_preview_approve_apply(world):
    dossiers_at(world.plan_dept, world.investment, traits=("processing",))
    admin = auth_client(StaffFactory(roles=[("province_admin", None)]))
    created = admin.post("/api/v1/reorg/plans/", _body(world), format="json")
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    preview = admin.get(f"/api/v1/reorg/plans/{uuid}/preview/")
    assert preview.status_code == 200
    assert preview.json()["counts"]["dossiers"] == 1 and preview.json()["can_approve"] is True
    xlsx = admin.get(f"/api/v1/reorg/plans/{uuid}/preview.xlsx")
    assert xlsx.status_code == 200 and "Hồ sơ chuyển" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert admin.post(f"/api/v1/reorg/plans/{uuid}/approve/").json()["status"] == PlanStatus.APPROVED
    applied = admin.post(f"/api/v1/reorg/plans/{uuid}/apply/")
    assert applied.status_code == 200 and applied.json()["plan"]["status"] == PlanStatus.APPLIED
    assert Agency.objects.get(pk=world.plan_dept.pk).valid_to is not None
    again = admin.post(f"/api/v1/reorg/plans/{uuid}/apply/")
    assert again.status_code == 409 and again.json()["code"] == "plan_already_applied"
    detail = admin.get(f"/api/v1/reorg/plans/{uuid}/").json()
    assert any(entry["key"] == "close" for entry in detail["journal"])


def test_a_blocking_plan_is_refused_with_its_code(world):
    admin = auth_client(StaffFactory(roles=[("province_admin", None)]))
    body = _body(world)
    body["operations"] = [
        {"kind": "merge", "spec": {"sources": [world.districts[0].code], "target": {"code": world.communes[0].code}}}
    ]
    uuid = admin.post("/api/v1/reorg/plans/", body, format="json").json()["uuid"]
    refused = admin.post(f"/api/v1/reorg/plans/{uuid}/approve/")
    assert refused.status_code == 400 and refused.json()["code"] == "merge_into_own_child"
    assert Plan.objects.get(uuid=uuid).status == PlanStatus.DRAFT


@pytest.mark.parametrize("who", ["citizen", "officer_in_plan", "leader_elsewhere"])
def test_others_are_refused(world, who):
    admin = auth_client(StaffFactory(roles=[("province_admin", None)]))
    uuid = admin.post("/api/v1/reorg/plans/", _body(world), format="json").json()["uuid"]
    user = {
        "citizen": lambda: CitizenFactory(),
        "officer_in_plan": lambda: StaffFactory(roles=[("agency_admin", world.plan_dept)]),
        "leader_elsewhere": lambda: StaffFactory(roles=[("leader", world.districts[0])]),
    }[who]()
    client = auth_client(user)
    assert client.get("/api/v1/reorg/plans/").status_code == 403
    for path in ("", "preview/", "preview.xlsx"):
        assert client.get(f"/api/v1/reorg/plans/{uuid}/{path}").status_code == 403
    for path in ("approve/", "apply/"):
        assert client.post(f"/api/v1/reorg/plans/{uuid}/{path}").status_code == 403
    assert client.post("/api/v1/reorg/plans/", _body(world), format="json").status_code == 403
    assert Plan.objects.get(uuid=uuid).status == PlanStatus.DRAFT


def test_the_monitor_reads_but_does_not_approve(world):
    admin = auth_client(StaffFactory(roles=[("province_admin", None)]))
    uuid = admin.post("/api/v1/reorg/plans/", _body(world), format="json").json()["uuid"]
    monitor = auth_client(StaffFactory(roles=[("monitor", None)]))
    assert monitor.get(f"/api/v1/reorg/plans/{uuid}/preview/").status_code == 200
    assert monitor.post(f"/api/v1/reorg/plans/{uuid}/approve/").status_code == 403
    assert monitor.get("/api/v1/reorg/plans/00000000-0000-0000-0000-000000000000/").status_code == 404

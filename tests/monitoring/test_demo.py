"""The demo shows meaningful reports: Plan 111/KH-UBND with its targets and items, the demo dossiers counted."""

import pytest

from dichvucong.accounts.models import User
from dichvucong.demo.loader import load_demo
from dichvucong.monitoring.models import Plan, PlanItem
from tests.factories import auth_client

pytestmark = pytest.mark.django_db


def test_demo_plan_targets_and_reports(demo):
    plan = Plan.objects.get(number="111/KH-UBND")
    assert [str(t.value) for t in plan.targets.all()] == ["1100.00", "55.70", "60.00", "15.00"]
    assert PlanItem.objects.filter(plan=plan).exists()
    monitor = User.objects.get(username="sotttt.monitor")
    targets = auth_client(monitor).get("/api/v1/reports/targets/")
    assert targets.status_code == 200, targets.content
    data = targets.json()
    assert data["plan"]["number"] == "111/KH-UBND"
    assert {t["status"] for t in data["targets"]} <= {"green", "amber", "red"}
    assert data["items"] and all(i["stage"] for i in data["items"])
    dossiers = auth_client(monitor).get("/api/v1/reports/dossiers/", {"from": "2021-01-01", "group_by": "tier"})
    assert dossiers.status_code == 200
    assert dossiers.json()["totals"]["received_total"] > 0
    procedures = auth_client(monitor).get("/api/v1/reports/procedures/", {"group_by": "tier"}).json()
    assert procedures["totals"]["total"] > 0
    # idempotent
    before = PlanItem.objects.count()
    load_demo()
    assert PlanItem.objects.count() == before

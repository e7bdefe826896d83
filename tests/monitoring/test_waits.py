"""Where dossiers wait: per step and agency, median / p90 of the completed work items, and the ones waiting now."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.workflows.run_models import WorkItem
from tests.accounts.factories import StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.dossiers.factories import DossierFactory, officers_at
from tests.factories import auth_client
from tests.workflows.factories import ApprovedProcessFactory

pytestmark = pytest.mark.django_db


def test_step_waits_from_the_work_items():
    from dichvucong.accounts.roles import Role

    dept = AgencyFactory.department(name="Sở Chờ Đợi", code="000.00.96.H31")
    procedure = ProcedureFactory(agencies=[dept.code], tiers=("province",), level=4, free=True)
    ApprovedProcessFactory(procedure=procedure, agency=dept)
    officers = officers_at(dept)
    dossiers = [DossierFactory(agency=dept, procedure=procedure, officers=officers, processing=True) for _ in range(3)]
    items = list(WorkItem.objects.filter(run__dossier__in=dossiers, completed_at__isnull=True).order_by("pk"))
    assert items, "processing opened a run with a first work item"
    # two items done after 2 h and 10 h, one still waiting
    now = timezone.now()
    for item, hours in zip(items[:2], (2, 10), strict=True):
        WorkItem.objects.filter(pk=item.pk).update(started_at=now - datetime.timedelta(hours=hours), completed_at=now)
    monitor = StaffFactory(roles=[(Role.MONITOR, None)])
    data = auth_client(monitor).get("/api/v1/reports/waits/", {"agency": dept.code}).json()
    step = next(r for r in data["steps"] if r["agency"] == dept.name and r["step"] == items[0].step.name)
    assert step["completed"] == 2
    assert step["median_hours"] == pytest.approx(6, abs=0.01)
    assert step["p90_hours"] == pytest.approx(9.2, abs=0.01)
    assert sum(r["waiting"] for r in data["waiting_now"] if r["step"] == items[0].step.name) == 1
    assert data["slowest"][0]["p90_hours"] >= step["p90_hours"]
    assert (
        auth_client(officers[Role.SPECIALIST]).get("/api/v1/reports/waits/", {"agency": "000.00.00.H31"}).status_code
        == 403
    )

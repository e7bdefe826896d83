"""The preview lists what the plan will do, before approval, without writing anything; it exports to Excel."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dichvucong.dossiers.models import Dossier
from dichvucong.reorg.preview import plan_preview, preview_workbook
from dichvucong.reorg.services import plan_create
from tests.accounts.factories import StaffFactory
from tests.reorg.factories import dossiers_at, merge_operations
from tests.reorg.test_abolish_tier import abolish_operation

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    dossiers_at(world.plan_dept, world.investment, traits=("new", "processing", "returned"))
    dossiers_at(world.districts[1], world.land, traits=("processing",))
    StaffFactory(roles=[("reception", world.transport)])
    return plan_create(
        actor="test",
        title="Sắp xếp 2025",
        legal_basis="NQ 1666/NQ-UBTVQH15",
        effective_on=timezone.localdate(),
        operations=merge_operations(world)[:2]
        + [abolish_operation(world, procedures={world.household.code: "commune"})],
    )


def test_preview_lists_changes_and_blocking_problems(world, plan, django_assert_max_num_queries):
    before = list(Dossier.objects.values_list("pk", "agency_id"))
    with django_assert_max_num_queries(40):
        preview = plan_preview(plan)
    assert list(Dossier.objects.values_list("pk", "agency_id")) == before  # a read
    counts = preview["counts"]
    assert counts["agencies_closed"] == 4  # two departments, two districts
    assert counts["dossiers"] == 3  # the finished one stays
    assert {d["to"] for d in preview["dossiers"] if d["from"] == world.plan_dept.code} == {world.finance.code}
    assert {d["to"] for d in preview["dossiers"] if d["from"] == world.districts[1].code} == {world.communes[1].code}
    assert counts["work_items"] >= 1
    assert {(o["procedure"], o["to"]) for o in preview["offerings"]} >= {
        (world.investment.code, world.finance.code),
        (world.household.code, "tier:commune"),
    }
    assert {(p["procedure"], p["to"]) for p in preview["processes"]} >= {(world.driving.code, world.construction.code)}
    assert any(o["from"] == world.transport.code and o["to"] == world.construction.code for o in preview["officers"])
    # The land procedure is left without an agency: blocking, listed.
    assert [i["code"] for i in preview["procedures_without_agency"]] == ["procedure_without_agency"]
    assert world.land.code in preview["procedures_without_agency"][0]["detail"]
    assert preview["can_approve"] is False
    changes = {row["change"] for row in preview["agencies"]}
    assert changes == {"merge", "abolish"}


def test_preview_exports_to_excel(plan):
    book = load_workbook(io.BytesIO(preview_workbook(plan_preview(plan))))
    assert book.sheetnames[0] == "Tổng hợp"
    assert "Hồ sơ chuyển" in book.sheetnames and "Vấn đề" in book.sheetnames
    rows = list(book["Hồ sơ chuyển"].iter_rows(values_only=True))
    assert rows[0][0] == "code" and len(rows) == 1 + 3

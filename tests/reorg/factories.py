"""Reorganisation test data: a small province (two departments, two districts with a commune each), procedures
with processes, and open dossiers at every status — all written through the services."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from dichvucong.agencies.models import AgencyKind, Tier
from dichvucong.agencies.services import agency_create
from dichvucong.reorg.services import plan_approve, plan_create
from tests.agencies.factories import AgencyFactory
from tests.dossiers.factories import DossierFactory, officers_at
from tests.factories import ApprovedProcessFactory, ProcedureFactory

#: The statuses an open dossier can be in when the reorganisation takes effect (and `returned`: finished).
OPEN_TRAITS = ("draft", "new", "accepted", "supplement_requested", "processing", "payment_requested", "processed")


#: A process without digital signing (the leader approves): reception → specialist → leader → clerk, 3 days.
STEPS = [
    {"key": "tiep-nhan", "name": "Tiếp nhận", "role": "reception", "duration_days": "0.5", "actions": ["forward"]},
    {
        "key": "tham-dinh",
        "name": "Thẩm định",
        "role": "specialist",
        "duration_days": "1",
        "actions": ["forward", "return", "request_payment"],
    },
    {
        "key": "duyet",
        "name": "Lãnh đạo duyệt",
        "role": "leader",
        "duration_days": "1",
        "actions": ["approve", "return"],
    },
    {"key": "phat-hanh", "name": "Văn thư phát hành", "role": "clerk", "duration_days": "0.5", "actions": ["deliver"]},
]


def small_province() -> SimpleNamespace:
    province = AgencyFactory.province()
    plan_dept = AgencyFactory.department(name="Sở Kế hoạch và Đầu tư", code="000.00.05.H31")
    finance = AgencyFactory.department(name="Sở Tài chính", code="000.00.06.H31")
    transport = AgencyFactory.department(name="Sở Giao thông vận tải", code="000.00.09.H31")
    construction = AgencyFactory.department(name="Sở Xây dựng", code="000.00.10.H31")
    districts, communes = [], []
    for y, name in ((23, "Văn Lâm"), (24, "Văn Giang")):
        district = agency_create(
            actor="test",
            code=f"000.00.{y}.H31",
            name=f"Ủy ban nhân dân huyện {name}",
            tier=Tier.DISTRICT,
            kind=AgencyKind.PEOPLES_COMMITTEE,
            parent=province,
        )
        commune = agency_create(
            actor="test",
            code=f"000.01.{y}.H31",
            name=f"Ủy ban nhân dân thị trấn {name}",
            tier=Tier.COMMUNE,
            kind=AgencyKind.PEOPLES_COMMITTEE,
            parent=district,
        )
        districts.append(district)
        communes.append(commune)
    investment = ProcedureFactory(code="2.002155", name="Đăng ký thành lập doanh nghiệp", agencies=[plan_dept.code])
    driving = ProcedureFactory(code="1.002809", name="Đổi giấy phép lái xe", agencies=[transport.code])
    household = ProcedureFactory(code="1.003000", name="Đăng ký hộ kinh doanh", tiers=("district",))
    land = ProcedureFactory(code="1.004227", name="Cấp giấy chứng nhận quyền sử dụng đất", tiers=("district",))
    for procedure, agency in ((investment, plan_dept), (driving, transport)):
        ApprovedProcessFactory(procedure=procedure, agency=agency, steps=STEPS)
    for procedure in (household, land):
        ApprovedProcessFactory(procedure=procedure, agency=None, tier="district", owner_agency=province, steps=STEPS)
    return SimpleNamespace(
        province=province,
        plan_dept=plan_dept,
        finance=finance,
        transport=transport,
        construction=construction,
        districts=districts,
        communes=communes,
        investment=investment,
        driving=driving,
        household=household,
        land=land,
    )


def dossiers_at(agency, procedure, traits=OPEN_TRAITS + ("returned",)) -> dict:
    officers = officers_at(agency)
    return {
        trait: DossierFactory(
            agency=agency,
            procedure=procedure,
            officers=officers,
            **({"status": "new"} if trait == "new" else {trait: True}),
        )
        for trait in traits
    }


def approved_plan(operations, *, effective_on: datetime.date | None = None, title="Phương án sắp xếp 2025"):
    plan = plan_create(
        actor="test",
        title=title,
        legal_basis="Nghị quyết 1666/NQ-UBTVQH15 ngày 16/6/2025",
        effective_on=effective_on or timezone.localdate(),
        operations=operations,
    )
    return plan_approve(actor="test", plan=plan)


def merge_operations(world) -> list[dict]:
    """Kế hoạch và Đầu tư into Tài chính, Giao thông vận tải into Xây dựng, the two districts into a new one."""
    return [
        {"kind": "merge", "spec": {"sources": [world.plan_dept.code], "target": {"code": world.finance.code}}},
        {"kind": "merge", "spec": {"sources": [world.transport.code], "target": {"code": world.construction.code}}},
        {
            "kind": "merge",
            "spec": {
                "sources": [d.code for d in world.districts],
                "target": {
                    "code": "000.00.31.H31",
                    "name": "Ủy ban nhân dân huyện Văn Lâm – Văn Giang",
                    "short_name": "Văn Lâm – Văn Giang",
                    "kind": "peoples_committee",
                    "tier": "district",
                    "parent": world.province.code,
                },
            },
        },
    ]

"""Demo data of the monitoring context: Plan 111/KH-UBND of 23/7/2021 (../shared/seed/) with its targets, and the
procedures the demo agencies commit to bring online (the plan's Phụ lục 04-06, from the demo catalogue: the seed
names the annexes but does not reproduce their lists). Idempotent."""

import datetime

from dichvucong.agencies.models import Tier
from dichvucong.catalog.models import Offering

from . import services
from .models import Plan, TargetKind

DEMO_ACTOR = "demo-loader"
PLAN = {
    "number": "111/KH-UBND",
    "title": (
        "Kế hoạch triển khai cung cấp 100% thủ tục hành chính đủ điều kiện lên dịch vụ công trực tuyến mức độ 4 "
        "của các cơ quan nhà nước tỉnh Hưng Yên năm 2021"
    ),
    "signed_on": datetime.date(2021, 7, 23),
    "period_start": datetime.date(2021, 7, 23),
    "period_end": datetime.date(2021, 12, 31),
}
YEAR_END = datetime.date(2021, 12, 31)
#: "lập quy trình … gửi Văn phòng UBND tỉnh … trước ngày 10/8/2021" (V.7.a)
PROCESS_DUE = datetime.date(2021, 8, 9)
TARGETS = [
    (TargetKind.LEVEL4_COUNT, "", 1100, "Đến hết năm 2021 cung cấp 1.100 thủ tục lên mức độ 4 (III.5)"),
    (TargetKind.LEVEL4_SHARE, Tier.PROVINCE, "55.7", "55,7% thủ tục của các sở, ngành ở mức độ 4 (II.2.c)"),
    (TargetKind.LEVEL4_SHARE, Tier.DISTRICT, 60, "60% thủ tục của UBND cấp huyện ở mức độ 4 (II.2.c)"),
    (
        TargetKind.ONLINE_DOSSIER_SHARE,
        "",
        15,
        "Tối thiểu 15% hồ sơ nộp trực tuyến, tính trên các TTHC có phát sinh hồ sơ (II.2.d)",
    ),
]
ANNEX = {Tier.PROVINCE: "04", Tier.DISTRICT: "05", Tier.COMMUNE: "06"}
COMMUNES_PER_DISTRICT = 1  # the commune annex lists every commune; the demo keeps it short


def load_demo(agencies: dict) -> None:
    plan = Plan.objects.filter(number=PLAN["number"]).first() or services.plan_create(actor=DEMO_ACTOR, **PLAN)
    if not plan.targets.exists():
        for order, (kind, tier, value, label) in enumerate(TARGETS, start=1):
            services.plan_target_add(
                actor=DEMO_ACTOR,
                plan=plan,
                kind=kind,
                tier=tier,
                value=value,
                deadline=YEAR_END,
                label=label,
                order=order,
            )
    if plan.items.exists():
        return
    # Items: every procedure offered at level 3 (to bring to level 4) or upgraded to level 4 since the plan.
    units = {tier: [a for a in agencies.values() if a.tier == tier] for tier in ANNEX}
    seen = set()
    for offering in Offering.objects.filter(online_level__gte=3).select_related("procedure", "agency").order_by("pk"):
        if offering.agency_id:
            targets = [offering.agency]
            tier = offering.agency.tier
        else:
            tier = offering.tier
            targets = units.get(tier, [])
            if tier == Tier.COMMUNE:
                by_district = {}
                for unit in targets:
                    by_district.setdefault(unit.parent_id, unit)
                targets = list(by_district.values())[: 10 * COMMUNES_PER_DISTRICT]
        for agency in targets:
            if (agency.pk, offering.procedure_id) in seen or tier not in ANNEX:
                continue
            seen.add((agency.pk, offering.procedure_id))
            services.plan_item_add(
                actor=DEMO_ACTOR,
                plan=plan,
                annex=ANNEX[tier],
                agency=agency,
                procedure=offering.procedure,
                process_due=PROCESS_DUE,
                online_due=YEAR_END,
            )

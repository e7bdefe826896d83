"""Idempotent demo data of the workflows context, called by dichvucong.demo.loader.load_demo.

Every demo procedure gets an approved, active internal process (as approved on paper by the Chairman's decision
before go-live, recorded with `process_import_approved`): one tier template for all districts and one for all
communes, one process per department for provincial procedures. The standard shape is reception 0.5 day →
specialist → head of division 1 day → leader signs 1 day → clerk releases 0.5 day, the specialist taking what
remains of the statutory time; shorter procedures are scaled down to fit. A second version of one Sở Tư pháp
process is left submitted, waiting for the Provincial Office to review it.

The specialist's step offers only the actions that can succeed for the procedure: `request_payment` when its
fees can be more than zero (otherwise the payments app refuses with `no_fee_due`), `transfer` (liên thông) when
another unit that handles the same procedure, of the same or a higher tier, has officers for every step of the
standard shape (so a staffed unit always has somewhere to transfer to).
"""

import datetime
from decimal import ROUND_FLOOR, Decimal

from dichvucong.accounts.models import User
from dichvucong.accounts.selectors import officers_with_role
from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Procedure

from .models import Process, ProcessScope
from .services import process_import_approved, process_new_version, process_submit

DEMO_ACTOR = "demo-loader"
OFFICE_CODE = "000.00.01.H31"  # Văn phòng UBND tỉnh: owns the tier templates
DECISION = ("1234/QĐ-UBND", datetime.date(2020, 12, 28), "Chủ tịch UBND tỉnh Hưng Yên")
ACTIVE_FROM = datetime.date(2021, 1, 1)
SHAPE = [  # key, name, role, standard days, actions
    ("tiep-nhan", "Bộ phận một cửa tiếp nhận, chuyển hồ sơ", "reception", Decimal("0.5"), ["forward"]),
    (
        "tham-dinh",
        "Chuyên viên thẩm định, đề xuất",
        "specialist",
        Decimal(3),
        ["forward", "consult", "transfer", "request_payment"],
    ),
    ("duyet", "Lãnh đạo phòng xem xét", "division_head", Decimal(1), ["approve", "return"]),
    ("ky", "Lãnh đạo cơ quan ký duyệt", "leader", Decimal(1), ["sign", "return"]),
    ("phat-hanh", "Văn thư đóng dấu, phát hành, chuyển kết quả về một cửa", "clerk", Decimal("0.5"), ["deliver"]),
]
STANDARD_DAYS = sum(days for *_, days, _ in SHAPE)
STEP_ROLES = tuple(dict.fromkeys(role for _, _, role, _, _ in SHAPE))
#: Liên thông goes up: a commune passes a dossier on to its district, a district to a department.
TIER_ORDER = ("commune", "district", "province")


def standard_steps(processing_days: Decimal, *, fees_due: bool = False, transfer: bool = False) -> list[dict]:
    """The standard shape fitted into `processing_days` working days (durations in hours, 0.5 h granularity).
    `request_payment` is kept only if the procedure has fees to pay, `transfer` only if it leads somewhere."""
    days = Decimal(processing_days)
    if days >= STANDARD_DAYS:
        durations = [d + (days - STANDARD_DAYS if key == "tham-dinh" else 0) for key, _, _, d, _ in SHAPE]
        hours = [d * 8 for d in durations]
    else:
        hours = [(d * days / STANDARD_DAYS * 16).to_integral_value(ROUND_FLOOR) / 2 for *_, d, _ in SHAPE]
    dropped = {action for action, kept in (("request_payment", fees_due), ("transfer", transfer)) if not kept}
    return [
        {
            "key": key,
            "name": name,
            "role": role,
            "duration_hours": h,
            "actions": [a for a in actions if a not in dropped],
        }
        for (key, name, role, _, actions), h in zip(SHAPE, hours, strict=True)
    ]


def fees_can_be_due(procedure: Procedure) -> bool:
    """Whether some fee rule of the procedure can ask for more than zero đồng (a free procedure has no payment)."""
    return any(fee.amount > 0 and (fee.max_amount is None or fee.max_amount > 0) for fee in procedure.fees.all())


def is_staffed(agency: Agency) -> bool:
    """Every role of the standard shape has an active officer at `agency`."""
    return all(officers_with_role(agency=agency, role=role).exists() for role in STEP_ROLES)


def processing_agencies(procedure: Procedure, tier: str) -> list[Agency]:
    """The units of `tier` that handle `procedure`: every unit of a district/commune tier (one tier template), the
    offering departments at the province."""
    if tier == "province":
        return sorted(
            {o.agency for o in procedure.offerings.all() if o.agency_id and o.agency.tier == tier}, key=lambda a: a.code
        )
    return list(Agency.objects.filter(tier=tier).order_by("code"))


def transfer_leads_somewhere(procedure: Procedure, tier: str) -> bool:
    """A staffed unit handling `procedure` from `tier` can pass a dossier on (liên thông) to another staffed unit
    that handles it: a second one of the same tier (the competent district), or one of a higher tier."""
    same = sum(1 for agency in processing_agencies(procedure, tier) if is_staffed(agency))
    higher = [t for t in procedure.tier_list if TIER_ORDER.index(t) > TIER_ORDER.index(tier)]
    return same >= 2 or any(is_staffed(agency) for t in higher for agency in processing_agencies(procedure, t))


def demo_steps(procedure: Procedure, tier: str) -> list[dict]:
    return standard_steps(
        procedure.processing_days,
        fees_due=fees_can_be_due(procedure),
        transfer=transfer_leads_somewhere(procedure, tier),
    )


def _import(procedure: Procedure, *, scope: str, owner, agency=None, tier: str = "") -> None:
    exists = Process.objects.filter(procedure=procedure, scope=scope, agency=agency, tier=tier).exists()
    if exists:
        return
    number, signed, signer = DECISION
    steps = demo_steps(procedure, agency.tier if agency is not None else tier)
    process_import_approved(
        actor=DEMO_ACTOR,
        procedure=procedure,
        owner_agency=owner,
        scope=scope,
        agency=agency,
        tier=tier,
        steps=steps,
        decision_number=number,
        decision_date=signed,
        decision_signer=signer,
        active_from=ACTIVE_FROM,
    )


def load_demo(agencies: dict) -> None:
    office = agencies.get(OFFICE_CODE)
    if office is None:
        return
    for procedure in Procedure.objects.prefetch_related("offerings__agency", "fees").order_by("code"):
        for tier in procedure.tier_list:
            if tier == "province":
                continue
            _import(procedure, scope=ProcessScope.TIER, owner=office, tier=tier)
        if "province" in procedure.tier_list:
            for department in processing_agencies(procedure, "province"):
                _import(procedure, scope=ProcessScope.AGENCY, owner=department, agency=department)
    _submitted_second_version(agencies)


def _submitted_second_version(agencies: dict) -> None:
    """A new version of one Sở Tư pháp process, submitted by its leader: the Provincial Office's review queue."""
    leader = User.objects.filter(username="sotp.leader").first()
    department = agencies.get("000.00.04.H31")
    first = (
        Process.objects.filter(owner_agency=department, scope=ProcessScope.AGENCY, version=1)
        .order_by("procedure__code")
        .first()
        if department
        else None
    )
    if (
        leader is None
        or first is None
        or Process.objects.filter(procedure=first.procedure, agency=department, version=2).exists()
    ):
        return
    draft = process_new_version(actor=leader, process=first)
    process_submit(actor=leader, process=draft)

"""The plan's targets and items, measured from the data (issue 13 item 2); nothing here is ticked by hand.

Red / amber / green: a target met is green; not met while its deadline is ahead, amber; not met after it, red.
A target is judged on the figures as of its deadline once the deadline has passed (later progress does not
rewrite whether the plan was met on time; `actual_now` shows it).

An item (one procedure an agency commits to bring online) progresses through four stages, each read from the data:
process drafted (an internal process exists for the procedure at the agency or its tier) → approved (a version
approved or active) → offered online (an active offering at the target level) → first online dossier (a dossier
received online for it at that agency). Green once offered online by `online_due`; red (late) when the process is
not approved after `process_due` or not online after `online_due`; amber otherwise.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.agencies.models import Agency, Tier
from dichvucong.catalog.models import Offering
from dichvucong.common.errors import NotFoundError
from dichvucong.workflows.models import Process, ProcessStatus

from .access import Scope
from .models import DossierFact, Plan, PlanItem, TargetKind
from .reports import dossier_report, procedure_report

GREEN, AMBER, RED = "green", "amber", "red"
RAG_LABELS = {GREEN: gettext_lazy("Đạt"), AMBER: gettext_lazy("Đang thực hiện"), RED: gettext_lazy("Không đạt / chậm")}
STAGES = (
    ("none", gettext_lazy("Chưa xây dựng quy trình")),
    ("drafted", gettext_lazy("Đã xây dựng quy trình")),
    ("approved", gettext_lazy("Quy trình đã phê duyệt")),
    ("offered", gettext_lazy("Đã cung cấp trực tuyến")),
    ("first_dossier", gettext_lazy("Đã có hồ sơ trực tuyến")),
)
STAGE_INDEX = {key: i for i, (key, _label) in enumerate(STAGES)}
PROVINCE = Scope(agencies=None, province_wide=True)


def rag(actual, target, deadline: datetime.date, today: datetime.date) -> str:
    if actual is not None and Decimal(str(actual)) >= Decimal(target):
        return GREEN
    return RED if today > deadline else AMBER


def _target_actual(target, plan: Plan, as_of: datetime.date, scope: Scope):
    if target.kind == TargetKind.LEVEL4_COUNT:
        return procedure_report(scope=scope, as_of=as_of, group_by="tier").totals["level_4"]
    if target.kind == TargetKind.LEVEL4_SHARE:
        report = procedure_report(scope=scope, as_of=as_of, group_by="tier")
        row = next((r for r in report.rows if r["key"] == target.tier), None)
        return row["share_level_4"] if row else None
    start = plan.period_start.replace(month=1, day=1)
    report = dossier_report(scope=scope, start=start, end=max(as_of, start), group_by="tier")
    if target.tier:
        row = next((r for r in report.rows if r["key"] == target.tier), None)
        return row["share_online"] if row else None
    return report.totals["share_online"]


def plan_targets(*, plan: Plan, scope: Scope, today: datetime.date | None = None) -> dict:
    """Each target of the plan with its actual figure (as of its deadline once past) and colour; per agency the
    level-4 share and the online share against their tier's targets; the items' progress."""
    today = today or timezone.localdate()
    rows = []
    for target in plan.targets.all():
        as_of = min(today, target.deadline)
        actual = _target_actual(target, plan, as_of, PROVINCE if scope.province_wide and not scope.agencies else scope)
        actual_now = _target_actual(
            target, plan, today, PROVINCE if scope.province_wide and not scope.agencies else scope
        )
        rows.append(
            {
                "kind": target.kind,
                "label": target.label,
                "tier": target.tier,
                "target": float(target.value),
                "deadline": target.deadline.isoformat(),
                "actual": actual,
                "actual_now": actual_now,
                "status": rag(actual, target.value, target.deadline, today),
            }
        )
    return {
        "plan": plan_summary(plan),
        "as_of": today.isoformat(),
        "targets": rows,
        "agencies": agency_targets(plan=plan, scope=scope, today=today),
        "items": plan_items(plan=plan, scope=scope, today=today),
    }


def plan_summary(plan: Plan) -> dict:
    return {
        "number": plan.number,
        "title": plan.title,
        "signed_on": plan.signed_on.isoformat(),
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
    }


def agency_targets(*, plan: Plan, scope: Scope, today: datetime.date) -> list[dict]:
    shares = {t.tier: t for t in plan.targets.filter(kind=TargetKind.LEVEL4_SHARE)}
    online = plan.targets.filter(kind=TargetKind.ONLINE_DOSSIER_SHARE, tier="").first()
    procedures = procedure_report(scope=scope, as_of=today, group_by="agency")
    start = plan.period_start.replace(month=1, day=1)
    dossiers = {r["key"]: r for r in dossier_report(scope=scope, start=start, end=today, group_by="agency").rows}
    tiers = dict(Agency.objects.filter(code__in=[r["key"] for r in procedures.rows]).values_list("code", "tier"))
    rows = []
    for row in procedures.rows:
        tier = tiers.get(row["key"], "")
        share_target = shares.get(tier)
        dossier_row = dossiers.get(row["key"])
        online_share = dossier_row["share_online"] if dossier_row else None
        rows.append(
            {
                "agency": row["key"],
                "label": row["label"],
                "tier": tier,
                "level_4": row["level_4"],
                "total": row["total"],
                "share_level_4": row["share_level_4"],
                "target_level_4": float(share_target.value) if share_target else None,
                "status_level_4": rag(row["share_level_4"], share_target.value, share_target.deadline, today)
                if share_target
                else None,
                "received_total": dossier_row["received_total"] if dossier_row else 0,
                "share_online": online_share,
                "target_online": float(online.value) if online else None,
                "status_online": rag(online_share, online.value, online.deadline, today)
                if online and dossier_row and dossier_row["received_total"]
                else None,
            }
        )
    return rows


def item_stage(item: PlanItem, *, today: datetime.date) -> dict:
    agency, procedure = item.agency, item.procedure
    processes = Process.objects.filter(procedure=procedure).filter(
        Q(agency=agency) | Q(agency__isnull=True, tier=agency.tier)
    )
    stage = "none"
    if processes.exists():
        stage = "drafted"
    if processes.filter(status__in=[ProcessStatus.APPROVED, ProcessStatus.ACTIVE]).exists():
        stage = "approved"
    offered = (
        Offering.objects.active_on(today)
        .filter(procedure=procedure, offered=True, online_level__gte=item.target_level)
        .filter(
            Q(agency=agency)
            | (Q(agency__isnull=True, tier=agency.tier) if agency.tier != Tier.PROVINCE else Q(pk=None))
        )
        .exists()
    )
    if offered:
        stage = "offered"
    first = DossierFact.objects.filter(
        agency=agency, procedure=procedure, channel__in=["online_partial", "online_full"]
    ).aggregate(first=Min("received_on"))["first"]
    if offered and first:
        stage = "first_dossier"
    index = STAGE_INDEX[stage]
    if index >= STAGE_INDEX["offered"]:
        status, late = GREEN, False
    elif today > item.online_due or (today > item.process_due and index < STAGE_INDEX["approved"]):
        status, late = RED, True
    else:
        status, late = AMBER, False
    return {
        "annex": item.annex,
        "agency": agency.code,
        "agency_name": agency.name,
        "procedure": procedure.code,
        "procedure_name": procedure.name,
        "target_level": item.target_level,
        "process_due": item.process_due.isoformat(),
        "online_due": item.online_due.isoformat(),
        "stage": stage,
        "stage_label": str(dict(STAGES)[stage]),
        "first_online_dossier": first.isoformat() if first else None,
        "status": status,
        "late": late,
    }


def plan_items(*, plan: Plan, scope: Scope, today: datetime.date) -> list[dict]:
    items = plan.items.select_related("agency", "procedure")
    if scope.agencies is not None:
        q = Q(pk__in=[])
        for agency in scope.agencies:
            q |= Q(agency__path__startswith=agency.path)
        items = items.filter(q)
    rows = [item_stage(item, today=today) for item in items]
    rows.sort(key=lambda r: (not r["late"], r["annex"], r["agency"], r["procedure"]))
    return rows


def current_plan() -> Plan | None:
    return Plan.objects.order_by("-signed_on").first()


def plan_by_number(number: str | None) -> Plan:
    plan = Plan.objects.filter(number=number).first() if number else current_plan()
    if plan is None:
        raise NotFoundError(_("Không có kế hoạch «%(n)s».") % {"n": number or ""}, code="plan_not_found")
    return plan

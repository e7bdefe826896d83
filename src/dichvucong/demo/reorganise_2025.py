"""The 2025 reorganisation of the demo province (`manage.py demo_reorganise_2025`): one plan built from
`data/hung_yen_2025.py`, effective on the given day (today by default), approved and applied through
`dichvucong.reorg` like any plan — so the demo's open dossiers, officers and offerings are carried over."""

import datetime

from django.utils import timezone

from dichvucong.reorg.models import Plan, PlanStatus
from dichvucong.reorg.services import plan_apply, plan_approve, plan_create

from .data import hung_yen_2025 as hy2025

DEMO_ACTOR = "demo-loader"


def reorganisation_plan(effective_on: datetime.date | None = None) -> Plan:
    """The demo's 2025 plan: the one already recorded (whatever its state), else a new draft."""
    existing = Plan.objects.filter(title=hy2025.TITLE).order_by("-pk").first()
    if existing is not None:
        return existing
    return plan_create(
        actor=DEMO_ACTOR,
        title=hy2025.TITLE,
        legal_basis=hy2025.LEGAL_BASIS,
        effective_on=effective_on or timezone.localdate(),
        operations=hy2025.plan_operations(),
    )


def reorganise_2025(effective_on: datetime.date | None = None) -> tuple[Plan, dict | None]:
    """Approve and apply the plan (resuming it if it stopped half-way); `(plan, None)` when it was applied before."""
    plan = reorganisation_plan(effective_on)
    if plan.status == PlanStatus.APPLIED:
        return plan, None
    if plan.status == PlanStatus.DRAFT:
        plan = plan_approve(actor=DEMO_ACTOR, plan=plan)
    summary = plan_apply(actor=DEMO_ACTOR, plan=plan, today=max(plan.effective_on, timezone.localdate()))
    return Plan.objects.get(pk=plan.pk), summary

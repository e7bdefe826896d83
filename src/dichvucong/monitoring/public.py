"""The public statistics (no login): the province's headline figures this year and the plan's targets."""

import datetime

from django.utils import timezone

from .access import Scope
from .reports import dossier_report, procedure_report
from .targets import current_plan, plan_summary

PROVINCE = Scope(agencies=None, province_wide=True)


def public_statistics(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    start = today.replace(month=1, day=1)
    dossiers = dossier_report(scope=PROVINCE, start=start, end=today, group_by="tier")
    procedures = procedure_report(scope=PROVINCE, as_of=today, group_by="tier")
    plan = current_plan()
    keep = (
        "received_total",
        "received_online",
        "received_national_portal",
        "resolved_total",
        "in_progress_total",
        "share_online",
        "share_on_time",
    )
    return {
        "from": start.isoformat(),
        "to": today.isoformat(),
        "dossiers": {k: dossiers.totals[k] for k in keep},
        "dossiers_by_tier": [{"key": r["key"], "label": r["label"], **{k: r[k] for k in keep}} for r in dossiers.rows],
        "procedures": {k: procedures.totals[k] for k in ("total", "level_3", "level_4", "share_level_4")},
        "procedures_by_tier": [
            {
                "key": r["key"],
                "label": r["label"],
                "total": r["total"],
                "level_4": r["level_4"],
                "share_level_4": r["share_level_4"],
            }
            for r in procedures.rows
        ],
        "plan": plan_summary(plan) if plan else None,
    }

"""Where dossiers wait (issue 13 item 6): for each process step, agency and month, how long a dossier spends there
(median and 90th percentile, in hours, of the work items completed that month) and how many wait there now.

Read from the workflows' work items completed in the period (indexed by `completed_at`) — one row per dossier and
step, not a rollup: percentiles cannot be added up. PostgreSQL computes them (`percentile_cont`); other databases
in Python."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone

from dichvucong.agencies.models import Agency
from dichvucong.workflows.run_models import WorkItem

from .access import Scope
from .reports import scope_agency_ids

_PG = """
SELECT s.name, i.agency_id, date_trunc('month', i.completed_at AT TIME ZONE %s)::date AS month, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM i.completed_at - i.started_at)) / 3600,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM i.completed_at - i.started_at)) / 3600
FROM workflows_workitem i JOIN workflows_processstep s ON s.id = i.step_id
WHERE i.completed_at >= %s AND i.completed_at < %s {agency}
GROUP BY s.name, i.agency_id, 3
"""


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def step_waits(*, scope: Scope, start: datetime.date, end: datetime.date) -> dict:
    agency_ids = scope_agency_ids(scope)
    tz = timezone.get_current_timezone()
    lower = datetime.datetime.combine(start, datetime.time(0), tz)
    upper = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(0), tz)
    rows = []
    if connection.vendor == "postgresql":
        agency_sql = "AND i.agency_id = ANY(%s)" if agency_ids is not None else ""
        params = [str(tz), lower, upper] + ([agency_ids] if agency_ids is not None else [])
        with connection.cursor() as cursor:
            cursor.execute(_PG.format(agency=agency_sql), params)
            rows = [(name, a, m, n, float(med), float(p90)) for name, a, m, n, med, p90 in cursor.fetchall()]
    else:
        qs = WorkItem.objects.filter(completed_at__gte=lower, completed_at__lt=upper)
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=agency_ids)
        groups = defaultdict(list)
        for name, agency_id, started, completed in qs.values_list(
            "step__name", "agency_id", "started_at", "completed_at"
        ):
            month = timezone.localtime(completed).date().replace(day=1)
            groups[(name, agency_id, month)].append((completed - started).total_seconds() / 3600)
        rows = [(name, a, m, len(v), statistics.median(v), _percentile(v, 0.9)) for (name, a, m), v in groups.items()]
    waiting = WorkItem.objects.filter(completed_at__isnull=True)
    if agency_ids is not None:
        waiting = waiting.filter(agency_id__in=agency_ids)
    now = timezone.now()
    waiting_rows = list(
        waiting.values("step__name", "agency_id")
        .annotate(n=Count("pk"), oldest=Min("started_at"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by()
    )
    names = dict(
        Agency.objects.filter(pk__in={r[1] for r in rows} | {r["agency_id"] for r in waiting_rows}).values_list(
            "pk", "name"
        )
    )
    steps = [
        {
            "step": name,
            "agency": names.get(a, ""),
            "month": m.isoformat()[:7],
            "completed": n,
            "median_hours": round(med, 2),
            "p90_hours": round(p90, 2),
        }
        for name, a, m, n, med, p90 in rows
    ]
    steps.sort(key=lambda r: (r["month"], r["agency"], r["step"]))
    now_rows = [
        {
            "step": r["step__name"],
            "agency": names.get(r["agency_id"], ""),
            "waiting": r["n"],
            "overdue": r["overdue"],
            "oldest_hours": round((now - r["oldest"]).total_seconds() / 3600, 2),
        }
        for r in waiting_rows
    ]
    now_rows.sort(key=lambda r: -r["waiting"])
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "steps": steps,
        "waiting_now": now_rows,
        "slowest": sorted(steps, key=lambda r: -r["p90_hours"])[:10],
    }

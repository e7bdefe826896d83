"""Pages: the staff dashboard (`/bao-cao/`), the dossiers behind a figure (`/bao-cao/ho-so/`) and the public
statistics (`/thong-ke/`, no login). Charts are server-drawn SVG (no script, no CDN), each with its table."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from dichvucong.common.errors import DomainError
from dichvucong.dossiers.models import Dossier

from . import reports
from .access import report_scope
from .public import public_statistics
from .targets import current_plan, plan_targets
from .waits import step_waits

MEASURE_LINKS = (
    "received_total",
    "received_online",
    "received_national_portal",
    "resolved_total",
    "resolved_late",
    "in_progress_total",
    "in_progress_late",
    "paid_online",
    "paid_desk",
)


def bars(rows, value_key: str, *, label_key: str = "label", target=None) -> dict:
    """A horizontal bar chart's geometry (percent values 0-100)."""
    items = []
    for index, row in enumerate(rows):
        value = row.get(value_key)
        items.append(
            {"label": row[label_key], "value": value, "width": max(0.0, min(100.0, value or 0)), "y": index * 28}
        )
    return {"items": items, "height": max(28, 28 * len(items)), "target": target}


def _params(request):
    q = request.GET
    return {k: q.get(k, "") for k in ("from", "to", "agency", "group_by", "organised") if q.get(k)}


@login_required
def dashboard(request):
    params = _params(request)
    try:
        scope = report_scope(request.user, params.get("agency"))
        start, end = reports.parse_period(params.get("from"), params.get("to"))
        group_by = reports.parse_choice(
            params.get("group_by"), reports.DOSSIER_GROUPS, field="group_by", default="agency"
        )
        report = reports.dossier_report(scope=scope, start=start, end=end, group_by=group_by)
        by_month = reports.dossier_report(scope=scope, start=start, end=end, group_by="month")
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.detail) from None
        return render(
            request, "monitoring/dashboard.html", {"error": exc.detail, "params": params}, status=exc.status_code
        )
    base = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        **({"agency": params["agency"]} if params.get("agency") else {}),
    }
    for row in report.rows:
        row["links"] = {
            m: "?".join(["/bao-cao/ho-so/", urlencode({**base, "measure": m, "group_by": group_by, "key": row["key"]})])
            for m in MEASURE_LINKS
        }
    backlog = reports.backlog_by_age(scope)
    total_open = sum(b["total"] for b in backlog)
    plan = current_plan()
    target_online = None
    targets = None
    if plan is not None:
        targets = plan_targets(plan=plan, scope=scope)
        target_online = next((t["target"] for t in targets["targets"] if t["kind"] == "online_dossier_share"), None)
    context = {
        "params": {**base, "group_by": group_by},
        "report": report,
        "by_month": by_month,
        "groups": reports.DOSSIER_GROUPS,
        "on_time_chart": bars(report.rows, "share_on_time"),
        "online_chart": bars(by_month.rows, "share_online", target=target_online),
        "targets": targets,
        "waits": step_waits(scope=scope, start=start, end=end),
        "backlog": backlog,
        "backlog_chart": bars(
            [
                {"label": b["label"], "share": round(100 * b["total"] / total_open, 2) if total_open else 0}
                for b in backlog
            ],
            "share",
        ),
        "export_query": urlencode({**base, "group_by": group_by, "format": "xlsx"}),
        "pdf_query": urlencode({**base, "group_by": group_by, "format": "pdf"}),
        "measure_labels": MEASURE_LINKS,
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def figure_list(request):
    q = request.GET
    try:
        scope = report_scope(request.user, q.get("agency"))
        start, end = reports.parse_period(q.get("from"), q.get("to"))
        ids = reports.figure_dossier_ids(
            scope=scope,
            start=start,
            end=end,
            measure=q.get("measure", ""),
            group_by=q.get("group_by") or None,
            key=q.get("key"),
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.detail) from None
        return render(request, "monitoring/figure_list.html", {"error": exc.detail}, status=exc.status_code)
    qs = Dossier.objects.visible_to(request.user).filter(pk__in=ids).select_related("procedure", "agency")
    page = Paginator(qs.order_by("-received_at", "-pk"), 50).get_page(q.get("page"))
    return render(
        request, "monitoring/figure_list.html", {"page": page, "measure": q.get("measure"), "start": start, "end": end}
    )


def public(request):
    data = public_statistics(timezone.localdate())
    return render(
        request,
        "monitoring/public.html",
        {
            "data": data,
            "online_chart": bars(data["dossiers_by_tier"], "share_online"),
            "level4_chart": bars(data["procedures_by_tier"], "share_level_4"),
        },
    )

"""Pages: the staff dashboard (`/bao-cao/`), the dossiers behind a figure (`/bao-cao/ho-so/`) and the public
statistics (`/thong-ke/`, no login). Charts are server-drawn SVG (no script, no CDN), each with its table."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import is_province_wide, user_agencies, user_has_role
from dichvucong.agencies.models import Agency
from dichvucong.common.errors import DomainError, ValidationFailed
from dichvucong.common.pagination import CappedPaginator
from dichvucong.dossiers.models import Dossier

from . import monthly, reports, services
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
        "period_query": urlencode(base),
        "procedures_query": urlencode(
            {"as_of": end.isoformat(), **({"agency": params["agency"]} if params.get("agency") else {})}
        ),
        "plan_query": (
            urlencode({"plan": plan.number, **({"agency": params["agency"]} if params.get("agency") else {})}) + "&"
            if plan is not None
            else ""
        ),
        "province_wide": scope.province_wide,
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
    page = CappedPaginator(qs.order_by("-received_at", "-pk"), 50).get_page(q.get("page"))
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


# --- the monthly reporting cycle (pages over monitoring.services / monitoring.monthly) ---------------------------------


def _refused(exc):
    """A domain refusal on a page: 403 → Django's PermissionDenied (the 403 page); else (status, message)."""
    if exc.status_code == 403:
        raise PermissionDenied(exc.detail) from None
    return exc.status_code, exc.detail


@login_required
def monthly_list(request):
    """An agency's monthly reports (the monitor: every agency's) and the form that generates this month's draft."""
    try:
        visible = monthly.reports_visible_to(request.user)
    except DomainError as exc:
        _refused(exc)
    own = user_agencies(request.user)
    may_generate = [a for a in own if services.may_report(request.user, a)]
    if is_province_wide(request.user):
        may_generate = list(Agency.objects.filter(monthly.REPORTING).active_on(timezone.localdate()).order_by("code"))
    status, error = 200, None
    if request.method == "POST":
        try:
            scope = report_scope(request.user, request.POST.get("agency") or None)
            if not scope.agencies or len(scope.agencies) != 1:
                raise ValidationFailed(_("Cần chọn một cơ quan."), code="agency_required")
            report = services.monthly_report_generate(
                actor=request.user, agency=scope.agencies[0], month=request.POST.get("month") or ""
            )
        except DomainError as exc:
            status, error = _refused(exc)
        else:
            messages.success(request, _("Đã lập dự thảo báo cáo tháng; hãy kiểm tra, nhận xét rồi gửi."))
            return redirect("monitoring:monthly-detail", uuid=report.uuid)
    month = request.GET.get("month")
    if month:
        try:
            visible = visible.filter(month=services.month_start(month))
        except DomainError as exc:
            status, error = _refused(exc)
    page = CappedPaginator(visible, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/monthly_list.html",
        {
            "page": page,
            "error": error,
            "agencies": may_generate,
            "month": timezone.localdate().isoformat()[:7],
            "province_wide": is_province_wide(request.user),
            "posted": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
def monthly_detail(request, uuid):
    """One report: its frozen figures, the note, submit (agency_admin), its versions, PDF and Excel."""
    try:
        report = monthly.report_get_for(request.user, uuid)
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404(exc.detail) from None
        _refused(exc)
    status, error = 200, None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "annotate":
                services.monthly_report_annotate(actor=request.user, report=report, note=request.POST.get("note", ""))
                done = _("Đã lưu nhận xét.")
            elif action == "submit":
                services.monthly_report_submit(actor=request.user, report=report)
                done = _("Đã gửi báo cáo; số liệu đã được chốt.")
            else:
                raise ValidationFailed(_("Thao tác không hợp lệ."), code="invalid_action")
        except DomainError as exc:
            status, error = _refused(exc)
            report.refresh_from_db()
        else:
            messages.success(request, done)
            return redirect("monitoring:monthly-detail", uuid=report.uuid)
    versions = monthly.reports_visible_to(request.user).filter(agency=report.agency, month=report.month)
    deadline = report.month.replace(day=services.SUBMIT_BEFORE_DAY)
    return render(
        request,
        "monitoring/monthly_detail.html",
        {
            "report": report,
            "error": error,
            "versions": versions.order_by("-version"),
            "dossiers": report.data.get("dossiers", {}),
            "by_procedure": report.data.get("dossiers_by_procedure", {}),
            "procedures": report.data.get("procedures", {}),
            "may_annotate": report.status == "draft" and services.may_report(request.user, report.agency),
            "may_submit": report.status == "draft"
            and user_has_role(request.user, Role.AGENCY_ADMIN, agency=report.agency),
            "deadline": deadline,
            "late_now": timezone.localdate() >= deadline,
        },
        status=status,
    )


@login_required
def monthly_province(request):
    """The monitor's month: who submitted (late ones marked), who has not, the province's totals; downloads."""
    try:
        if not report_scope(request.user).province_wide:
            raise PermissionDenied(_("Chỉ Tổ công tác và Văn phòng UBND tỉnh tổng hợp báo cáo tỉnh."))
        month = services.month_start(request.GET.get("month") or timezone.localdate().isoformat()[:7])
    except DomainError as exc:
        status, error = _refused(exc)
        return render(request, "monitoring/monthly_province.html", {"error": error}, status=status)
    data = monthly.province_month(month)
    return render(
        request,
        "monitoring/monthly_province.html",
        {"data": data, "month": data["month"], "chart": bars(data["rows"], "share_on_time")},
    )

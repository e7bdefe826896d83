"""Reads of the monthly reporting cycle: an agency's reports, who has not submitted, the province's consolidation."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Q

from dichvucong.accounts.selectors import is_province_wide, user_agencies
from dichvucong.agencies.models import Agency, AgencyKind, Tier
from dichvucong.common.errors import NotFoundError, PermissionDeniedError

from .models import MonthlyReport
from .reports import DOSSIER_FIELDS

#: Who reports to the province (Plan 111 V.7): the departments and the district People's Committees.
REPORTING = Q(tier=Tier.PROVINCE, kind=AgencyKind.DEPARTMENT) | Q(tier=Tier.DISTRICT)


def reports_visible_to(user):
    qs = MonthlyReport.objects.select_related("agency", "submitted_by")
    if is_province_wide(user):
        return qs
    agencies = user_agencies(user)
    if not agencies:
        raise PermissionDeniedError("Chỉ cán bộ cơ quan và Tổ công tác xem báo cáo tháng.", code="report_forbidden")
    q = Q(pk__in=[])
    for agency in agencies:
        q |= Q(agency__path__startswith=agency.path)
    return qs.filter(q)


def report_get_for(user, uuid) -> MonthlyReport:
    report = reports_visible_to(user).filter(uuid=uuid).first()
    if report is None:
        raise NotFoundError("Không tìm thấy báo cáo.", code="report_not_found")
    return report


def province_month(month: datetime.date) -> dict:
    """The latest submitted version of each reporting agency's report for `month` (frozen figures), who has not
    submitted, and the province's totals summed from the submitted reports."""
    submitted = {}
    for report in MonthlyReport.objects.filter(month=month, status=MonthlyReport.Status.SUBMITTED).order_by(
        "agency_id", "-version"
    ):
        submitted.setdefault(report.agency_id, report)
    rows, missing, totals = [], [], Counter()
    for agency in Agency.objects.filter(REPORTING).active_on(month).order_by("code"):
        report = submitted.get(agency.pk)
        if report is None:
            missing.append({"agency": agency.code, "label": agency.name})
            continue
        figures = report.data["dossiers"]["totals"]
        rows.append(
            {
                "key": agency.code,
                "label": agency.name,
                "version": report.version,
                "late": report.late,
                "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
                **{k: figures.get(k) for k in DOSSIER_FIELDS},
            }
        )
        totals.update({k: figures.get(k) or 0 for k in DOSSIER_FIELDS if not k.startswith("share_")})
    total_row = {k: totals.get(k, 0) for k in DOSSIER_FIELDS if not k.startswith("share_")}
    total_row["share_online"] = (
        round(100 * total_row["received_online"] / total_row["received_total"], 2)
        if total_row["received_total"]
        else None
    )
    resolved = total_row["resolved_total"]
    total_row["share_on_time"] = (
        round(100 * (total_row["resolved_early"] + total_row["resolved_on_time"]) / resolved, 2) if resolved else None
    )
    paid = total_row["paid_online"] + total_row["paid_desk"]
    total_row["share_paid_online"] = round(100 * total_row["paid_online"] / paid, 2) if paid else None
    return {
        "month": month.isoformat()[:7],
        "rows": rows,
        "missing": missing,
        "totals": {"key": "total", "label": "Tổng cộng", **total_row},
    }

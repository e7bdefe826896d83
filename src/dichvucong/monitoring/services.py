"""Writes of the monitoring context: the plan register and the monthly reporting cycle (one audit row per change)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import is_province_wide, user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from .access import Scope
from .models import MonthlyReport, Plan, PlanItem, PlanTarget, TargetKind
from .reports import dossier_report, month_end, procedure_report


def _bad(code, message, field):
    return ValidationFailed(message, code=code, fields={field: [message]})


@transaction.atomic
def plan_create(*, actor, number: str, title: str, signed_on, period_start, period_end) -> Plan:
    number = (number or "").strip()
    if not number:
        raise _bad("number_required", _("Cần số kế hoạch."), "number")
    if period_end < period_start:
        raise _bad("period_reversed", _("Ngày kết thúc phải sau ngày bắt đầu."), "period_end")
    if Plan.objects.filter(number=number).exists():
        raise ConflictError(_("Kế hoạch %(n)s đã có.") % {"n": number}, code="plan_exists")
    plan = Plan.objects.create(
        number=number, title=title, signed_on=signed_on, period_start=period_start, period_end=period_end
    )
    audit_record(actor=actor, action="plan.create", obj=plan, after={"number": number, "title": title})
    return plan


@transaction.atomic
def plan_target_add(*, actor, plan: Plan, kind: str, value, deadline, label: str, tier: str = "", order: int = 0):
    if kind not in TargetKind.values:
        raise _bad("invalid_kind", _("Loại chỉ tiêu không hợp lệ."), "kind")
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _bad("invalid_value", _("Giá trị chỉ tiêu không hợp lệ."), "value") from None
    target = PlanTarget.objects.create(
        plan=plan, kind=kind, value=value, deadline=deadline, label=label, tier=tier, order=order
    )
    audit_record(
        actor=actor, action="plan.target_add", obj=plan, after={"kind": kind, "value": str(value), "tier": tier}
    )
    return target


@transaction.atomic
def plan_item_add(*, actor, plan: Plan, annex: str, agency, procedure, process_due, online_due, target_level: int = 4):
    item, created = PlanItem.objects.get_or_create(
        plan=plan,
        agency=agency,
        procedure=procedure,
        defaults={
            "annex": annex,
            "process_due": process_due,
            "online_due": online_due,
            "target_level": target_level,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="plan.item_add",
            obj=plan,
            after={"annex": annex, "agency": agency.code, "procedure": procedure.code},
        )
    return item


# --- the monthly reporting cycle -----------------------------------------------------------------------------------

#: Plan 111 V.7: each agency reports monthly "before the 25th"; the figures are generated from the 20th.
GENERATE_FROM_DAY = 20
SUBMIT_BEFORE_DAY = 25


#: The earliest month a report can be asked for (the reports' own lower bound, `reports.EARLIEST`).
EARLIEST_MONTH = datetime.date(2000, 1, 1)


def month_start(value) -> datetime.date:
    """`YYYY-MM` (or a date) → the first day of that month; anything else, or a month before 2000 or after the
    current one, is refused (`invalid_month`, `month_out_of_range`)."""
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{4}-\d{2}", text):
            raise _bad("invalid_month", _("Tháng không hợp lệ (YYYY-MM)."), "month")
        try:
            value = datetime.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise _bad("invalid_month", _("Tháng không hợp lệ (YYYY-MM)."), "month") from None
    value = value.replace(day=1)
    if value < EARLIEST_MONTH or value > timezone.localdate().replace(day=1):
        raise _bad("month_out_of_range", _("Tháng báo cáo phải từ 01/2000 đến tháng hiện tại."), "month")
    return value


def may_report(actor, agency) -> bool:
    """The agency's admin or leader prepares (generates, annotates) its monthly report."""
    return user_has_role(actor, Role.AGENCY_ADMIN, agency=agency) or user_has_role(actor, Role.LEADER, agency=agency)


def monthly_report_data(*, agency, month: datetime.date) -> dict:
    """The agency's figures for the month (Phụ lục 01-03), computed now: what a report freezes."""
    scope = Scope(agencies=(agency,), province_wide=False)
    end = min(month_end(month), timezone.localdate())
    dossiers = dossier_report(scope=scope, start=month, end=end, group_by="agency")
    procedures = procedure_report(scope=scope, as_of=end, group_by="agency")
    by_procedure = dossier_report(scope=scope, start=month, end=end, group_by="procedure")
    return {
        "month": month.isoformat()[:7],
        "to": end.isoformat(),
        "agency": agency.code,
        "agency_name": agency.name,
        "dossiers": {"rows": dossiers.rows, "totals": dossiers.totals},
        "dossiers_by_procedure": {"rows": by_procedure.rows, "totals": by_procedure.totals},
        "procedures": {"rows": procedures.rows, "totals": procedures.totals},
    }


@transaction.atomic
def monthly_report_generate(*, actor, agency, month, today: datetime.date | None = None) -> MonthlyReport:
    """Generate (or regenerate, while a draft) the agency's report for `month`, from the 20th of that month."""
    today = today or timezone.localdate()
    month = month_start(month)
    if not (may_report(actor, agency) or is_province_wide(actor)):
        raise PermissionDeniedError(_("Chỉ quản trị hoặc lãnh đạo cơ quan lập báo cáo tháng."), code="report_forbidden")
    if today < month.replace(day=GENERATE_FROM_DAY):
        raise ConflictError(
            _("Báo cáo tháng %(m)s được lập từ ngày 20.") % {"m": month.strftime("%m/%Y")}, code="report_too_early"
        )
    latest = MonthlyReport.objects.select_for_update().filter(agency=agency, month=month).order_by("-version").first()
    data = monthly_report_data(agency=agency, month=month)
    if latest is not None and latest.status == MonthlyReport.Status.DRAFT:
        latest.data, latest.generated_at = data, timezone.now()
        latest.save(update_fields=["data", "generated_at", "updated_at"])
        audit_record(actor=actor, action="monthly_report.regenerate", obj=latest, after={"version": latest.version})
        return latest
    version = (latest.version + 1) if latest else 1
    report = MonthlyReport.objects.create(
        agency=agency, month=month, version=version, data=data, generated_at=timezone.now()
    )
    audit_record(actor=actor, action="monthly_report.generate", obj=report, after={"version": version})
    return report


def monthly_drafts_generate(*, today: datetime.date | None = None) -> int:
    """On and after the 20th (Celery beat, daily): the draft of this month's report of every reporting agency
    (departments and districts, `monthly.REPORTING`) that has none yet, generated from the data of that day, for
    its admin to review, annotate and submit before the 25th. Returns how many were generated; a report that
    exists (draft or submitted) is left as it is."""
    from dichvucong.agencies.models import Agency

    from .monthly import REPORTING

    today = today or timezone.localdate()
    if today.day < GENERATE_FROM_DAY:
        return 0
    month = today.replace(day=1)
    have = set(MonthlyReport.objects.filter(month=month).values_list("agency_id", flat=True))
    made = 0
    for agency in Agency.objects.filter(REPORTING).active_on(month).order_by("code"):
        if agency.pk in have:
            continue
        with transaction.atomic():
            if MonthlyReport.objects.select_for_update().filter(agency=agency, month=month).exists():
                continue
            report = MonthlyReport.objects.create(
                agency=agency,
                month=month,
                version=1,
                data=monthly_report_data(agency=agency, month=month),
                generated_at=timezone.now(),
            )
            audit_record(actor="system", action="monthly_report.generate", obj=report, after={"version": 1})
        made += 1
    return made


@transaction.atomic
def monthly_report_annotate(*, actor, report: MonthlyReport, note: str) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if not may_report(actor, report.agency):
        raise PermissionDeniedError(_("Chỉ quản trị hoặc lãnh đạo cơ quan nhận xét báo cáo."), code="report_forbidden")
    if report.status != MonthlyReport.Status.DRAFT:
        raise ConflictError(_("Báo cáo đã gửi không sửa được; hãy lập phiên bản mới."), code="report_frozen")
    before = report.note
    report.note = (note or "").replace("\x00", "").strip()[:5000]
    report.save(update_fields=["note", "updated_at"])
    audit_record(
        actor=actor, action="monthly_report.annotate", obj=report, before={"note": before}, after={"note": report.note}
    )
    return report


@transaction.atomic
def monthly_report_submit(*, actor, report: MonthlyReport, today: datetime.date | None = None) -> MonthlyReport:
    """The agency_admin submits the draft: its figures are frozen; after the 24th it is marked late. A submitted
    version cannot be submitted again (409 `report_already_submitted`): generate a new version to resubmit."""
    today = today or timezone.localdate()
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if not user_has_role(actor, Role.AGENCY_ADMIN, agency=report.agency):
        raise PermissionDeniedError(_("Chỉ quản trị cơ quan gửi báo cáo tháng."), code="report_forbidden")
    if report.status == MonthlyReport.Status.SUBMITTED:
        raise ConflictError(_("Báo cáo tháng này đã gửi."), code="report_already_submitted")
    deadline = report.month.replace(day=SUBMIT_BEFORE_DAY)
    report.status = MonthlyReport.Status.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.late = today >= deadline
    report.save(update_fields=["status", "submitted_at", "submitted_by", "late", "updated_at"])
    audit_record(
        actor=actor, action="monthly_report.submit", obj=report, after={"version": report.version, "late": report.late}
    )
    return report

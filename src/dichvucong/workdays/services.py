"""Writes to the table of yearly calendar decisions, each with an audit row.

The cached calendar is rebuilt by the signals of `signals.py` (also for admin and shell edits)."""

import datetime

from django.db import transaction

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, ValidationFailed

from .models import CalendarDecision, CalendarException, DayKind


def decision_snapshot(decision: CalendarDecision) -> dict:
    return {
        "number": decision.number,
        "issuer": decision.issuer,
        "issued_on": decision.issued_on,
        "title": decision.title,
        "exceptions": [exception_snapshot(row) for row in decision.exceptions.order_by("date")],
    }


def exception_snapshot(row: CalendarException) -> dict:
    return {"date": row.date, "kind": row.kind, "note": row.note, "decision": row.decision.number}


def _check_exception(*, date: datetime.date, kind: str) -> None:
    if kind not in DayKind.values:
        raise ValidationFailed(
            f"Loại ngày «{kind}» không hợp lệ (day_off, working_day).",
            code="workdays_invalid_kind",
            fields={"kind": ["Giá trị không hợp lệ."]},
        )
    if CalendarException.objects.filter(date=date).exists():
        raise ConflictError(
            f"Ngày {date:%d/%m/%Y} đã được điều chỉnh bởi một văn bản khác.",
            code="workdays_date_taken",
            fields={"date": ["Ngày đã có trong bảng."]},
        )


@transaction.atomic
def calendar_decision_create(
    *,
    actor,
    number: str,
    title: str,
    issuer: str = "",
    issued_on: datetime.date | None = None,
    days: list[dict] | tuple = (),
) -> CalendarDecision:
    """Record a decision and the dates it changes: `days` = [{"date", "kind", "note"}]."""
    if not number.strip() or not title.strip():
        raise ValidationFailed("Cần số, ký hiệu và trích yếu của văn bản.", code="workdays_decision_incomplete")
    dates = [day["date"] for day in days]
    if len(set(dates)) != len(dates):
        raise ValidationFailed("Một ngày xuất hiện hai lần trong văn bản.", code="workdays_duplicate_date")
    decision = CalendarDecision.objects.create(
        number=number.strip(), title=title.strip(), issuer=issuer, issued_on=issued_on
    )
    for day in days:
        _check_exception(date=day["date"], kind=day["kind"])
        CalendarException.objects.create(
            decision=decision, date=day["date"], kind=day["kind"], note=day.get("note", "")
        )
    audit_record(actor=actor, action="calendar_decision.create", obj=decision, after=decision_snapshot(decision))
    return decision


@transaction.atomic
def calendar_exception_add(
    *, actor, decision: CalendarDecision, date: datetime.date, kind: str, note: str = ""
) -> CalendarException:
    _check_exception(date=date, kind=kind)
    row = CalendarException.objects.create(decision=decision, date=date, kind=kind, note=note)
    audit_record(actor=actor, action="calendar_exception.add", obj=row, after=exception_snapshot(row))
    return row


@transaction.atomic
def calendar_exception_remove(*, actor, exception: CalendarException) -> None:
    before = exception_snapshot(exception)
    audit_record(actor=actor, action="calendar_exception.remove", obj=exception, before=before)
    exception.delete()


@transaction.atomic
def calendar_decision_delete(*, actor, decision: CalendarDecision) -> None:
    """Withdraw a decision (e.g. entered by mistake) with all its dates."""
    audit_record(actor=actor, action="calendar_decision.delete", obj=decision, before=decision_snapshot(decision))
    decision.delete()

"""Deadlines of a dossier, computed by the `workdays` engine (one working-day calendar for the whole system).

- Received time: an online dossier submitted after the daily cut-off, or on a day off, counts as received the
  next working day (`workdays.calendar.effective_received_at`); a counter dossier is received when registered.
- Due date (ngày hẹn trả): N working days (the procedure's statutory time) after the acceptance of the complete
  dossier (`deadline_start`: never before the received time; an online dossier accepted after the daily cut-off
  counts from the next working day), the time the dossier waited for the applicant's supplement excluded
  (Decree 61/2018 art. 19; TT 01/2018 Mẫu 01, 02).
- Timeliness at return: early / on time / late against the due date (QĐ 766/QĐ-TTg: a dossier whose
  supplement was requested more than once counts as late): the one rule of `workdays.timeliness`.
"""

import datetime
import math

from django.utils import timezone

from dichvucong.workdays import calendar
from dichvucong.workdays import deadlines as workday_deadlines
from dichvucong.workdays.office_hours import office_hours
from dichvucong.workdays.timeliness import timeliness


def _calendar():
    return calendar


def _deadlines():
    return workday_deadlines


def office_close() -> datetime.time:
    """The closing time of the configured office hours (`WORKDAY_OFFICE_HOURS`, 17:00 by default)."""
    return office_hours().closing


def as_due_datetime(value) -> datetime.datetime:
    """The engine may answer a date (a legal deadline) or a datetime; a date means the end of that office day
    (the configured closing time, so that a printed appointment is never after the desk closes)."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.datetime.combine(value, office_close()))


def effective_received_at(submitted_at: datetime.datetime) -> datetime.datetime:
    return as_due_datetime(_calendar().effective_received_at(submitted_at))


def legal_time(dossier, moment: datetime.datetime | None = None) -> datetime.datetime:
    """The legal time of an act on `dossier` done at `moment` (default now): never before the dossier's legal receipt
    time (docs/adr/0011-legal-receipt-time.md). An online dossier sent after the daily cut-off is received the next
    working day; an officer may still act on it that evening, but the act is dated and counted from the receipt (the
    forms, the result and the timeliness never show a date before the receipt they cite)."""
    moment = moment or timezone.now()
    received = dossier.received_at
    return max(moment, received) if received is not None else moment


def legal_date(dossier, moment: datetime.datetime | None = None) -> datetime.date:
    """The local date of `legal_time` (the date printed on a form or a result)."""
    return timezone.localtime(legal_time(dossier, moment)).date()


def deadline_start(dossier) -> datetime.datetime | None:
    """When the statutory time starts running: the acceptance (tiếp nhận hồ sơ hợp lệ), never before the received
    time. Online, the acceptance follows the rule of the online receipt (after the daily cut-off or on a day off it
    counts from the next working day); at the counter the dossier is accepted as the applicant stands there.
    Before acceptance (no `accepted_at`): the received time."""
    if dossier.received_at is None:
        return None
    if dossier.accepted_at is None:
        return dossier.received_at
    accepted = dossier.accepted_at
    if dossier.channel == "online" and accepted > dossier.received_at:
        # accepted later than the legal receipt: the acceptance follows the online receipt rule itself
        accepted = effective_received_at(accepted)
    return max(dossier.received_at, accepted)


def is_working_day(day: datetime.date) -> bool:
    return _calendar().is_working_day(day)


def pause_intervals(dossier) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Closed supplement intervals (requested → supplemented) of the dossier, in order."""
    return [
        (item.requested_at, item.supplemented_at)
        for item in dossier.supplement_requests.all()
        if item.supplemented_at is not None
    ]


def compute_due_at(
    *, received_at: datetime.datetime, processing_days, paused=(), processing_hours=None
) -> datetime.datetime:
    """The due moment from the start of the clock: working days, working hours (`processing_hours`), or "trong
    ngày" (0 days: morning → that afternoon, afternoon → next morning; `workdays.deadlines.due_moment`)."""
    days = processing_days if processing_days is not None else 0
    return as_due_datetime(_deadlines().due_moment(received_at, days=days, hours=processing_hours, paused=list(paused)))


#: Early / on time / late at return (`compute_timeliness(finished_at=..., due_at=..., supplement_count=...)`): against
#: the legal due date, the whole due day counting; more than one supplement request is late.
compute_timeliness = timeliness


def due_soon_limit(now: datetime.datetime | None = None) -> datetime.datetime:
    """A dossier is "due soon" when its due time falls before the end of the next working day."""
    now = now or timezone.now()
    next_day = _calendar().add_working_days(timezone.localtime(now).date(), 1)
    return as_due_datetime(next_day if not isinstance(next_day, datetime.datetime) else next_day.date())


def working_days_left(due_at: datetime.datetime, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    today, due = timezone.localtime(now).date(), timezone.localtime(due_at).date()
    if due <= today:
        return 0 if due == today else -_calendar().working_days_between(due, today)
    return _calendar().working_days_between(today, due)


def ceil_days(value) -> int:
    return int(math.ceil(float(value or 0)))

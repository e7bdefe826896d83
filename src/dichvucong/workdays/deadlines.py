"""Deadlines of dossiers, on top of the working-day calendar.

Decree 61/2018/NĐ-CP and Circular 01/2018/TT-VPCP: the processing time of a procedure is counted in working days
from the receipt of a complete, valid dossier; the time the applicant spends supplementing or completing the
dossier (after a Mẫu 02 request) is not counted. Early / on time / late against a deadline: `workdays.timeliness`.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from .calendar import add_working_time, same_day_due
from .office_hours import office_hours


def due_date(
    accepted_at: datetime.datetime,
    processing_days: int | Decimal,
    paused: Iterable[tuple[datetime.datetime, datetime.datetime]] = (),
) -> datetime.datetime:
    """The appointment (due) moment: `processing_days` working days of office time after `accepted_at`.

    `paused` are the closed intervals during which the clock is stopped (waiting for the applicant's supplement);
    they may overlap each other and lie partly outside office hours. Returns an aware local datetime; its `.date()`
    is the legal due date printed on the receipt (Mẫu 01). For an online dossier pass
    `effective_received_at(submitted_at)` as `accepted_at` so the daily cut-off applies.
    """
    return add_working_time(accepted_at, processing_days, paused=paused)


def due_moment(
    start: datetime.datetime,
    *,
    days: int | Decimal | None,
    hours: Decimal | None = None,
    paused: Iterable[tuple[datetime.datetime, datetime.datetime]] = (),
) -> datetime.datetime:
    """The due moment of a procedure whose time the catalogue gives in working days (`days`; 0 = "trong ngày") or in
    working hours (`hours`, which wins when set). Hours run over office time like days (a working day is the length
    of `WORKDAY_OFFICE_HOURS`) and may end at a session's end; "trong ngày" is `same_day_due`."""
    if hours:
        per_day = Decimal(office_hours().minutes_per_day) / 60
        return add_working_time(start, Decimal(str(hours)) / per_day, paused=paused, keep_session_end=True)
    if not days:
        return same_day_due(start, paused=paused)
    return due_date(start, days, paused=paused)

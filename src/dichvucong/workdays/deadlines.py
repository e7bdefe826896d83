"""Deadlines of dossiers, on top of the working-day calendar.

Decree 61/2018/NĐ-CP and Circular 01/2018/TT-VPCP: the processing time of a procedure is counted in working days
from the receipt of a complete, valid dossier; the time the applicant spends supplementing or completing the
dossier (after a Mẫu 02 request) is not counted. Decision 766/QĐ-TTg: a dossier is on time when it is finished no
later than the due date, early when finished before it.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from .calendar import add_working_time

EARLY, ON_TIME, LATE = "early", "on_time", "late"


def due_date(accepted_at: datetime.datetime, processing_days: int | Decimal,
             paused: Iterable[tuple[datetime.datetime, datetime.datetime]] = ()) -> datetime.datetime:
    """The appointment (due) moment: `processing_days` working days of office time after `accepted_at`.

    `paused` are the closed intervals during which the clock is stopped (waiting for the applicant's supplement);
    they may overlap each other and lie partly outside office hours. Returns an aware local datetime; its `.date()`
    is the legal due date printed on the receipt (Mẫu 01). For an online dossier pass
    `effective_received_at(submitted_at)` as `accepted_at` so the daily cut-off applies.
    """
    return add_working_time(accepted_at, processing_days, paused=paused)


def _local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def timeliness(finished_at: datetime.date | datetime.datetime, due_at: datetime.date | datetime.datetime) -> str:
    """"early" (finished before the due date), "on_time" (on the due date) or "late" (after it), by local dates."""
    finished, due = _local_date(finished_at), _local_date(due_at)
    if finished < due:
        return EARLY
    return ON_TIME if finished == due else LATE

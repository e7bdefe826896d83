"""Deadlines of dossiers, on top of the working-day calendar.

Decree 61/2018/NĐ-CP and Circular 01/2018/TT-VPCP: the processing time of a procedure is counted in working days
from the receipt of a complete, valid dossier; the time the applicant spends supplementing or completing the
dossier (after a Mẫu 02 request) is not counted. Early / on time / late against a deadline: `workdays.timeliness`.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from .calendar import add_working_time


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

"""Working days for change-request ages: the `workdays` context's calendar (the province's decisions included)."""

import datetime

from dichvucong.workdays.calendar import working_days_between as _calendar_between


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    return _calendar_between(start, end)

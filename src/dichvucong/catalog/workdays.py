"""Working days for change-request ages: the `workdays` context's calendar when present, else holidays.VN."""

import datetime

import holidays


def _fallback_is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in holidays.country_holidays("VN", years=day.year)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    try:
        from dichvucong.workdays.calendar import working_days_between as calendar_between
    except ImportError:
        calendar_between = None
    if calendar_between is not None:
        return calendar_between(start, end)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if _fallback_is_working_day(day):
            count += 1
    return count

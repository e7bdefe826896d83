"""The working-day calendar of state agencies: the one engine every deadline in the system goes through.

A day is a working day unless it is a Saturday or Sunday (40-hour week, Decision 188/1999/QĐ-TTg) or a public
holiday, with three layers, the later overriding the earlier:

1. statutory holidays of `holidays.VN` (Labour Code 2019 art. 112): 1/1, Tết Âm lịch (5 days, lunar), Hùng Kings'
   day (10/3 lunar), 30/4, 1/5, 2/9 plus an adjacent day, and from 2026 24/11 (Vietnam Culture Day, Politburo
   Resolution 80-NQ/TW); a holiday on a weekend moves to the next working day (nghỉ bù). `holidays` >= 0.80 knows
   24/11 (checked with 0.109 for 2021-2027); `_ensure_culture_day` adds it if an older version lacks it;
2. the day swaps the package knows (`weekend_workdays`: e.g. Saturday 4/5/2024 worked for Monday 29/4/2024);
3. `CalendarException` rows entered from the yearly government decisions (admin table).

Each year's calendar is built once per process and cached; a version token in the Django cache (shared between
processes when Redis is configured) is renewed whenever a decision row changes, which rebuilds the years.

Public functions (other apps import exactly these): `is_working_day`, `add_working_days`, `add_working_time`,
`working_days_between`, `effective_received_at`, `non_working_days`, `working_weekend_days`,
`invalidate_calendar_cache`.
"""

import datetime
import math
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import holidays
from django.core.cache import cache
from django.utils import timezone

from dichvucong.common.errors import ValidationFailed

from .office_hours import office_hours

MIN_YEAR, MAX_YEAR = 1995, 2100
_MAX_SCAN_DAYS = 3 * 366  # no real calendar has a year without working days; stop instead of looping forever
_VERSION_KEY = "workdays:calendar-version"
CULTURE_DAY_SINCE = 2026
CULTURE_DAY_NAME = "Ngày Văn hóa Việt Nam"


@dataclass(frozen=True)
class DayInfo:
    """Why a day is special: `source` is "statutory" (holidays.VN) or "decision" (admin table)."""

    date: datetime.date
    reason: str
    source: str
    decision: str = ""


@dataclass
class YearCalendar:
    year: int
    days_off: dict[datetime.date, DayInfo] = field(default_factory=dict)  # includes holidays falling on weekends
    working_weekends: dict[datetime.date, DayInfo] = field(default_factory=dict)

    def is_working(self, day: datetime.date) -> bool:
        if day in self.days_off:
            return False
        if day in self.working_weekends:
            return True
        return day.weekday() < 5


# --- building and caching one year ---------------------------------------------------------------------------------


def _ensure_culture_day(year: int, days_off: dict) -> None:
    """24/11 is a paid holiday from 2026 (Resolution 80-NQ/TW, Labour Code amendment); add it if the package lacks it."""
    culture_day = datetime.date(year, 11, 24)
    if year >= CULTURE_DAY_SINCE and culture_day not in days_off:
        days_off[culture_day] = DayInfo(culture_day, CULTURE_DAY_NAME, "statutory")


def _make_up_reason(day: datetime.date, statutory: dict[datetime.date, str]) -> str:
    marker = day.strftime("%d/%m/%Y")
    for off_day, name in statutory.items():
        if marker in name:
            return f"Làm việc bù cho ngày nghỉ {off_day:%d/%m/%Y}"
    return "Ngày làm việc bù"


def _build_year(year: int) -> YearCalendar:
    from .models import CalendarException, DayKind

    statutory = holidays.VN(years=(year - 1, year, year + 1), language="vi")
    calendar = YearCalendar(year=year)
    for day, name in sorted(statutory.items()):
        if day.year == year:
            calendar.days_off[day] = DayInfo(day, name, "statutory")
    _ensure_culture_day(year, calendar.days_off)
    for day in sorted(statutory.weekend_workdays):
        if day.year == year and day.weekday() >= 5 and day not in calendar.days_off:
            calendar.working_weekends[day] = DayInfo(day, _make_up_reason(day, dict(statutory)), "statutory")
    for row in CalendarException.objects.filter(date__year=year).select_related("decision"):
        if row.kind == DayKind.DAY_OFF:
            calendar.working_weekends.pop(row.date, None)
            calendar.days_off[row.date] = DayInfo(
                row.date, row.note or "Ngày nghỉ theo quyết định", "decision", row.decision.number
            )
        else:
            calendar.days_off.pop(row.date, None)
            if row.date.weekday() >= 5:
                calendar.working_weekends[row.date] = DayInfo(
                    row.date, row.note or "Ngày làm việc bù", "decision", row.decision.number
                )
    return calendar


_years: dict[int, tuple[str, YearCalendar]] = {}
_years_lock = threading.Lock()


def _current_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(_VERSION_KEY) or "uncached"
    return version


def invalidate_calendar_cache() -> None:
    """Forget every built year, in this process and (through the shared cache) in the others."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    with _years_lock:
        _years.clear()


class _Snapshot:
    """The calendar as of one version token: read the token once per public call, not once per day."""

    def __init__(self) -> None:
        self.version = _current_version()

    def year(self, year: int) -> YearCalendar:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationFailed(
                f"Năm {year} nằm ngoài phạm vi lịch ({MIN_YEAR}-{MAX_YEAR}).", code="workdays_year_out_of_range"
            )
        cached = _years.get(year)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        built = _build_year(year)
        with _years_lock:
            _years[year] = (self.version, built)
        return built

    def is_working(self, day: datetime.date) -> bool:
        return self.year(day.year).is_working(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        for _ in range(_MAX_SCAN_DAYS):
            day += datetime.timedelta(days=1)
            if self.is_working(day):
                return day
        raise ValidationFailed("Không tìm thấy ngày làm việc nào trong lịch.", code="workdays_no_working_day")


# --- argument checks -----------------------------------------------------------------------------------------------


def _as_days(days) -> Decimal:
    try:
        value = Decimal(str(days))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(f"Số ngày «{days}» không hợp lệ.", code="workdays_invalid_days") from exc
    if not value.is_finite() or value < 0:
        raise ValidationFailed("Số ngày làm việc phải là số không âm.", code="workdays_invalid_days")
    return value


def _local(moment: datetime.datetime) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime) or timezone.is_naive(moment):
        raise ValidationFailed("Thời điểm phải có múi giờ (Asia/Ho_Chi_Minh).", code="workdays_naive_datetime")
    return timezone.localtime(moment)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


# --- whole days ----------------------------------------------------------------------------------------------------


def is_working_day(day: datetime.date) -> bool:
    """True if state agencies work on `day` (a date, or an aware datetime taken in local time)."""
    if isinstance(day, datetime.datetime):
        day = _local(day).date()
    return _Snapshot().is_working(day)


def add_working_days(start: datetime.date, days: int | Decimal) -> datetime.date:
    """The `days`-th working day after `start` (`start` itself does not count, whether working or not).

    0 returns `start`. A fractional number is rounded up at date granularity (0.5 → the next working day): use
    `add_working_time` to count half days within office hours.
    """
    whole = math.ceil(_as_days(days))
    snapshot = _Snapshot()
    day = start
    for _ in range(whole):
        day = snapshot.next_working_day(day)
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: so that `working_days_between(d, add_working_days(d, n)) == n`.

    Negative when `end` is before `start`.
    """
    if end < start:
        return -working_days_between(end, start)
    snapshot = _Snapshot()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += snapshot.is_working(day)
    return count


def non_working_days(year: int) -> dict[datetime.date, DayInfo]:
    """Weekdays (Monday-Friday) of `year` on which agencies do not work, with the reason, in date order."""
    calendar = _Snapshot().year(year)
    return {day: info for day, info in sorted(calendar.days_off.items()) if day.weekday() < 5}


def working_weekend_days(year: int) -> dict[datetime.date, DayInfo]:
    """Saturdays and Sundays of `year` on which agencies work (make-up days), with the reason, in date order."""
    return dict(sorted(_Snapshot().year(year).working_weekends.items()))


# --- office time -----------------------------------------------------------------------------------------------------


def _office_intervals(
    snapshot: _Snapshot, moment: datetime.datetime
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Office-time intervals from `moment` on: the sessions of each working day, the first one clipped."""
    hours = office_hours()
    day = moment.date()
    for _ in range(_MAX_SCAN_DAYS * 2):
        if snapshot.is_working(day):
            for start_time, end_time in hours.sessions:
                start, end = _at(day, start_time), _at(day, end_time)
                if end > moment:
                    yield max(start, moment), end
        day += datetime.timedelta(days=1)
    raise ValidationFailed("Không tìm thấy ngày làm việc nào trong lịch.", code="workdays_no_working_day")


def _merge_pauses(paused: Iterable[tuple[datetime.datetime, datetime.datetime]]):
    intervals = []
    for start, end in paused:
        start, end = _local(start), _local(end)
        if end < start:
            raise ValidationFailed(
                "Khoảng tạm dừng có thời điểm kết thúc trước thời điểm bắt đầu.", code="workdays_invalid_pause"
            )
        intervals.append((start, end))
    merged: list[list[datetime.datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _without_pauses(intervals, pauses):
    """Cut the paused spans out of the office intervals (both sorted)."""
    for start, end in intervals:
        for pause_start, pause_end in pauses:
            if pause_end <= start or pause_start >= end:
                continue
            if pause_start > start:
                yield start, pause_start
            start = max(start, pause_end)
            if start >= end:
                break
        if start < end:
            yield start, end


def add_working_time(
    start: datetime.datetime,
    days: int | Decimal,
    paused: Iterable[tuple[datetime.datetime, datetime.datetime]] = (),
    *,
    keep_session_end: bool = False,
) -> datetime.datetime:
    """The moment when `days` working days of office time have run from `start` (aware; returned in local time).

    One working day is the length of the office hours (8 h by default), so 0.5 is half of it (one session with the
    default hours). Time outside office hours, on non-working days and inside `paused` intervals does not run.
    A result falling exactly at the end of a session is moved to the opening of the next one, so the time of day is
    kept: Monday 09:00 + 3 days = Thursday 09:00, Monday's opening + 3 days = Thursday's opening (the date equals
    `add_working_days(monday, 3)`). With `keep_session_end` a result at the end of a session stays there (a time in
    working hours or "within the day": 13:00 + 4 hours is 17:00 that day, not the next morning).
    """
    moment = _local(start)
    remaining = datetime.timedelta(seconds=round(_as_days(days) * office_hours().minutes_per_day * 60))
    snapshot = _Snapshot()
    for interval_start, interval_end in _without_pauses(_office_intervals(snapshot, moment), _merge_pauses(paused)):
        if not remaining:
            return interval_start
        span = interval_end - interval_start
        if span > remaining or (keep_session_end and span == remaining):
            return interval_start + remaining
        remaining -= span
    raise ValidationFailed("Không tìm thấy ngày làm việc nào trong lịch.", code="workdays_no_working_day")


def same_day_due(
    start: datetime.datetime, paused: Iterable[tuple[datetime.datetime, datetime.datetime]] = ()
) -> datetime.datetime:
    """The due moment of a procedure settled "trong ngày" (within the day): the end of the office session after the
    one in which the clock starts. With the default hours, a dossier received in the morning (or before opening) is
    due at the closing of the same day, one received in the afternoon (or over lunch, or after closing) by the end of
    the next working morning (the provinces' one-stop rule: "tiếp nhận buổi sáng trả trong ngày, tiếp nhận buổi chiều
    trả sáng ngày làm việc tiếp theo"). Paused intervals (waiting for a supplement) push it by their office time."""
    moment = _local(start)
    intervals = _office_intervals(_Snapshot(), moment)
    first_start, first_end = next(intervals)
    next_start, next_end = next(intervals)
    office = (first_end - first_start) + (next_end - next_start)
    days = Decimal(office.total_seconds()) / Decimal(office_hours().minutes_per_day * 60)
    return add_working_time(moment, days, paused=paused, keep_session_end=True)


def effective_received_at(submitted_at: datetime.datetime) -> datetime.datetime:
    """When an online submission counts as received (Decree 61/2018/NĐ-CP, Decree 45/2020/NĐ-CP).

    On a working day before the cut-off (`WORKDAY_CUTOFF`): the submission time, moved forward to the opening of
    the day or of the afternoon session when sent before opening or over lunch. At or after the cut-off, or on a
    non-working day: the opening of the next working day.
    """
    moment = _local(submitted_at)
    hours = office_hours()
    snapshot = _Snapshot()
    day = moment.date()
    if snapshot.is_working(day) and moment.time() < hours.cutoff:
        for start_time, end_time in hours.sessions:
            if moment.time() < end_time:
                return max(moment, _at(day, start_time))
        return moment  # cut-off later than closing: received today, its time runs from the next opening
    return _at(snapshot.next_working_day(day), hours.opening)

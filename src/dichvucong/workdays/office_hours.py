"""Office hours and the daily cut-off for online submissions, read from settings.

- `WORKDAY_OFFICE_HOURS` (env, default "07:30-11:30,13:00-17:00"): the sessions of a working day. The default gives
  two 4-hour sessions (8 hours, the 40-hour week of Decision 188/1999/QĐ-TTg), so half a working day is exactly one
  session. A province with other hours sets its own; the length of a working day follows.
- `WORKDAY_CUTOFF` (env, default "16:30"): an online dossier submitted at or after this time of a working day (or on
  a non-working day) counts as received at the opening of the next working day. The one-stop regulations of the
  provinces (quy chế một cửa, Decree 61/2018/NĐ-CP and Decree 45/2020/NĐ-CP on electronic procedures) count
  submissions outside office hours from the next working day; the cut-off leaves the desk time to register the
  dossiers of the day. Set it to the closing time ("17:00") to count everything sent during office hours that day.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_OFFICE_HOURS = "07:30-11:30,13:00-17:00"
DEFAULT_CUTOFF = "16:30"


def _parse_time(text: str, setting: str) -> datetime.time:
    try:
        hours, minutes = text.strip().split(":")
        return datetime.time(int(hours), int(minutes))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{setting}: «{text}» is not a HH:MM time.") from exc


@dataclass(frozen=True)
class OfficeHours:
    sessions: tuple[tuple[datetime.time, datetime.time], ...]
    cutoff: datetime.time

    @property
    def minutes_per_day(self) -> int:
        return sum((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) for start, end in self.sessions)

    @property
    def opening(self) -> datetime.time:
        return self.sessions[0][0]

    @property
    def closing(self) -> datetime.time:
        return self.sessions[-1][1]


@lru_cache(maxsize=8)
def _parse(hours_text: str, cutoff_text: str) -> OfficeHours:
    sessions = []
    for chunk in hours_text.split(","):
        if not chunk.strip():
            continue
        start_text, _, end_text = chunk.partition("-")
        start = _parse_time(start_text, "WORKDAY_OFFICE_HOURS")
        end = _parse_time(end_text, "WORKDAY_OFFICE_HOURS")
        if end <= start or (sessions and start < sessions[-1][1]):
            raise ImproperlyConfigured(f"WORKDAY_OFFICE_HOURS: sessions must be increasing («{hours_text}»).")
        sessions.append((start, end))
    if not sessions:
        raise ImproperlyConfigured("WORKDAY_OFFICE_HOURS: at least one session is needed.")
    return OfficeHours(sessions=tuple(sessions), cutoff=_parse_time(cutoff_text, "WORKDAY_CUTOFF"))


def office_hours() -> OfficeHours:
    """The configured office hours (parsed once per distinct setting value, so tests may override settings)."""
    return _parse(
        getattr(settings, "WORKDAY_OFFICE_HOURS", DEFAULT_OFFICE_HOURS) or DEFAULT_OFFICE_HOURS,
        getattr(settings, "WORKDAY_CUTOFF", DEFAULT_CUTOFF) or DEFAULT_CUTOFF,
    )

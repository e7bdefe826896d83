"""Early / on time / late: the one rule, for dossiers, process steps, hand-overs and consultations.

Decision 766/QĐ-TTg: a dossier is on time when it is finished no later than its due date, early when finished
before it, and late when its supplement was requested more than once. The rule, one for everything:

- late: finished after the deadline. A legal deadline is a DATE (the dossier's appointment date: the whole day
  counts, `whole_day=True`, the default); a step's or a consultation's deadline is a MOMENT (`whole_day=False`:
  a minute after it is late);
- early: finished on an earlier (local) day than the deadline;
- on time: otherwise (the due day itself, by the deadline);
- more than one supplement request: late whatever the date (QĐ 766); no deadline: "" (not judged).
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


def _local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def timeliness(
    finished_at: datetime.date | datetime.datetime,
    due_at: datetime.date | datetime.datetime | None,
    *,
    whole_day: bool = True,
    supplement_count: int = 0,
) -> str:
    """The `Timeliness` value of work finished at `finished_at` against `due_at` (see the module), as stored;
    "" without a deadline."""
    if due_at is None:
        return ""
    if supplement_count > 1:
        return Timeliness.LATE.value
    finished, due = _local_date(finished_at), _local_date(due_at)
    by_moment = not whole_day and isinstance(due_at, datetime.datetime) and isinstance(finished_at, datetime.datetime)
    if finished_at > due_at if by_moment else finished > due:
        return Timeliness.LATE.value
    return (Timeliness.EARLY if finished < due else Timeliness.ON_TIME).value

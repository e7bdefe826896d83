"""Dates received from outside (query strings, request bodies): parsed, and refused with a 400 when absurd.

A legal date of this system lies between `MIN_DATE` and `MAX_DATE` (the working-day calendar covers 1995-2100): a
year 9999 or 0001 is a typing error, and would make date arithmetic overflow (a 500) if it went further.
"""

import datetime

from django.utils.translation import gettext as _

from .errors import ValidationFailed

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)


def check_date_range(value: datetime.date, *, field: str, code: str = "date_out_of_range") -> datetime.date:
    """`value` itself, or 400 `code` when it is outside `MIN_DATE`..`MAX_DATE`."""
    if not MIN_DATE <= value <= MAX_DATE:
        message = _("Ngày %(value)s nằm ngoài phạm vi cho phép (%(low)s đến %(high)s).") % {
            "value": value.isoformat(),
            "low": MIN_DATE.strftime("%d/%m/%Y"),
            "high": MAX_DATE.strftime("%d/%m/%Y"),
        }
        raise ValidationFailed(message, code=code, fields={field: [message]})
    return value


def parse_date_param(
    value: str | None, *, field: str, default: datetime.date | None = None, code: str = "invalid_date"
) -> datetime.date | None:
    """A `YYYY-MM-DD` parameter (`default` when empty); 400 `code` when malformed, 400 `date_out_of_range` when
    absurd."""
    if value in (None, ""):
        return default
    try:
        parsed = datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        message = _("Ngày «%(value)s» không hợp lệ (định dạng YYYY-MM-DD).") % {"value": str(value)[:40]}
        raise ValidationFailed(message, code=code, fields={field: [message]}) from None
    return check_date_range(parsed, field=field)

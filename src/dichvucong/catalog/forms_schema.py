"""E-form schemas of procedures (tờ khai điện tử) and the server-side validation of submitted form data.

A schema is a list of field definitions:
`{"name": "child_name", "label": "Họ tên người được khai sinh", "type": "text", "required": true}`;
`type` in text|textarea|date|number|select|checkbox; `select` fields carry `"choices": ["...", ...]`.

Bounds (issue 12, item 2): a `number` takes optional `"min"`, `"max"` and `"integer": true` (default range
0 … 10^15, at most 4 decimals); a `date` is a string `YYYY-MM-DD` (never a number, never `20260101`), between
`"min"` and `"max"` (ISO dates or `"today"`; default 1900-01-01 … 2100-12-31); a date field whose name ends in
`birth_date` or `death_date` is never in the future. Text values are scalars (a list or object is refused).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.common.errors import ValidationFailed

FIELD_TYPES = ("text", "textarea", "date", "number", "select", "checkbox")
_MAX_TEXT = {"text": 500, "textarea": 5000}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
NUMBER_MIN = Decimal(0)
NUMBER_MAX = Decimal(10) ** 15
NUMBER_MAX_DECIMALS = 4
PAST_DATE_SUFFIXES = ("birth_date", "death_date")


def _bound_date(value, default: datetime.date) -> datetime.date:
    if value in (None, ""):
        return default
    return datetime.date.fromisoformat(str(value))


def _date_bounds(field: dict, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    low = today if field.get("min") == "today" else _bound_date(field.get("min"), DATE_MIN)
    high = today if field.get("max") == "today" else _bound_date(field.get("max"), DATE_MAX)
    if field["name"].endswith(PAST_DATE_SUFFIXES):
        high = min(high, today)
    return low, high


def _number_bounds(field: dict) -> tuple[Decimal, Decimal]:
    low = Decimal(str(field["min"])) if field.get("min") is not None else NUMBER_MIN
    high = Decimal(str(field["max"])) if field.get("max") is not None else NUMBER_MAX
    return low, high


def schema_errors(schema) -> list[str]:
    """Problems of a schema definition itself (used by import and decisions); empty when it is valid."""
    if not isinstance(schema, list):
        return ["form_schema phải là một danh sách trường."]
    errors, seen = [], set()
    for index, item in enumerate(schema, start=1):
        if not isinstance(item, dict):
            errors.append(f"Trường thứ {index} không phải là đối tượng.")
            continue
        name, kind = item.get("name"), item.get("type")
        if not name or not isinstance(name, str) or not name.isidentifier():
            errors.append(f"Trường thứ {index}: tên «{name}» không hợp lệ.")
        elif name in seen:
            errors.append(f"Trường thứ {index}: tên «{name}» bị trùng.")
        seen.add(name)
        if kind not in FIELD_TYPES:
            errors.append(f"Trường thứ {index}: kiểu «{kind}» không hợp lệ ({', '.join(FIELD_TYPES)}).")
        if not item.get("label"):
            errors.append(f"Trường thứ {index}: thiếu nhãn (label).")
        if kind == "select" and not (isinstance(item.get("choices"), list) and item["choices"]):
            errors.append(f"Trường thứ {index}: trường chọn phải có danh sách choices.")
        for bound in ("min", "max"):
            if item.get(bound) is None:
                continue
            try:
                if kind == "number":
                    Decimal(str(item[bound]))
                elif kind == "date" and item[bound] != "today":
                    datetime.date.fromisoformat(str(item[bound]))
                else:
                    raise ValueError
            except (ValueError, InvalidOperation):
                errors.append(f"Trường thứ {index}: giới hạn {bound} «{item[bound]}» không hợp lệ.")
    return errors


def _clean_value(field: dict, value, *, today: datetime.date):
    kind = field["type"]
    if isinstance(value, dict | list):
        raise ValueError(_("Giá trị phải là một giá trị đơn (không phải danh sách hay đối tượng)."))
    if kind == "checkbox":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "on", "yes"):
            return True
        if str(value).lower() in ("false", "0", "off", "no", ""):
            return False
        raise ValueError(_("Giá trị phải là có/không."))
    raw_value = value
    value = str(value).strip()
    if kind in _MAX_TEXT:
        if len(value) > _MAX_TEXT[kind]:
            raise ValueError(_("Tối đa %(limit)s ký tự.") % {"limit": _MAX_TEXT[kind]})
        return value
    if kind == "date":
        return _clean_date(field, raw_value, today=today)
    if kind == "number":
        return _clean_number(field, raw_value, value)
    if value not in [str(choice) for choice in field.get("choices", [])]:
        raise ValueError(_("Giá trị không nằm trong danh sách cho phép."))
    return value


def _clean_date(field: dict, raw, *, today: datetime.date) -> str:
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        raw = raw.isoformat()
    if not isinstance(raw, str) or not _DATE_RE.match(raw.strip()):
        raise ValueError(_("Ngày không hợp lệ (định dạng YYYY-MM-DD)."))
    try:
        day = datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")) from None
    low, high = _date_bounds(field, today)
    if day > high and high == today:
        raise ValueError(_("Ngày không được sau ngày hôm nay."))
    if not low <= day <= high:
        raise ValueError(
            _("Ngày phải từ %(low)s đến %(high)s.")
            % {"low": low.strftime("%d/%m/%Y"), "high": high.strftime("%d/%m/%Y")}
        )
    return day.isoformat()


def _clean_number(field: dict, raw, text: str) -> str:
    if isinstance(raw, bool) or len(text) > 40:
        raise ValueError(_("Phải là một số."))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Phải là một số.")) from None
    if not number.is_finite():
        raise ValueError(_("Phải là một số."))
    if field.get("integer") and number != number.to_integral_value():
        raise ValueError(_("Phải là một số nguyên."))
    if -number.as_tuple().exponent > NUMBER_MAX_DECIMALS:
        raise ValueError(_("Tối đa %(places)s chữ số thập phân.") % {"places": NUMBER_MAX_DECIMALS})
    low, high = _number_bounds(field)
    if not low <= number <= high:
        raise ValueError(_("Giá trị phải từ %(low)s đến %(high)s.") % {"low": low, "high": high})
    return str(int(number)) if field.get("integer") else str(number)


def validate_form_data(schema: list, data: dict | None) -> dict:
    """Check `data` against `schema`; return the cleaned data (unknown keys dropped) or raise ValidationFailed."""
    data = data or {}
    if not isinstance(data, dict):
        raise ValidationFailed(_("Dữ liệu tờ khai không hợp lệ."), code="form_data_invalid")
    cleaned, errors = {}, {}
    today = timezone.localdate()
    for field in schema or []:
        name = field["name"]
        raw = data.get(name)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty:
            if field.get("required") and field["type"] != "checkbox":
                errors[name] = [_("Trường này là bắt buộc.")]
            elif field.get("required") and field["type"] == "checkbox":
                errors[name] = [_("Bạn cần đánh dấu mục này.")]
            continue
        try:
            cleaned[name] = _clean_value(field, raw, today=today)
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        if field["type"] == "checkbox" and field.get("required") and not cleaned[name]:
            errors[name] = [_("Bạn cần đánh dấu mục này.")]
    if errors:
        raise ValidationFailed(
            _("Tờ khai chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu."),
            code="form_data_invalid",
            fields=errors,
        )
    return cleaned

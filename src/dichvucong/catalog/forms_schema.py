"""E-form schemas of procedures (tờ khai điện tử) and the server-side validation of submitted form data.

A schema is a list of field definitions:
`{"name": "child_name", "label": "Họ tên người được khai sinh", "type": "text", "required": true}`;
`type` in text|textarea|date|number|select|checkbox; `select` fields carry `"choices": ["...", ...]`.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dichvucong.common.errors import ValidationFailed

FIELD_TYPES = ("text", "textarea", "date", "number", "select", "checkbox")
_MAX_TEXT = {"text": 500, "textarea": 5000}


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
    return errors


def _clean_value(field: dict, value):
    kind = field["type"]
    if kind == "checkbox":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "on", "yes"):
            return True
        if str(value).lower() in ("false", "0", "off", "no", ""):
            return False
        raise ValueError(_("Giá trị phải là có/không."))
    value = str(value).strip()
    if kind in _MAX_TEXT:
        if len(value) > _MAX_TEXT[kind]:
            raise ValueError(_("Tối đa %(limit)s ký tự.") % {"limit": _MAX_TEXT[kind]})
        return value
    if kind == "date":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")) from None
    if kind == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(_("Phải là một số.")) from None
        if not number.is_finite():
            raise ValueError(_("Phải là một số."))
        return str(number)
    if value not in [str(choice) for choice in field.get("choices", [])]:
        raise ValueError(_("Giá trị không nằm trong danh sách cho phép."))
    return value


def validate_form_data(schema: list, data: dict | None) -> dict:
    """Check `data` against `schema`; return the cleaned data (unknown keys dropped) or raise ValidationFailed."""
    data = data or {}
    if not isinstance(data, dict):
        raise ValidationFailed(_("Dữ liệu tờ khai không hợp lệ."), code="form_data_invalid")
    cleaned, errors = {}, {}
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
            cleaned[name] = _clean_value(field, raw)
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

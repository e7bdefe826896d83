"""Template filters shared by every app: `{% load common_tags %}`."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()


def _thousands(value) -> str | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal(1))
    except (InvalidOperation, ValueError):
        return None
    return f"{int(amount):,}".replace(",", ".")


@register.filter
def dong(value, unit: str = "") -> str:
    """An amount of money as people read it: 200000 → "200.000 đồng"; `{{ fee|dong:per_copy }}` → "5.000 đồng/bản".

    Vietnamese thousands separator (a dot) whatever the language; "—" when there is no amount."""
    if value is None or value == "":
        return "—"
    number = _thousands(value)
    if number is None:
        return str(value)
    currency = gettext("đồng")  # outside the f-string, so makemessages finds it
    text = f"{number} {currency}"
    return f"{text}/{unit}" if unit else text


@register.filter
def label_plain(bound_field) -> str:
    """The field's <label> without Django's trailing colon: labels sit above their field or beside a checkbox."""
    return bound_field.label_tag(label_suffix="")

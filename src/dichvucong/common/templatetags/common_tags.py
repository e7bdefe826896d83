"""Template filters shared by every app: `{% load common_tags %}`."""

from django import template

from dichvucong.common.money import format_vnd

register = template.Library()


@register.filter
def dong(value, unit: str = "") -> str:
    """An amount of money as people read it: 200000 → "200.000 đồng"; `{{ fee|dong:per_copy }}` → "5.000 đồng/bản".

    Vietnamese thousands separator (a dot) whatever the language (`common.money.format_vnd`, the unit in the page's
    language); "—" when there is no amount."""
    return format_vnd(value, localized=True, per=unit)


@register.filter
def label_plain(bound_field) -> str:
    """The field's <label> without Django's trailing colon: labels sit above their field or beside a checkbox."""
    return bound_field.label_tag(label_suffix="")

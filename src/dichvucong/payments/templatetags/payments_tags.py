from django import template

from dichvucong.common.money import format_vnd

register = template.Library()


@register.filter
def vnd(value) -> str:
    """56000 → "56.000" (Vietnamese thousands separator, whatever the locale's number settings; `format_vnd`)."""
    return format_vnd(value, unit=False)

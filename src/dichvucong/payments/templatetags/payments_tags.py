from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    """56000 → "56.000" (Vietnamese thousands separator, whatever the locale's number settings)."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")

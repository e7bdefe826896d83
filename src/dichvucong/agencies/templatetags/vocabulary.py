from django import template

register = template.Library()


@register.filter
def level_label(level, vocabulary):
    """`{{ level|level_label:vocabulary }}`: "Mức độ 4", or "DVCTT toàn trình (mức độ 4)" under the 2025 wording."""
    return vocabulary.level(level) if vocabulary else level


@register.filter
def level_short(level, vocabulary):
    """`{{ level|level_short:vocabulary }}`: "Mức 4" in a table cell, or the 2025 wording."""
    return vocabulary.level(level, short=True) if vocabulary else level

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("guidance/_assistant_box.html", takes_context=True)
def assistant_box(context, q: str = ""):
    """The assistant's question box with the life events, for the home page and the catalogue (one partial)."""
    return {"q": q, "life_events": selectors.life_events(), "LANGUAGE_CODE": context.get("LANGUAGE_CODE", "vi")}

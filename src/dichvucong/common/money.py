"""Amounts of money as people read them, the one formatter: 56000 → "56.000 đồng".

Vietnamese writing whatever the page's language or the locale's number settings: a dot between thousands, whole
đồng (fees are whole amounts; a fraction is rounded). Documents and records (receipts, history notes, PDF forms)
say "đồng"; a web page may show the unit in its language (`localized=True`: "VND" in English).
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

CURRENCY = "đồng"
NO_AMOUNT = "—"


def group_thousands(number: int) -> str:
    """1234567 → "1.234.567", -5000 → "-5.000"."""
    return f"{number:,}".replace(",", ".")


def format_vnd(amount, *, unit: bool = True, localized: bool = False, per: str = "") -> str:
    """56000 → "56.000 đồng"; `unit=False` → "56.000"; `per="bản"` → "5.000 đồng/bản".

    `amount` may be an int, a Decimal or a numeric string; None or "" → "—"; anything else is returned as given.
    """
    if amount is None or amount == "":
        return NO_AMOUNT
    try:
        whole = int(Decimal(str(amount)).quantize(Decimal(1)))
    except (InvalidOperation, ValueError):
        return str(amount)
    text = group_thousands(whole)
    if unit:
        currency = gettext("đồng") if localized else CURRENCY  # outside the f-string, so makemessages finds it
        text = f"{text} {currency}"
    return f"{text}/{per}" if per else text

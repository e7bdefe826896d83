"""The catalogue's query filters, validated once for the list API and the list page (both the web layer's)."""

import datetime

from dichvucong.agencies.models import Agency, Tier
from dichvucong.common.errors import NotFoundError, ValidationFailed

from .models import OnlineMode


def parse_day(value: str | None, name: str = "as_of") -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            "Ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", fields={name: ["Ngày không hợp lệ."]}
        ) from None


def catalog_filters(params) -> dict:
    """Validated filters shared by the list API and the list page."""
    agency_code, tier, level = params.get("agency"), params.get("tier"), params.get("online_level")
    mode = params.get("online_mode")
    if tier and tier not in Tier.values:
        raise ValidationFailed("Cấp không hợp lệ.", code="invalid_tier", fields={"tier": ["Giá trị không hợp lệ."]})
    if level and level not in ("1", "2", "3", "4"):
        raise ValidationFailed(
            "Mức độ phải từ 1 đến 4.", code="invalid_level", fields={"online_level": ["Giá trị không hợp lệ."]}
        )
    if mode and mode not in OnlineMode.values:
        raise ValidationFailed(
            "Hình thức phải là full, partial hoặc none.",
            code="invalid_mode",
            fields={"online_mode": ["Giá trị không hợp lệ."]},
        )
    agency = None
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            raise NotFoundError(f"Không có cơ quan mã {agency_code}.", code="agency_not_found")
    return {
        "agency": agency,
        "tier": tier or None,
        "field": params.get("field") or None,
        "online_level": int(level) if level else None,
        "online_mode": mode or None,
        "applicant_type": params.get("applicant_type") or None,
        "on": parse_day(params.get("as_of")),
    }

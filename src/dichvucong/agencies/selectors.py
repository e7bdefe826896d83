"""Reads of the agency tree."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from dichvucong.common.search import fold_words

from .models import Agency, ProvinceSettings, TierModel


def province_settings() -> ProvinceSettings:
    row = ProvinceSettings.objects.filter(pk=1).first()
    return row or ProvinceSettings(name="", code_suffix="", tier_model=TierModel.THREE_TIER)


def agency_list(*, tier: str | None = None, parent_code: str | None = None, q: str | None = None,
                active_on: datetime.date | None = None, include_inactive: bool = False) -> QuerySet[Agency]:
    """Agencies active on `active_on` (default today), filtered by tier, parent code and folded text."""
    qs = Agency.objects.select_related("parent")
    if not include_inactive:
        qs = qs.active_on(active_on or timezone.localdate())
    if tier:
        qs = qs.filter(tier=tier)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if q:
        for word in fold_words(q):
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("code")


def agency_descendants(agency: Agency, *, include_self: bool = False) -> QuerySet[Agency]:
    qs = Agency.objects.filter(path__startswith=agency.path)
    return qs if include_self else qs.exclude(pk=agency.pk)


def agency_ancestors(agency: Agency) -> list[Agency]:
    """From the root down to the direct parent."""
    ids = [int(part) for part in agency.path.strip("/").split("/")[:-1] if part]
    by_id = Agency.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def agency_subtree_q(agency: Agency, field: str = "agency") -> Q:
    """A filter for rows that belong to `agency` or any unit below it."""
    return Q(**{f"{field}__path__startswith": agency.path})

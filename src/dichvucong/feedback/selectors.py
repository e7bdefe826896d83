"""Reads of ratings: averages per agency over a period (the scorecard's satisfaction)."""

import datetime

from django.db.models import Avg, Count, Q

from .models import Rating


def rating_stats(*, start: datetime.date, end: datetime.date, agency_ids=None, by_agency: bool = False):
    """{"n", "overall", "timeliness", "attitude", "visits"} (averages), per agency id when `by_agency`."""
    qs = Rating.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    measures = {
        "n": Count("pk"),
        "overall": Avg("overall"),
        "timeliness": Avg("timeliness"),
        "attitude": Avg("attitude"),
        "visits": Avg("visits"),
    }
    if by_agency:
        return {row.pop("agency_id"): row for row in qs.values("agency_id").annotate(**measures).order_by()}
    return qs.aggregate(**measures)


def ratings_for(user):
    return Rating.objects.filter(Q(author=user)).select_related("dossier")

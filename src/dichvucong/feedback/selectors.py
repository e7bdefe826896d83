"""Reads of ratings: averages per agency over a period (the scorecard's satisfaction)."""

import datetime

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from dichvucong.accounts.selectors import is_province_wide, user_agencies
from dichvucong.agencies.models import Agency

from .models import Feedback, Rating


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


def feedback_visible_to(user):
    """Staff: their agencies' feedback (province roles: all); anyone else: what they filed."""
    qs = Feedback.objects.select_related("agency", "procedure", "dossier")
    if is_province_wide(user):
        return qs
    agencies = user_agencies(user)
    if agencies:
        q = Q(pk__in=[])
        for agency in agencies:
            q |= Q(agency__path__startswith=agency.path)
        return qs.filter(q)
    return qs.filter(author=user) if getattr(user, "is_authenticated", False) else qs.none()


def feedback_published():
    """Answered feedback whose author agreed to publication (public list)."""
    return Feedback.objects.filter(publish_consent=True, status=Feedback.Status.ANSWERED).select_related(
        "agency", "procedure"
    )


def feedback_stats(*, start: datetime.date, end: datetime.date, agency_ids=None, by_agency: bool = False, today=None):
    """Counts of feedback received in the period: total, answered, answered by the deadline, open past it."""
    today = today or timezone.localdate()
    qs = Feedback.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    measures = {
        "n": Count("pk"),
        "answered": Count("pk", filter=Q(status=Feedback.Status.ANSWERED)),
        "answered_on_time": Count("pk", filter=Q(status=Feedback.Status.ANSWERED, answered_at__date__lte=F("due_on"))),
        "overdue": Count("pk", filter=Q(status=Feedback.Status.OPEN, due_on__lt=today)),
    }
    if by_agency:
        return {row.pop("agency_id"): row for row in qs.values("agency_id").annotate(**measures).order_by()}
    return qs.aggregate(**measures)


def staff_agency_ids(user):
    """The agencies whose ratings and feedback `user` oversees: None for the province roles (all), the ids of the
    user's agencies and the units below them for an agency's officers, [] for anyone else."""
    if is_province_wide(user):
        return None
    agencies = user_agencies(user)
    if not agencies:
        return []
    q = Q(pk__in=[])
    for agency in agencies:
        q |= Q(path__startswith=agency.path)
    return list(Agency.objects.filter(q).values_list("pk", flat=True))


def ratings_visible_to(user):
    """Staff: the ratings of their agencies (province roles: all); anyone else: the ratings they gave."""
    qs = Rating.objects.select_related("dossier", "dossier__procedure", "agency")
    ids = staff_agency_ids(user)
    if ids is None:
        return qs
    if ids:
        return qs.filter(agency_id__in=ids)
    return qs.filter(author=user) if getattr(user, "is_authenticated", False) else qs.none()


def rating_of(dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()

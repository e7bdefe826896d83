"""Work queues (selectors): what is each officer's to do, what is about to be late, and each agency's load.

Views (`GET /api/v1/queues/?view=`):
- `mine`: open steps assigned to the officer;
- `team`: open steps at the officer's agencies: all of them for a leader or head of division, otherwise those of
  the officer's roles (including unassigned ones they may pick up);
- `due_today`: mine + team whose step is due before the end of today and not yet overdue;
- `overdue`: mine + team whose step due time has passed;
- `consultations`: requests for the opinion of the officer's agencies, still unanswered.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.models import RoleAssignment
from dichvucong.accounts.selectors import (
    is_province_wide,
    user_agencies,
    user_has_any_role,
    user_has_role,
    user_role_assignments,
)
from dichvucong.agencies.selectors import agency_ids_as_organised
from dichvucong.common.errors import NotFoundError
from dichvucong.common.pagination import capped_count
from dichvucong.dossiers.access import dossier_access
from dichvucong.dossiers.models import Dossier

from .models import Consultation, ConsultationStatus, StepRole, WorkItem
from .processing import AGENCY_HANDLERS, DISPATCHERS
from .selectors import require_staff

VIEWS = ("mine", "team", "due_today", "overdue", "consultations")
STEP_ROLES = set(StepRole.values)


def _team_q(user) -> Q:
    q = Q(pk__in=[])
    for assignment in user_role_assignments(user):
        if not assignment.agency_id:
            continue
        if assignment.role in DISPATCHERS:
            q |= Q(agency_id=assignment.agency_id)
        elif assignment.role in STEP_ROLES:
            q |= Q(agency_id=assignment.agency_id, role=assignment.role)
            if assignment.role in AGENCY_HANDLERS:
                q |= Q(agency_id=assignment.agency_id, role=StepRole.OTHER_AGENCY)
    return q


def _end_of_today(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


def open_items() -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(completed_at__isnull=True).select_related(
        "run__dossier__procedure", "run__dossier__agency", "run", "step", "agency", "assignee"
    )


def queue(user, view: str, *, now: datetime.datetime | None = None):
    """Items (or consultations) of `view` for `user`, ordered by due time."""
    require_staff(user)
    now = now or timezone.now()
    if view == "consultations":
        agencies = {a.agency_id for a in user_role_assignments(user) if a.agency_id and a.role in AGENCY_HANDLERS}
        return (
            Consultation.objects.filter(status=ConsultationStatus.PENDING, agency_id__in=agencies)
            .select_related("run__dossier__procedure", "agency", "step", "run__agency")
            .order_by("due_at", "id")
        )
    mine = Q(assignee=user)
    scopes = {"mine": mine, "team": _team_q(user), "due_today": mine | _team_q(user), "overdue": mine | _team_q(user)}
    qs = open_items().filter(scopes[view])
    if view == "due_today":
        qs = qs.filter(due_at__gte=now, due_at__lte=_end_of_today(now))
    elif view == "overdue":
        qs = qs.filter(due_at__lt=now)
    return qs.order_by("due_at", "id")


def queue_counts(user, *, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {view: capped_count(queue(user, view, now=now))[0] for view in VIEWS}  # exact up to the cap (ADR 0018)


def agency_load(*, agency, now: datetime.datetime | None = None, organised: str | None = None) -> dict:
    """Open steps of `agency` by step and by officer, with how many are overdue (leaders' view); `organised="now"`
    also counts steps still recorded at units merged into it (a reorganisation carries them over)."""
    now = now or timezone.now()
    items = WorkItem.objects.filter(completed_at__isnull=True, agency_id__in=agency_ids_as_organised(agency, organised))
    overdue = Count("id", filter=Q(due_at__lt=now))
    by_step = items.values("step__name", "role").annotate(count=Count("id"), overdue=overdue).order_by("step__name")
    by_officer = (
        items.values("assignee__username", "assignee__full_name")
        .annotate(count=Count("id"), overdue=overdue)
        .order_by("-count", "assignee__username")
    )
    return {
        "agency": agency.code,
        "by_step": [
            {"step": row["step__name"], "role": row["role"], "count": row["count"], "overdue": row["overdue"]}
            for row in by_step
        ],
        "by_officer": [
            {
                "username": row["assignee__username"],
                "name": row["assignee__full_name"] or "",
                "count": row["count"],
                "overdue": row["overdue"],
            }
            for row in by_officer
        ],
    }


def dispatch_agency_ids(user) -> set[int]:
    """The agencies where `user` distributes work (leader or head of division): the items they may (re)assign."""
    return {a.agency_id for a in user_role_assignments(user) if a.agency_id and a.role in DISPATCHERS}


def assignable_officers(user) -> list[dict]:
    """The officers a dispatcher may hand work to, per agency: those holding a step role there (the assignment
    service checks that the chosen officer holds the role of each selected step)."""
    rows = (
        RoleAssignment.objects.filter(
            agency_id__in=dispatch_agency_ids(user), role__in=STEP_ROLES, active=True, user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("agency__code", "user__username", "role")
    )
    groups: dict[int, dict] = {}
    for row in rows:
        group = groups.setdefault(row.agency_id, {"agency": row.agency, "officers": {}})
        officer = group["officers"].setdefault(
            row.user.username, {"username": row.user.username, "name": row.user.display_name, "roles": []}
        )
        officer["roles"].append(StepRole(row.role).label)
    return [{"agency": g["agency"], "officers": list(g["officers"].values())} for g in groups.values()]


def may_see_load(user, agency) -> bool:
    """The agency's dispatchers (leader, head of division) and province roles."""
    return is_province_wide(user) or user_has_any_role(user, DISPATCHERS, agency=agency)


def dossier_for_processing(user, code: str):
    """The dossier with `code` if `user` may follow its internal process (`DossierAccess.follow_process`: staff of
    its receiving agency, of an agency that handled or is handling it in a process, of a consulted agency, or
    province-wide); otherwise 404. Citizens: 403 (staff only)."""
    require_staff(user)
    dossier = Dossier.objects.select_related("procedure", "agency").filter(code=code).first()
    if dossier is None or not dossier_access(user, dossier).follow_process:
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    return dossier


def consultations_for(user, dossier) -> list[Consultation]:
    """Unanswered requests for the opinion of `user`'s agencies about `dossier` (the dossier page shows a form)."""
    agencies = [a.pk for a in user_agencies(user) if any(user_has_role(user, r, agency=a) for r in AGENCY_HANDLERS)]
    return list(
        Consultation.objects.filter(
            run__dossier=dossier, status=ConsultationStatus.PENDING, agency_id__in=agencies
        ).select_related("run__agency", "step")
    )

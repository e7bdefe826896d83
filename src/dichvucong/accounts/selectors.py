"""Who holds which role where. Every permission check in the system goes through these functions."""

from django.db import connection
from django.db.models import QuerySet

from dichvucong.agencies.models import Agency
from dichvucong.common.sql_rows import Columns

from .models import ApiToken, RoleAssignment, User
from .roles import PROVINCE_ROLES, Role

_ASSIGNMENT = Columns(RoleAssignment, "r")
_AGENCY = Columns(Agency, "a")


def user_role_assignments(user) -> list[RoleAssignment]:
    """Active assignments, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_role_assignments_cache", None)
    if cached is None:
        cached = _active_assignments(user.pk)
        user._role_assignments_cache = cached
    return cached


def assignments_sql(connection, user_alias: str) -> tuple[str, str]:
    """(select list, LEFT JOINs) adding the active role assignments of the user `user_alias` and their agencies to a
    statement: one row per assignment (one row of NULLs without any), in the model's order (`ORDER BY r.role,
    r.id`). Read back with `assignments_from_rows(rows, start)`."""
    return (
        f"{_ASSIGNMENT.sql(connection)}, {_AGENCY.sql(connection)}",
        f"LEFT JOIN {RoleAssignment._meta.db_table} r ON r.user_id = {user_alias}.id AND r.active "
        f"LEFT JOIN {Agency._meta.db_table} a ON a.id = r.agency_id",
    )


def assignments_from_rows(rows, start: int) -> list[RoleAssignment]:
    """The assignments in the columns `start…` of `rows` (see `assignments_sql`)."""
    width = len(_ASSIGNMENT)
    assignments = []
    for row in rows:
        if row[start] is None:  # no assignment: the LEFT JOIN's NULLs
            continue
        assignment = _ASSIGNMENT.instance(row[start : start + width], connection)
        agency = row[start + width :]
        assignment.agency = _AGENCY.instance(agency, connection) if agency[0] is not None else None
        assignments.append(assignment)
    return assignments


def cache_role_assignments(user, assignments: list[RoleAssignment]) -> None:
    """Store `assignments` (read with the user, e.g. by token authentication) as `user_role_assignments(user)`."""
    user._role_assignments_cache = assignments


def _active_assignments(user_id: int) -> list[RoleAssignment]:
    """`RoleAssignment.objects.active().filter(user=…).select_related("agency")` (its Meta ordering), written by
    hand: every request of an officer reads it (docs/adr/0025-lean-status-read.md)."""
    select, joins = assignments_sql(connection, "u")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM {User._meta.db_table} u {joins} WHERE u.id = %s ORDER BY r.role, r.id",  # noqa: S608
            [user_id],
        )
        return assignments_from_rows(cursor.fetchall(), 0)


def is_province_wide(user) -> bool:
    """True if `user` holds a province role (province_admin, monitor): the whole province is in their scope.

    The one place that decides "province-wide" (dossier visibility, processes, catalogue change requests,
    tracking books...)."""
    return any(assignment.role in PROVINCE_ROLES for assignment in user_role_assignments(user))


def user_has_role(user, role: str, *, agency: Agency | None = None) -> bool:
    """True if `user` holds `role` for exactly `agency` (agency roles) or province-wide (province roles).

    An officer of Văn Lâm holds no role at Văn Giang: scope is the agency itself, not its neighbours.
    """
    for assignment in user_role_assignments(user):
        if assignment.role != role:
            continue
        if role in PROVINCE_ROLES:
            return True
        if agency is None or assignment.agency_id == agency.pk:
            return True
    return False


def user_has_any_role(user, roles, *, agency: Agency | None = None) -> bool:
    return any(user_has_role(user, role, agency=agency) for role in roles)


def user_agencies(user, *, role: str | None = None) -> list[Agency]:
    """The agencies where the user holds an agency role (optionally a given one), ordered by code."""
    seen = {}
    for assignment in user_role_assignments(user):
        if assignment.agency_id and (role is None or assignment.role == role):
            seen[assignment.agency_id] = assignment.agency
    return sorted(seen.values(), key=lambda agency: agency.code)


def user_roles_by_agency(user) -> list[tuple[Agency | None, list[str]]]:
    """[(agency or None for province-wide, [role labels])] for the staff landing page."""
    grouped: dict[int | None, tuple[Agency | None, list[str]]] = {}
    for assignment in user_role_assignments(user):
        entry = grouped.setdefault(assignment.agency_id, (assignment.agency, []))
        entry[1].append(Role(assignment.role).label)
    return sorted(grouped.values(), key=lambda item: (item[0] is not None, item[0].code if item[0] else ""))


def officers_with_role(*, agency: Agency, role: str) -> QuerySet[User]:
    return User.objects.filter(
        role_assignments__agency=agency, role_assignments__role=role, role_assignments__active=True, is_active=True
    ).distinct()


def user_api_tokens(user) -> QuerySet:
    """The user's own API tokens, newest first (never the key: only its prefix)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")

"""The access policy of dossiers: who may see a dossier and what they may do with it (docs/adr/0003-access-policy.md).

Every app, page and endpoint asks here; nothing else decides access to a dossier:

- lists: `Dossier.objects.visible_to(user)` (the QuerySet method delegates to `visible`), one index range per
  branch of `visible_branches` (ADR 0018);
- one dossier: `dossier_access(user, dossier)` -> `DossierAccess` (what the user may do with it).

The rules:

- a citizen or business sees the dossiers they own (drafts included), opens their files, pays, rates them once
  finished;
- an officer sees the submitted dossiers of the agencies where they hold a role (the receiving agency) and those
  their agencies take part in through the internal process (a run after a transfer, an inter-agency step, a
  consultation addressed to them: asked of `registry.engine`, dossiers never import the workflow engine), and what
  they submitted online on a citizen's behalf;
- an officer *handles* the dossier (opens its files, its payments, its result) at the receiving agency or at an
  agency holding a run or a step of its process, not a consulted agency nor a province role;
- province roles (`accounts.selectors.is_province_wide`: province_admin, monitor) see every submitted dossier,
  read-only, without its files; their lists carry no other condition (docs/adr/0018-keyset-lists.md);
- everyone else sees nothing, and a dossier one may not see is a 404 (never 403): the callers raise NotFoundError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dichvucong.accounts.selectors import is_province_wide, user_agencies

from .registry import registry
from .state_machine import FINAL_STATUSES, Status


@dataclass(frozen=True)
class DossierAccess:
    """What one user may do with one dossier. Every capability implies `see`."""

    #: the dossier exists for them: detail (API and pages), history, PDF forms; else 404.
    see: bool = False
    #: they own it (the applicant's account): the citizen's pages, choosing how to receive the result.
    own: bool = False
    #: an officer of the receiving agency or of an agency holding a run or a step of its process.
    handle: bool = False
    #: attachments, payments and receipts, the result page: the owner and the handling officers.
    open_files: bool = False
    #: the internal process view (`/api/v1/processing/<code>/`): officers of an agency taking part in it
    #: (receiving, run, step, consultation) and province roles. Citizens are refused earlier (403 staff only).
    follow_process: bool = False
    #: pays the fees online: the owner.
    pay: bool = False
    #: rates the handling (satisfaction survey): the owner, once the dossier is finished.
    rate: bool = False
    #: the signed electronic result as soon as the leader has signed (handling officers); the owner gets it once
    #: issued (`own`). The result's status is the results context's business (results.selectors.may_see_result).
    see_signed_result: bool = False


#: Nobody: an anonymous visitor, a stranger.
NO_ACCESS = DossierAccess()


def _agency_ids(user) -> set[int]:
    return {agency.pk for agency in user_agencies(user)}


def visible_branches(user) -> list[Q]:
    """What an authenticated `user` may see as a list, as conditions each served by one index range
    (docs/adr/0018-keyset-lists.md); their OR is `visible_q`. Lists read a page of each and merge them (a UNION
    in `common.pagination.keyset_page`) instead of one OR that no index serves.

    Province roles see every submitted dossier and need no other condition: their own drafts are not office work
    (the owner reads them on "my dossiers" and by reference, `visible(..., include_own=True)`)."""
    submitted = ~Q(status=Status.DRAFT)
    if is_province_wide(user):
        return [submitted]
    branches = [Q(owner=user)]
    ids = _agency_ids(user)
    if ids:
        branches += [
            Q(agency_id__in=sorted(ids)) & submitted,  # (agency_id, created_at, id)
            # An officer also sees what they submitted on a citizen's behalf (online, to any agency).
            Q(created_by=user) & submitted,
            registry.engine.involved_agencies_q(ids, handling=False) & submitted,
        ]
    return branches


def visible_q(user) -> Q:
    """The visibility condition of an authenticated `user` on Dossier (the OR of `visible_branches`)."""
    branches = visible_branches(user)
    condition = branches[0]
    for branch in branches[1:]:
        condition |= branch
    return condition


def visible(
    qs: QuerySet,
    user,
    *,
    statuses: Iterable[str] | None = None,
    include_own: bool = False,
    received_at: Iterable[int] | None = None,
) -> QuerySet:
    """`qs` (of Dossier) narrowed to what `user` may see, and to `statuses` when given; `include_own` adds the
    user's own dossiers whatever their role (one dossier by reference: a province admin's own draft);
    `received_at` (agency ids) keeps only the dossiers received at those agencies.

    With `received_at` among the user's agencies (or a province role) and `statuses` without drafts, the rule
    reduces to its agency branch: `agency IN received_at AND status IN statuses`, one index range, no OR and no
    other branch to build (the desk's queries, ADR 0026): every other branch only adds dossiers of other agencies
    or drafts. Otherwise the whole rule applies, then the agency filter.

    One query, no duplicate rows (the process conditions are subqueries). The result carries
    `keyset_branches` (one queryset per visibility branch, `DossierQuerySet`) when there are several, for the
    lists' keyset pages; the filters applied afterwards follow on each branch."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    statuses = list(statuses or ())
    if received_at is not None:
        received = sorted(set(received_at))
        if statuses and Status.DRAFT not in statuses and (is_province_wide(user) or set(received) <= _agency_ids(user)):
            return qs.filter(agency_id__in=received, status__in=statuses)
        qs = qs.filter(agency_id__in=received)
    if statuses:
        qs = qs.filter(status__in=statuses)
    branches = visible_branches(user)
    if is_province_wide(user):
        if statuses and Status.DRAFT not in statuses:
            return qs  # every submitted dossier: no condition at all (an index-only COUNT)
        if include_own:
            branches = [Q(owner=user), *branches]
    condition = branches[0]
    for branch in branches[1:]:
        condition |= branch
    result = qs.filter(condition)
    if len(branches) > 1:
        result = result.with_keyset_branches([qs.filter(branch) for branch in branches])
    return result


def may_see(user, dossier, *, include_own: bool = False) -> bool:
    """True if `dossier` (already read) is among `visible(…, user, include_own=include_own)`: the same rule, decided
    in Python for one dossier read by its reference (the status read, docs/adr/0025-lean-status-read.md) instead
    of an OR of four conditions and three subqueries in its statement. No query for the owner, a province role or
    an officer of the receiving agency; the engine's three small ones for another agency's officer.
    tests/security/test_access_property.py checks it against `visible` for every pair of its world."""
    if not getattr(user, "is_authenticated", False):
        return False
    own = dossier.owner_id is not None and dossier.owner_id == user.pk
    submitted = dossier.status != Status.DRAFT
    if is_province_wide(user):
        return submitted or (include_own and own)
    if own:
        return True
    ids = _agency_ids(user)
    if not ids or not submitted:
        return False
    if dossier.agency_id in ids or dossier.created_by_id == user.pk:
        return True
    return bool(ids & registry.engine.involved_agency_ids(dossier, handling=False))


def dossier_access(user, dossier) -> DossierAccess:
    """What `user` may do with `dossier` (see `DossierAccess`). Besides the user's roles (cached on the user for
    the request), no query for the owner, a province role or an officer of the receiving agency; up to five small
    ones for another agency's officer (the engine's runs, steps and consultations of the dossier)."""
    if not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    own = dossier.owner_id is not None and dossier.owner_id == user.pk
    submitted = dossier.status != Status.DRAFT
    involved = handle = False
    ids = _agency_ids(user) if submitted else set()
    if ids:
        if dossier.agency_id in ids:
            involved = handle = True
        else:
            engine = registry.engine  # a run or a step handles it; a consultation only involves the agency
            handle = bool(ids & engine.involved_agency_ids(dossier, handling=True))
            involved = handle or bool(ids & engine.involved_agency_ids(dossier, handling=False))
    province = submitted and is_province_wide(user)
    on_behalf = bool(ids) and dossier.created_by_id == user.pk  # an officer's assisted submission (never a draft)
    see = own or involved or province or on_behalf
    return DossierAccess(
        see=see,
        own=own,
        handle=handle,
        open_files=own or handle,
        follow_process=involved or province,
        pay=own,
        rate=own and dossier.status in FINAL_STATUSES,
        see_signed_result=handle,
    )

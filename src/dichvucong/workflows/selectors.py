"""Reads of process definitions, with their visibility rules, and the resolution of the process that applies."""

import datetime
import uuid

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.models import UserKind
from dichvucong.accounts.selectors import is_province_wide, user_agencies
from dichvucong.agencies.models import Agency
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed

from .models import DECIDED_STATUSES, Process, ProcessScope, ProcessStatus, ProcessStep


def require_staff(user) -> None:
    if not getattr(user, "is_authenticated", False) or user.kind != UserKind.STAFF:
        raise PermissionDeniedError(_("Chức năng dành cho cán bộ, công chức."), code="staff_only")


def processes_visible_to(user) -> QuerySet[Process]:
    """Staff see every decided version (approved, active, retired); drafts in progress only at the owning
    agency and at the province (Provincial Office, monitoring)."""
    require_staff(user)
    qs = Process.objects.select_related("procedure", "agency", "owner_agency").prefetch_related(
        Prefetch("steps", queryset=ProcessStep.objects.order_by("order"))
    )
    if is_province_wide(user):
        return qs
    own = [agency.pk for agency in user_agencies(user)]
    return qs.filter(Q(status__in=DECIDED_STATUSES) | Q(owner_agency_id__in=own))


def process_list(
    user, *, procedure: str | None = None, agency: str | None = None, status: str | None = None
) -> QuerySet[Process]:
    qs = processes_visible_to(user)
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if agency:
        unit = Agency.objects.filter(code=agency).first()
        if unit is None:
            return qs.none()
        qs = qs.filter(Q(scope=ProcessScope.AGENCY, agency=unit) | Q(scope=ProcessScope.TIER, tier=unit.tier))
    if status:
        if status not in ProcessStatus.values:
            raise ValidationFailed(
                _("Trạng thái «%s» không hợp lệ.") % status,
                code="invalid_status",
                fields={"status": [_("Giá trị không hợp lệ.")]},
            )
        qs = qs.filter(status=status)
    return qs.order_by("procedure__code", "scope", "tier", "agency__code", "-version")


def process_get(user, process_id) -> Process:
    """The process if `user` may see it, else 404 (never reveal a draft of another agency)."""
    try:
        key = uuid.UUID(str(process_id))
    except ValueError as exc:
        raise NotFoundError(_("Không tìm thấy quy trình.")) from exc
    process = processes_visible_to(user).filter(uuid=key).first()
    if process is None:
        raise NotFoundError(_("Không tìm thấy quy trình."))
    return process


def process_for(*, procedure, agency: Agency, on: datetime.date | None = None) -> Process | None:
    """The process version that applies to `procedure` at `agency` on `on` (default today).

    The agency's explicit exception wins over the tier template of its tier (Plan 111/KH-UBND: one process for
    every district, one for every commune, exceptions explicit). Among decided versions in force that day
    (`active_from` ≤ day < `retired_on`), the most recent one applies.
    """
    on = on or timezone.localdate()
    in_force = (
        Process.objects.filter(procedure=procedure, status__in=DECIDED_STATUSES, active_from__lte=on)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on))
        .order_by("-active_from", "-version")
    )
    exception = in_force.filter(scope=ProcessScope.AGENCY, agency=agency).first()
    return exception or in_force.filter(scope=ProcessScope.TIER, tier=agency.tier).first()

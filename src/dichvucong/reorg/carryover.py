"""The writes of one applied batch: open dossiers and their work, officers' roles, offerings, processes, tiers.

Each function runs inside the batch transaction opened by `services.plan_apply` and writes one audit row per
change (dossiers: a history line, which records its audit row). A reorganisation is the one writer allowed to
re-point other contexts' rows to a successor agency (docs/adr/0016-reorganisation.md): nothing else changes.
"""

import datetime

from django.db.models import Q

from dichvucong.accounts.models import RoleAssignment
from dichvucong.agencies.models import Agency, Tier
from dichvucong.audit.services import audit_record
from dichvucong.catalog.models import Offering, Procedure, pack_list
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services import record_event
from dichvucong.dossiers.state_machine import FINAL_STATUSES
from dichvucong.workflows.models import (
    DECIDED_STATUSES,
    OPEN_RUN_STATUSES,
    Consultation,
    ConsultationStatus,
    Process,
    ProcessRun,
    ProcessScope,
    ProcessStatus,
    ProcessStep,
    WorkItem,
)

from .spec import COMMUNE, Route, TierAbolition

#: The history line written on every dossier carried over (DossierEvent.action).
CARRY_OVER_ACTION = "reorganised"


def open_dossiers(agency: Agency):
    """Dossiers that are not finished (drafts included): they follow the agency's successor."""
    return Dossier.objects.filter(agency=agency).exclude(status__in=list(FINAL_STATUSES))


def move_dossiers(*, actor, plan, route: Route, agencies: dict[str, Agency], limit: int) -> int:
    """Carry up to `limit` open dossiers of `route.source` to their successor; returns how many moved."""
    source = agencies[route.source]
    batch = list(
        open_dossiers(source).select_related("procedure").select_for_update(of=("self",)).order_by("pk")[:limit]
    )
    for dossier in batch:
        target = agencies[route.target_for(dossier.procedure.code)]
        before = {"agency": source.code}
        dossier.agency = target
        dossier.save(update_fields=["agency", "updated_at"])
        runs = ProcessRun.objects.filter(dossier=dossier, status__in=list(OPEN_RUN_STATUSES), agency=source)
        run_ids = list(runs.values_list("pk", flat=True))
        runs.update(agency=target)
        WorkItem.objects.filter(run_id__in=run_ids, completed_at__isnull=True, agency=source).update(agency=target)
        record_event(
            dossier=dossier,
            actor=actor,
            action=CARRY_OVER_ACTION,
            from_status=dossier.status,
            to_status=dossier.status,
            note=f"{plan.title}: chuyển từ {source.name} sang {target.name} (giữ mã hồ sơ và hạn giải quyết).",
            before=before,
        )
    return len(batch)


def move_roles(*, actor, route: Route, agencies: dict[str, Agency]) -> dict:
    """Officers of the old unit hold the same roles at its primary successor (a duplicate is deactivated)."""
    source, heir = agencies[route.source], agencies[route.primary]
    moved = merged = 0
    for assignment in RoleAssignment.objects.filter(agency=source).select_related("user"):
        existing = RoleAssignment.objects.filter(user=assignment.user, role=assignment.role, agency=heir).first()
        before = {"user": assignment.user.username, "role": assignment.role, "agency": source.code}
        if existing is None:
            assignment.agency = heir
            assignment.save(update_fields=["agency", "updated_at"])
            moved += 1
        else:
            if assignment.active and not existing.active:
                existing.active = True
                existing.save(update_fields=["active", "updated_at"])
            assignment.active = False
            assignment.save(update_fields=["active", "updated_at"])
            merged += 1
        audit_record(
            actor=actor,
            action="role.reorganised",
            obj=assignment,
            before=before,
            after={"user": assignment.user.username, "role": assignment.role, "agency": heir.code},
        )
    return {"moved": moved, "merged": merged}


def _close(row: Offering, day: datetime.date) -> None:
    row.valid_to = max(row.valid_from, day - datetime.timedelta(days=1))
    row.save(update_fields=["valid_to", "updated_at"])


def _offering_copy(row: Offering, *, agency: Agency | None, tier: str, day: datetime.date) -> Offering:
    is_exception = bool(agency is not None and agency.tier != Tier.PROVINCE and row.is_exception)
    return Offering.objects.create(
        procedure=row.procedure,
        agency=agency,
        tier="" if agency is not None else tier,
        online_level=row.online_level,
        offered=row.offered,
        is_exception=is_exception,
        justification=row.justification if is_exception else "",
        valid_from=day,
        decision=row.decision,
    )


def move_offerings(*, actor, plan, route: Route, agencies: dict[str, Agency]) -> dict:
    """The old unit's own offerings (and catalogue exceptions) close the day before; its successors offer them."""
    day = plan.effective_on
    source = agencies[route.source]
    moved = kept = 0
    for row in Offering.objects.active_on(day).filter(agency=source).select_related("procedure"):
        target = agencies[route.target_for(row.procedure.code)]
        before = {"procedure": row.procedure.code, "agency": source.code, "valid_to": None}
        has_own = Offering.objects.active_on(day).filter(procedure=row.procedure, agency=target).exists()
        if row.valid_from >= day:
            if has_own:
                row.delete()
            else:
                row.agency = target
                row.save(update_fields=["agency", "updated_at"])
        else:
            _close(row, day)
            if not has_own:
                _offering_copy(row, agency=target, tier="", day=day)
        moved += 0 if has_own else 1
        kept += 1 if has_own else 0
        audit_record(
            actor=actor,
            action="offering.reorganised",
            obj=row.procedure,
            before=before,
            after={"procedure": row.procedure.code, "agency": target.code, "valid_from": day.isoformat()},
        )
    return {"moved": moved, "already_offered": kept}


def _next_version(qs) -> int:
    return (qs.order_by("-version").values_list("version", flat=True).first() or 0) + 1


def _in_force_q(day: datetime.date):
    return Q(status__in=DECIDED_STATUSES) & (Q(retired_on__isnull=True) | Q(retired_on__gt=day))


def _retire(process: Process, day: datetime.date) -> None:
    process.retired_on = day
    process.save(update_fields=["retired_on", "updated_at"])


def move_processes(*, actor, plan, route: Route, agencies: dict[str, Agency]) -> dict:
    """The old unit's own processes go to the unit that takes the procedure, unless it has its own in force (then
    the old one retires on the effective date); open runs keep the version they were pinned to."""
    day = plan.effective_on
    source = agencies[route.source]
    moved = retired = 0
    for process in Process.objects.filter(scope=ProcessScope.AGENCY, agency=source).exclude(
        status=ProcessStatus.RETIRED
    ):
        target = agencies[route.target_for(process.procedure.code)]
        before = {"agency": source.code, "version": process.version, "retired_on": None}
        theirs = Process.objects.filter(scope=ProcessScope.AGENCY, agency=target, procedure=process.procedure)
        if theirs.filter(_in_force_q(day)).exists() and process.status in DECIDED_STATUSES:
            _retire(process, day)
            retired += 1
            after = {"agency": source.code, "retired_on": day.isoformat()}
        else:
            if theirs.filter(version=process.version).exists():
                process.version = _next_version(theirs)
            process.agency = target
            if process.owner_agency_id == source.pk:
                process.owner_agency = target
            process.save(update_fields=["agency", "owner_agency", "version", "updated_at"])
            moved += 1
            after = {"agency": target.code, "version": process.version}
        audit_record(actor=actor, action="process.reorganised", obj=process, before=before, after=after)
    heir = agencies[route.primary]
    owned = Process.objects.filter(owner_agency=source).exclude(agency=source)
    owned_count = owned.update(owner_agency=heir)
    steps = ProcessStep.objects.filter(other_agency=source).update(other_agency=heir)
    consultations = Consultation.objects.filter(agency=source, status=ConsultationStatus.PENDING).update(agency=heir)
    if owned_count or steps or consultations:
        audit_record(
            actor=actor,
            action="process.reorganised",
            obj=source,
            after={"owner_agency": heir.code, "owned": owned_count, "steps": steps, "consultations": consultations},
        )
    return {"moved": moved, "retired": retired, "steps": steps, "consultations": consultations}


def abolish_tier(*, actor, plan, abolition: TierAbolition, agencies: dict[str, Agency]) -> dict:
    """The tier's templates (offerings, processes) go down to the commune tier or up to the named agency, per
    procedure; procedures stop naming the abolished tier."""
    day = plan.effective_on
    tier = abolition.tier
    counts = {"offerings": 0, "processes": 0, "procedures": 0}

    def destination(code: str) -> str | None:
        return abolition.procedures.get(code) or abolition.default

    for row in Offering.objects.active_on(day).filter(agency__isnull=True, tier=tier).select_related("procedure"):
        dest = destination(row.procedure.code)
        if dest is None:
            continue
        if dest == COMMUNE:
            if (
                not Offering.objects.active_on(day)
                .filter(procedure=row.procedure, agency__isnull=True, tier=COMMUNE)
                .exists()
            ):
                _offering_copy(row, agency=None, tier=COMMUNE, day=day)
        elif not Offering.objects.active_on(day).filter(procedure=row.procedure, agency=agencies[dest]).exists():
            _offering_copy(row, agency=agencies[dest], tier="", day=day)
        _close(row, day)
        counts["offerings"] += 1
        audit_record(
            actor=actor,
            action="offering.reorganised",
            obj=row.procedure,
            before={"procedure": row.procedure.code, "tier": tier},
            after={"procedure": row.procedure.code, "to": dest, "valid_from": day.isoformat()},
        )
    for process in Process.objects.filter(scope=ProcessScope.TIER, tier=tier).exclude(status=ProcessStatus.RETIRED):
        dest = destination(process.procedure.code)
        if dest is None:
            continue
        if dest == COMMUNE:
            theirs = Process.objects.filter(scope=ProcessScope.TIER, tier=COMMUNE, procedure=process.procedure)
        else:
            theirs = Process.objects.filter(
                scope=ProcessScope.AGENCY, agency=agencies[dest], procedure=process.procedure
            )
        before = {"tier": tier, "version": process.version}
        if theirs.filter(_in_force_q(day)).exists() and process.status in DECIDED_STATUSES:
            _retire(process, day)
            after = {"retired_on": day.isoformat()}
        else:
            if theirs.filter(version=process.version).exists():
                process.version = _next_version(theirs)
            if dest == COMMUNE:
                process.tier = COMMUNE
            else:
                process.scope, process.tier, process.agency = ProcessScope.AGENCY, "", agencies[dest]
            process.save(update_fields=["scope", "tier", "agency", "version", "updated_at"])
            after = {"to": dest, "version": process.version}
        counts["processes"] += 1
        audit_record(actor=actor, action="process.reorganised", obj=process, before=before, after=after)
    for procedure in Procedure.objects.for_tier(tier):
        dest = destination(procedure.code)
        tiers = [t for t in procedure.tier_list if t != tier]
        if dest == COMMUNE and COMMUNE not in tiers:
            tiers.append(COMMUNE)
        elif dest not in (None, COMMUNE) and agencies[dest].tier not in tiers:
            tiers.append(agencies[dest].tier)
        order = [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE]
        before = {"tiers": procedure.tiers}
        procedure.tiers = pack_list(sorted(set(tiers), key=order.index))
        procedure.save(update_fields=["tiers", "updated_at"])
        counts["procedures"] += 1
        audit_record(
            actor=actor, action="procedure.reorganised", obj=procedure, before=before, after={"tiers": procedure.tiers}
        )
    return counts

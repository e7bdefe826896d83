"""Writing process definitions and moving them through approval.

Lifecycle (Plan 111/KH-UBND, section on internal processes): an agency drafts the process of a procedure and
submits it (`agency_admin` or `leader` of the owning agency); the Provincial Office checks it
(`province_admin`: reviewed); the Chairman of the Provincial People's Committee approves it by a decision, which
the Provincial Office records (`province_admin`: decision number, date, signer; approved); it applies from
`active_from` (active) and is retired when a newer version of the same scope becomes active. Nobody reviews or
approves a process of an agency they belong to: the control is external to the agency that wrote it.

Running dossiers keep the version they started with (`ProcessRun.process`), so activating a new version never
changes a dossier in progress.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies, user_has_any_role, user_has_role
from dichvucong.agencies.models import Agency, Tier
from dichvucong.agencies.selectors import require_tier_in_model
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from .models import Process, ProcessScope, ProcessStatus, ProcessStep, ProcessTransition
from .validation import StepSpec, fill_default_transitions, validate_definition

DRAFTERS = (Role.AGENCY_ADMIN, Role.LEADER)


# --- reading a definition ----------------------------------------------------------------------------------------


def specs_from_payload(steps: list[dict]) -> list[StepSpec]:
    """API/demo shape → StepSpec. A step: {key?, name, role, duration_hours | duration_days, actions,
    next?: {action: key | [keys] | null}, is_start?, other_agency?}."""
    specs = []
    for index, raw in enumerate(steps or [], start=1):
        hours = raw.get("duration_hours")
        if hours is None and raw.get("duration_days") is not None:
            hours = Decimal(str(raw["duration_days"])) * 8
        transitions = {}
        for action, target in (raw.get("next") or {}).items():
            transitions[action] = list(target) if isinstance(target, list | tuple) else [target]
        specs.append(
            StepSpec(
                key=str(raw.get("key") or f"b{index}"),
                name=str(raw.get("name") or "").strip() or f"Bước {index}",
                role=str(raw.get("role") or ""),
                duration_hours=hours if hours is not None else Decimal(0),
                actions=[str(a) for a in raw.get("actions") or []],
                order=index,
                is_start=bool(raw.get("is_start")),
                other_agency_code=str(raw.get("other_agency") or ""),
                transitions=transitions,
            )
        )
    fill_default_transitions(specs)
    return specs


def specs_from_process(process: Process) -> list[StepSpec]:
    steps = list(process.steps.select_related("other_agency"))
    by_id = {s.pk: s for s in steps}
    specs = {
        s.pk: StepSpec(
            key=s.key,
            name=s.name,
            role=s.role,
            duration_hours=s.duration_hours,
            actions=list(s.actions),
            order=s.order,
            is_start=s.is_start,
            other_agency_code=s.other_agency.code if s.other_agency_id else "",
        )
        for s in steps
    }
    for transition in process.transitions.all():
        target = by_id[transition.to_step_id].key if transition.to_step_id else None
        specs[transition.from_step_id].transitions.setdefault(transition.action, []).append(target)
    return list(specs.values())


def _raise_issues(issues) -> None:
    if issues:
        raise ValidationFailed(
            "; ".join(issue.detail for issue in issues),
            code=issues[0].code,
            fields={"steps": [{"code": i.code, "detail": i.detail, "step": i.step} for i in issues]},
        )


def process_check(process: Process) -> None:
    """Raise ValidationFailed (first issue's code) if the stored definition breaks a rule of validation.py."""
    _raise_issues(validate_definition(specs_from_process(process), legal_days=process.procedure.processing_days))


# --- permissions -------------------------------------------------------------------------------------------------


def _require_drafter(actor, process_or_agency) -> None:
    agency = process_or_agency if isinstance(process_or_agency, Agency) else process_or_agency.owner_agency
    if not user_has_any_role(actor, DRAFTERS, agency=agency):
        raise PermissionDeniedError(
            _("Chỉ quản trị hoặc lãnh đạo của %s được soạn và trình quy trình này.") % agency.name,
            code="not_process_owner",
        )


def _require_controller(actor, process: Process, what: str) -> None:
    """The Provincial Office (province_admin), never for a process of an agency the actor belongs to."""
    if not user_has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError(
            _("Chỉ Văn phòng UBND tỉnh (quản trị cấp tỉnh) được %s quy trình.") % what, code="not_province_admin"
        )
    if any(agency.pk == process.owner_agency_id for agency in user_agencies(actor)):
        raise PermissionDeniedError(
            _("Không được %s quy trình do chính cơ quan mình xây dựng.") % what, code="own_agency_process"
        )


def _require_status(process: Process, *statuses: str) -> None:
    if process.status not in statuses:
        raise ConflictError(
            _("Không thể thực hiện khi quy trình đang ở trạng thái «%s».") % ProcessStatus(process.status).label,
            code="invalid_process_status",
        )


# --- drafting ----------------------------------------------------------------------------------------------------


def _check_scope(
    *, procedure, scope: str, agency: Agency | None, tier: str, owner_agency: Agency, justification: str
) -> None:
    if scope == ProcessScope.TIER:
        if tier not in Tier.values or tier not in procedure.tier_list:
            raise ValidationFailed(
                _("Thủ tục này không thực hiện ở cấp «%s».") % tier,
                code="invalid_tier",
                fields={"tier": [_("Cấp không hợp lệ cho thủ tục.")]},
            )
        require_tier_in_model(tier)
        return
    if scope != ProcessScope.AGENCY or agency is None:
        raise ValidationFailed(
            _("Phạm vi phải là một cơ quan hoặc một cấp."),
            code="invalid_scope",
            fields={"scope": [_("Phạm vi không hợp lệ.")]},
        )
    if agency.tier not in procedure.tier_list:
        raise ValidationFailed(_("%s không thực hiện thủ tục ở cấp này.") % agency.name, code="invalid_tier")
    if agency.pk != owner_agency.pk:
        raise ValidationFailed(
            _("Quy trình riêng của một cơ quan do chính cơ quan đó xây dựng."), code="owner_must_be_agency"
        )
    if agency.tier in (Tier.DISTRICT, Tier.COMMUNE) and not justification.strip():
        raise ValidationFailed(
            _("Quy trình cấp huyện, cấp xã phải thống nhất; quy trình riêng cho %s cần nêu lý do ngoại lệ.")
            % agency.name,
            code="exception_needs_justification",
            fields={"justification": [_("Bắt buộc với ngoại lệ.")]},
        )


def _write_steps(process: Process, specs: list[StepSpec]) -> None:
    process.transitions.all().delete()
    process.steps.all().delete()
    codes = {s.other_agency_code for s in specs if s.other_agency_code}
    others = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    if codes - set(others):
        raise ValidationFailed(
            _("Không tìm thấy cơ quan phối hợp %s.") % ", ".join(sorted(codes - set(others))), code="unknown_agency"
        )
    steps = {
        spec.key: ProcessStep.objects.create(
            process=process,
            key=spec.key,
            order=spec.order,
            name=spec.name,
            role=spec.role,
            duration_hours=Decimal(str(spec.duration_hours)),
            actions=spec.actions,
            is_start=spec.is_start,
            other_agency=others.get(spec.other_agency_code),
        )
        for spec in specs
    }
    ProcessTransition.objects.bulk_create(
        [
            ProcessTransition(
                process=process, from_step=steps[spec.key], action=action, to_step=steps[target] if target else None
            )
            for spec in specs
            for action, targets in spec.transitions.items()
            for target in targets
        ]
    )


def _summary(process: Process) -> dict:
    return {
        "procedure": process.procedure_id,
        "scope": process.scope_code,
        "version": process.version,
        "status": process.status,
    }


def _new_version(
    *, procedure, owner_agency, scope, agency, tier, justification, name, steps, **fields
) -> tuple[Process, list]:
    """Check the scope and the steps, then create the scope's next version (last version + 1) with `fields`
    (draft or approved); the caller writes the steps and the audit row."""
    _check_scope(
        procedure=procedure,
        scope=scope,
        agency=agency,
        tier=tier,
        owner_agency=owner_agency,
        justification=justification,
    )
    specs = specs_from_payload(steps)
    _raise_issues(validate_definition(specs, legal_days=procedure.processing_days))
    tier = tier if scope == ProcessScope.TIER else ""
    same_scope = Process.objects.filter(procedure=procedure, scope=scope, agency=agency, tier=tier)
    process = Process.objects.create(
        procedure=procedure,
        scope=scope,
        agency=agency if scope == ProcessScope.AGENCY else None,
        tier=tier,
        justification=justification,
        owner_agency=owner_agency,
        version=(same_scope.aggregate(v=Max("version"))["v"] or 0) + 1,
        name=name or procedure.name,
        **fields,
    )
    return process, specs


@transaction.atomic
def process_create(
    *,
    actor,
    procedure,
    owner_agency: Agency,
    scope: str,
    agency: Agency | None = None,
    tier: str = "",
    justification: str = "",
    name: str = "",
    steps: list[dict],
) -> Process:
    """A new draft: version = last version of the same scope + 1."""
    _require_drafter(actor, owner_agency)
    process, specs = _new_version(
        procedure=procedure,
        owner_agency=owner_agency,
        scope=scope,
        agency=agency,
        tier=tier,
        justification=justification,
        name=name,
        steps=steps,
        created_by=actor,
    )
    _write_steps(process, specs)
    audit_record(actor=actor, action="process.create", obj=process, after=_summary(process))
    return process


@transaction.atomic
def process_set_steps(*, actor, process: Process, steps: list[dict]) -> Process:
    """Replace the steps of a draft (only drafts change; a decided version is immutable)."""
    _require_drafter(actor, process)
    _require_status(process, ProcessStatus.DRAFT)
    specs = specs_from_payload(steps)
    _raise_issues(validate_definition(specs, legal_days=process.procedure.processing_days))
    _write_steps(process, specs)
    audit_record(
        actor=actor,
        action="process.set_steps",
        obj=process,
        after={"steps": [f"{s.key}:{s.role}:{s.duration_hours}" for s in specs]},
    )
    return process


@transaction.atomic
def process_new_version(*, actor, process: Process) -> Process:
    """A draft copy of `process` as the next version of the same scope."""
    _require_drafter(actor, process)
    steps = [
        {
            "key": s.key,
            "name": s.name,
            "role": s.role,
            "duration_hours": s.duration_hours,
            "actions": s.actions,
            "is_start": s.is_start,
            "other_agency": s.other_agency_code,
            "next": s.transitions,
        }
        for s in sorted(specs_from_process(process), key=lambda s: s.order)
    ]
    return process_create(
        actor=actor,
        procedure=process.procedure,
        owner_agency=process.owner_agency,
        scope=process.scope,
        agency=process.agency,
        tier=process.tier,
        justification=process.justification,
        name=process.name,
        steps=steps,
    )


# --- approval ----------------------------------------------------------------------------------------------------


@transaction.atomic
def process_submit(*, actor, process: Process) -> Process:
    _require_drafter(actor, process)
    _require_status(process, ProcessStatus.DRAFT)
    process_check(process)
    before = _summary(process)
    process.status, process.submitted_by, process.submitted_at = ProcessStatus.SUBMITTED, actor, timezone.now()
    process.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="process.submit", obj=process, before=before, after=_summary(process))
    return process


@transaction.atomic
def process_review(*, actor, process: Process, note: str = "") -> Process:
    _require_controller(actor, process, _("kiểm soát"))
    _require_status(process, ProcessStatus.SUBMITTED)
    process_check(process)
    process.status, process.reviewed_by, process.reviewed_at = ProcessStatus.REVIEWED, actor, timezone.now()
    process.review_note = note
    process.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    audit_record(actor=actor, action="process.review", obj=process, after={**_summary(process), "note": note})
    return process


@transaction.atomic
def process_send_back(*, actor, process: Process, note: str) -> Process:
    """The Provincial Office returns a submitted or reviewed draft to its agency with its remarks."""
    _require_controller(actor, process, _("trả lại"))
    _require_status(process, ProcessStatus.SUBMITTED, ProcessStatus.REVIEWED)
    if not note.strip():
        raise ValidationFailed(_("Cần nêu lý do trả lại."), code="note_required", fields={"note": [_("Bắt buộc.")]})
    process.status, process.review_note = ProcessStatus.DRAFT, note
    process.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(actor=actor, action="process.send_back", obj=process, after={**_summary(process), "note": note})
    return process


@transaction.atomic
def process_approve(
    *,
    actor,
    process: Process,
    decision_number: str,
    decision_date: datetime.date,
    decision_signer: str,
    active_from: datetime.date,
) -> Process:
    """Record the Chairman's approval decision; the process applies from `active_from` (activated now if due)."""
    _require_controller(actor, process, _("phê duyệt"))
    _require_status(process, ProcessStatus.REVIEWED)
    if not decision_number.strip() or not decision_signer.strip():
        raise ValidationFailed(
            _("Cần số quyết định và người ký quyết định phê duyệt."),
            code="decision_required",
            fields={"decision_number": [_("Bắt buộc.")]},
        )
    if active_from < decision_date:
        raise ValidationFailed(
            _("Ngày áp dụng không được trước ngày quyết định."),
            code="active_before_decision",
            fields={"active_from": [_("Không hợp lệ.")]},
        )
    process_check(process)
    process.status, process.approved_by, process.approved_at = ProcessStatus.APPROVED, actor, timezone.now()
    process.decision_number, process.decision_date = decision_number.strip(), decision_date
    process.decision_signer, process.active_from = decision_signer.strip(), active_from
    process.save()
    audit_record(
        actor=actor,
        action="process.approve",
        obj=process,
        after={
            **_summary(process),
            "decision": process.decision_number,
            "decision_date": decision_date,
            "signer": process.decision_signer,
            "active_from": active_from,
        },
    )
    if active_from <= timezone.localdate():
        process_activate(actor=actor, process=process)
    return process


@transaction.atomic
def process_activate(*, actor, process: Process) -> Process:
    """Approved → active on its `active_from`; the previous active version of the same scope is retired."""
    _require_status(process, ProcessStatus.APPROVED)
    if process.active_from is None or process.active_from > timezone.localdate():
        raise ConflictError(_("Quy trình chưa đến ngày áp dụng."), code="not_yet_active")
    previous = (
        Process.objects.select_for_update()
        .filter(
            procedure_id=process.procedure_id,
            scope=process.scope,
            agency_id=process.agency_id,
            tier=process.tier,
            status=ProcessStatus.ACTIVE,
        )
        .exclude(pk=process.pk)
    )
    for old in previous:
        old.status, old.retired_on = ProcessStatus.RETIRED, process.active_from
        old.save(update_fields=["status", "retired_on", "updated_at"])
        audit_record(actor=actor, action="process.retire", obj=old, after=_summary(old))
    process.status = ProcessStatus.ACTIVE
    process.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="process.activate", obj=process, after=_summary(process))
    return process


def processes_activate_due(*, actor="system", today: datetime.date | None = None) -> int:
    """Activate every approved version whose `active_from` has come (daily task). Returns how many."""
    today = today or timezone.localdate()
    due = Process.objects.filter(status=ProcessStatus.APPROVED, active_from__lte=today).order_by("version")
    count = 0
    for process in due:
        process_activate(actor=actor, process=process)
        count += 1
    return count


@transaction.atomic
def process_import_approved(
    *,
    actor,
    procedure,
    owner_agency: Agency,
    scope: str,
    agency: Agency | None = None,
    tier: str = "",
    justification: str = "",
    name: str = "",
    steps: list[dict],
    decision_number: str,
    decision_date: datetime.date,
    decision_signer: str,
    active_from: datetime.date,
) -> Process:
    """Record a process approved outside the system (paper decisions before go-live, the demo): validated like
    any other, stored as approved with its decision and activated if due. Province administrators or the system
    (a string actor: loader, management command) only."""
    if not isinstance(actor, str) and not user_has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError(
            _("Chỉ Văn phòng UBND tỉnh được nhập quy trình đã phê duyệt."), code="not_province_admin"
        )
    process, specs = _new_version(
        procedure=procedure,
        owner_agency=owner_agency,
        scope=scope,
        agency=agency,
        tier=tier,
        justification=justification,
        name=name,
        steps=steps,
        status=ProcessStatus.APPROVED,
        decision_number=decision_number,
        decision_date=decision_date,
        decision_signer=decision_signer,
        active_from=active_from,
        approved_at=timezone.now(),
        approved_by=None if isinstance(actor, str) else actor,
    )
    _write_steps(process, specs)
    audit_record(
        actor=actor,
        action="process.import_approved",
        obj=process,
        after={**_summary(process), "decision": decision_number},
    )
    if active_from <= timezone.localdate():
        process_activate(actor=actor, process=process)
    return process

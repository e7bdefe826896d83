"""Writes of reorganisation plans: draft, approve, apply (resumable, one transaction per batch, audited).

Applying walks fixed steps; each batch runs in its own transaction that also writes its `JournalEntry`, so a crash
loses at most the batch in flight (rolled back whole) and applying again resumes after the last committed batch:
`structure` (new units, renames, moves, successions) → per closing unit `dossiers:<code>:<n>` (open dossiers in
batches, until none is left) → `roles:<code>` → `offerings:<code>` → `processes:<code>` → per abolished tier
`tier:<tier>` → `close` (old units' `valid_to`, the province's tier model; the plan becomes `applied`).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.agencies import services as agency_services
from dichvucong.agencies.models import Agency, SuccessionKind, TierModel
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from . import carryover
from .models import JournalEntry, Operation, OperationKind, Plan, PlanStatus
from .spec import Resolved, resolve

#: Open dossiers carried over per transaction.
DOSSIER_BATCH = 200

_SUCCESSION_KIND = {"merge": SuccessionKind.MERGE, "split": SuccessionKind.SPLIT, "abolish": SuccessionKind.ABOLISH}


def require_province_admin(actor) -> None:
    if isinstance(actor, str):  # the scheduler, a command, the demo loader
        return
    if not getattr(actor, "is_authenticated", False) or not user_has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError(
            "Chỉ Văn phòng UBND tỉnh (quản trị cấp tỉnh) được lập và áp dụng phương án sắp xếp.",
            code="province_admin_required",
        )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def plan_create(*, actor, title: str, legal_basis: str, effective_on: datetime.date, operations=()) -> Plan:
    """A draft plan with its operations `[{"kind": ..., "spec": {...}}, ...]` (checked by the preview)."""
    require_province_admin(actor)
    if not (title or "").strip() or not (legal_basis or "").strip():
        raise ValidationFailed("Phương án cần tên và căn cứ pháp lý.", code="plan_incomplete")
    plan = Plan.objects.create(
        title=title.strip(), legal_basis=legal_basis.strip(), effective_on=effective_on, created_by=_user(actor)
    )
    for operation in operations:
        _add(plan, operation["kind"], operation.get("spec") or {})
    audit_record(
        actor=actor,
        action="reorg_plan.create",
        obj=plan,
        after={"title": plan.title, "effective_on": effective_on.isoformat(), "operations": len(operations)},
    )
    return plan


def _add(plan: Plan, kind: str, spec: dict) -> Operation:
    if kind not in OperationKind.values:
        raise ValidationFailed(f"Loại sắp xếp «{kind}» không hợp lệ.", code="unknown_operation")
    order = (plan.operations.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return Operation.objects.create(plan=plan, order=order, kind=kind, spec=spec)


@transaction.atomic
def plan_add_operation(*, actor, plan: Plan, kind: str, spec: dict) -> Operation:
    require_province_admin(actor)
    if plan.status != PlanStatus.DRAFT:
        raise ConflictError("Chỉ sửa được phương án đang dự thảo.", code="plan_not_draft")
    operation = _add(plan, kind, spec)
    audit_record(actor=actor, action="reorg_plan.add_operation", obj=plan, after={"kind": kind, "spec": spec})
    return operation


def _raise_blocking(resolved: Resolved) -> None:
    blocking = resolved.blocking
    if blocking:
        raise ValidationFailed(
            blocking[0].detail,
            code=blocking[0].code,
            fields={"issues": [f"{issue.code}: {issue.detail}" for issue in blocking]},
        )


def _touched_codes(resolved: Resolved) -> set[str]:
    codes = set(resolved.routes)
    for route in resolved.routes.values():
        codes |= route.targets
    codes |= {code for code, *_ in resolved.renames} | {code for code, _ in resolved.moves}
    return codes


def _check_dates(plan: Plan, resolved: Resolved) -> None:
    """Plans take effect one after another: not two on the same day, not one before a later plan it touches."""
    mine = _touched_codes(resolved)
    others = Plan.objects.exclude(pk=plan.pk).filter(
        status__in=[PlanStatus.APPROVED, PlanStatus.APPLYING, PlanStatus.APPLIED]
    )
    for other in others:
        if other.effective_on == plan.effective_on:
            raise ValidationFailed(
                f"Phương án «{other.title}» cũng có hiệu lực ngày {other.effective_on:%d/%m/%Y}: gộp hai phương án "
                "hoặc chọn ngày khác.",
                code="plan_dates_overlap",
            )
        if other.effective_on > plan.effective_on and mine & _touched_codes(resolve(other)):
            raise ValidationFailed(
                f"Phương án «{other.title}» (hiệu lực {other.effective_on:%d/%m/%Y}) đã sắp xếp cùng cơ quan từ ngày "
                "sau: phương án có hiệu lực sớm hơn không thể áp dụng sau nó.",
                code="plan_dates_overlap",
            )


@transaction.atomic
def plan_approve(*, actor, plan: Plan) -> Plan:
    """Approve a draft with no blocking problem and no overlapping date (nothing changes otherwise)."""
    require_province_admin(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ConflictError("Phương án này không còn ở trạng thái dự thảo.", code="plan_not_draft")
    resolved = resolve(plan)
    _raise_blocking(resolved)
    _check_dates(plan, resolved)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = _user(actor)
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(
        actor=actor, action="reorg_plan.approve", obj=plan, before={"status": "draft"}, after={"status": plan.status}
    )
    return plan


# --- applying -----------------------------------------------------------------------------------------------------


def _checkpoint(key: str) -> None:
    """Called inside each batch's transaction, before its journal row: the point where a crash is simulated in tests."""


def _done(plan: Plan) -> set[str]:
    return set(plan.journal.values_list("key", flat=True))


def _batch(plan: Plan, key: str, work) -> dict | None:
    """Run `work()` and journal `key` in one transaction, unless `key` is already journalled."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.journal.filter(key=key).exists():
            return None
        detail = work() or {}
        _checkpoint(key)
        JournalEntry.objects.create(plan=locked, key=key, done_at=timezone.now(), detail=detail)
        return detail


def _agencies(resolved: Resolved) -> dict[str, Agency]:
    codes = _touched_codes(resolved) | {a.parent for a in resolved.abolitions}
    return {a.code: a for a in Agency.objects.filter(code__in=codes)}


def _structure(*, actor, plan: Plan, resolved: Resolved) -> dict:
    day = plan.effective_on
    created = {}
    for new in resolved.creates:
        existing = Agency.objects.filter(code=new.code).first()
        parent = Agency.objects.get(code=new.parent)
        created[new.code] = existing or agency_services.agency_create(
            actor=actor,
            code=new.code,
            name=new.name,
            short_name=new.short_name,
            tier=new.tier,
            kind=new.kind,
            parent=parent,
            valid_from=day,
        )
    for code, name, short_name in resolved.renames:
        agency_services.agency_rename(
            actor=actor, agency=Agency.objects.get(code=code), name=name, short_name=short_name, reason=plan.title
        )
    for code, parent in resolved.moves:
        agency_services.agency_move(
            actor=actor, agency=Agency.objects.get(code=code), parent=Agency.objects.get(code=parent), reason=plan.title
        )
    # Units below a closing unit that the plan keeps go under the unit that takes its place: the province for an
    # abolished tier, the primary successor otherwise.
    moved_children = 0
    closing = set(resolved.routes)
    abolished_parent = {a.tier: a.parent for a in resolved.abolitions}
    for code, route in resolved.routes.items():
        new_parent_code = abolished_parent.get(Agency.objects.get(code=code).tier) if route.kind == "abolish" else None
        new_parent = Agency.objects.get(code=new_parent_code or route.primary)
        for child in Agency.objects.filter(parent__code=code).exclude(code__in=closing).active_on(day):
            agency_services.agency_move(actor=actor, agency=child, parent=new_parent, reason=plan.title)
            moved_children += 1
    agencies = _agencies(resolved)
    for route in resolved.routes.values():
        source = agencies[route.source]
        kind = _SUCCESSION_KIND[route.kind]
        agency_services.agency_succession_record(
            actor=actor,
            predecessor=source,
            successor=agencies[route.primary],
            effective_on=day,
            kind=kind,
            primary=True,
            legal_basis=plan.legal_basis,
        )
        for other in sorted(route.targets - {route.primary}):
            agency_services.agency_succession_record(
                actor=actor,
                predecessor=source,
                successor=agencies[other],
                effective_on=day,
                kind=kind,
                primary=False,
                legal_basis=plan.legal_basis,
            )
    return {"created": len(created), "renamed": len(resolved.renames), "moved": len(resolved.moves) + moved_children}


def _close(*, actor, plan: Plan, resolved: Resolved) -> dict:
    day = plan.effective_on
    last_day = day - datetime.timedelta(days=1)
    closed = 0
    for code in resolved.routes:
        agency = Agency.objects.get(code=code)
        if agency.valid_to is None or agency.valid_to > last_day:
            agency_services.agency_retire(actor=actor, agency=agency, valid_to=max(last_day, agency.valid_from))
            closed += 1
    for abolition in resolved.abolitions:
        agency_services.province_tier_model_change(
            actor=actor,
            tier_model=TierModel.TWO_TIER,
            since=day,
            vocabulary_2025_since=day if abolition.vocabulary_2025 else None,
        )
    locked = Plan.objects.get(pk=plan.pk)
    locked.status = PlanStatus.APPLIED
    locked.applied_at = timezone.now()
    locked.save(update_fields=["status", "applied_at", "updated_at"])
    audit_record(
        actor=actor, action="reorg_plan.applied", obj=locked, before={"status": "applying"}, after={"status": "applied"}
    )
    return {"closed": closed}


def plan_apply(*, actor, plan: Plan, today: datetime.date | None = None, batch_size: int = DOSSIER_BATCH) -> dict:
    """Apply an approved plan whose date has come, or resume one that stopped half-way. Not atomic as a whole: one
    transaction per batch, each journalled (see the module docstring). Returns counts per step."""
    require_province_admin(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == PlanStatus.APPLIED:
            raise ConflictError(
                f"Phương án «{plan.title}» đã được áp dụng ngày {timezone.localtime(plan.applied_at):%d/%m/%Y}; "
                "không áp dụng lại.",
                code="plan_already_applied",
            )
        if plan.status == PlanStatus.DRAFT:
            raise ConflictError("Phương án chưa được phê duyệt.", code="plan_not_approved")
        if plan.effective_on > today:
            raise ConflictError(
                f"Phương án có hiệu lực từ ngày {plan.effective_on:%d/%m/%Y}; chưa đến ngày áp dụng.",
                code="plan_not_yet_effective",
            )
        resolved = resolve(plan)
        if plan.status == PlanStatus.APPROVED:
            # Checked again: the tree may have changed since approval (a resumed plan has already changed it).
            _raise_blocking(resolved)
            plan.status = PlanStatus.APPLYING
            plan.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="reorg_plan.apply_start",
                obj=plan,
                before={"status": "approved"},
                after={"status": "applying"},
            )
    summary: dict[str, dict] = {}
    done = _done(plan)
    if "structure" not in done:
        summary["structure"] = _batch(plan, "structure", lambda: _structure(actor=actor, plan=plan, resolved=resolved))
    agencies = _agencies(resolved)
    for code, route in resolved.routes.items():
        key = f"dossiers:{code}"
        if key not in done:
            while True:
                number = plan.journal.filter(key__startswith=f"{key}:").count() + 1
                detail = _batch(
                    plan,
                    f"{key}:{number}",
                    lambda r=route: {
                        "moved": carryover.move_dossiers(
                            actor=actor, plan=plan, route=r, agencies=agencies, limit=batch_size
                        )
                    },
                )
                if detail is None or detail["moved"] < batch_size:
                    break
            batches = plan.journal.filter(key__startswith=f"{key}:").values_list("detail", flat=True)
            moved = sum(detail.get("moved", 0) for detail in batches)
            _batch(plan, key, lambda m=moved: {"moved": m})
            summary[key] = {"moved": moved}
        for step, function in (
            ("roles", carryover.move_roles),
            ("offerings", carryover.move_offerings),
            ("processes", carryover.move_processes),
        ):
            step_key = f"{step}:{code}"
            if step_key in done:
                continue
            if step == "roles":
                work = lambda r=route, f=function: f(actor=actor, route=r, agencies=agencies)  # noqa: E731
            else:
                work = lambda r=route, f=function: f(actor=actor, plan=plan, route=r, agencies=agencies)  # noqa: E731
            summary[step_key] = _batch(plan, step_key, work)
    for abolition in resolved.abolitions:
        key = f"tier:{abolition.tier}"
        if key not in done:
            summary[key] = _batch(
                plan,
                key,
                lambda a=abolition: carryover.abolish_tier(actor=actor, plan=plan, abolition=a, agencies=agencies),
            )
    summary["close"] = _batch(plan, "close", lambda: _close(actor=actor, plan=plan, resolved=resolved))
    return summary


def plans_apply_due(*, actor="system", today: datetime.date | None = None) -> list[str]:
    """Apply (or resume) every approved plan whose effective date has come, oldest first (the beat task)."""
    today = today or timezone.localdate()
    applied = []
    for plan in Plan.objects.filter(
        status__in=[PlanStatus.APPROVED, PlanStatus.APPLYING], effective_on__lte=today
    ).order_by("effective_on", "pk"):
        plan_apply(actor=actor, plan=plan, today=today)
        applied.append(str(plan.uuid))
    return applied

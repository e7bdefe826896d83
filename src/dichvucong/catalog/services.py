"""Writes to the catalogue: import, publishing decisions, agencies' change requests. Each writes audit rows.

Only the Provincial Office (role `province_admin`) publishes, imports and applies change requests (Plan
111/KH-UBND: the Office controls the catalogue; Decree 63/2010/NĐ-CP and 92/2017/NĐ-CP: the chairman publishes
the catalogue by decision). System actors (a string such as "demo-loader") are trusted callers.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_any_role, user_has_role
from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from .models import (
    CatalogChange,
    CatalogDecision,
    ChangeKind,
    ChangeRequest,
    ChangeRequestStatus,
    DecisionStatus,
    Procedure,
    ProcedureVersion,
)
from .records import (
    agencies_by_code,
    apply_record,
    apply_record_dates,
    embed_form_files,
    parse_date,
    procedure_to_record,
    record_errors,
)
from .selectors import procedures_with_details

# Agency roles that may send change requests for their agency.
REQUEST_ROLES = (Role.AGENCY_ADMIN, Role.LEADER, Role.DIVISION_HEAD)


def _is_system(actor) -> bool:
    return isinstance(actor, str)


def require_province_admin(actor) -> None:
    if _is_system(actor):
        return
    if not getattr(actor, "is_authenticated", False) or not user_has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError(
            "Chỉ Văn phòng UBND tỉnh (quản trị cấp tỉnh) được thực hiện thao tác này.", code="province_admin_required"
        )


def _record_version(
    procedure: Procedure,
    *,
    kind: str,
    effective: datetime.date,
    decision: CatalogDecision | None = None,
    note: str = "",
    snapshot: dict | None = None,
    pending: bool = False,
) -> ProcedureVersion:
    """Close the open version the day before `effective` and open a new one with the procedure as it now is (or
    with `snapshot`, the procedure as it will be on `effective` when the change waits for its day: `pending`)."""
    if snapshot is None:
        snapshot = procedure_to_record(procedures_with_details(Procedure.objects.filter(pk=procedure.pk)).get())
    for open_version in procedure.versions.filter(valid_to__isnull=True):
        open_version.valid_to = max(open_version.valid_from, effective - datetime.timedelta(days=1))
        open_version.save(update_fields=["valid_to", "updated_at"])
    return ProcedureVersion.objects.create(
        procedure=procedure,
        valid_from=effective,
        kind=kind,
        snapshot=snapshot,
        pending=pending,
        decision=decision,
        valid_to=procedure.valid_to if kind == ChangeKind.RETIRE else None,
        note=note[:300],
    )


# --- import -------------------------------------------------------------------------------------------------


class ImportRejected(ValidationFailed):
    """At least one row is invalid: nothing was applied. `fields["rows"]` lists every bad row."""

    default_code = "catalog_import_rejected"


def catalog_import(
    *,
    actor,
    records: list[tuple[str, dict]],
    problems: list[dict] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Apply procedure records all-or-nothing. `records`: [(row label such as "3" or "thu_tuc!5", record)].

    Every bad row is reported (label, field, reason) and nothing changes if any row is bad. `problems` are
    structural problems already found while reading the file (they also reject the import).
    """
    require_province_admin(actor)
    agencies = agencies_by_code()
    problems, seen = list(problems or []), {}
    waiting = dict(
        ProcedureVersion.objects.filter(pending=True)
        .order_by("valid_from")
        .values_list("procedure__code", "valid_from")
    )
    for label, record in records:
        child_rows = record.get("_rows", {}) if isinstance(record, dict) else {}
        for field, reason in record_errors(record, agencies):
            row_label = child_rows.get(field.split(".")[0], label)
            problems.append({"row": row_label, "field": field, "reason": reason})
        code = str(record.get("code") or "").strip() if isinstance(record, dict) else ""
        if code and code in seen:
            problems.append({"row": label, "field": "code", "reason": f"Mã {code} trùng với dòng {seen[code]}."})
        if code in waiting:
            problems.append(
                {
                    "row": label,
                    "field": "code",
                    "reason": (
                        f"Thủ tục {code} có quyết định công bố chờ hiệu lực từ ngày {waiting[code]:%d/%m/%Y}; "
                        "không nhập đè trước ngày đó."
                    ),
                }
            )
        seen.setdefault(code, label)
    if problems:
        raise ImportRejected(
            f"Tệp có {len({p['row'] for p in problems})} dòng không hợp lệ; chưa áp dụng gì.", fields={"rows": problems}
        )
    return _apply_import(actor=actor, records=records, agencies=agencies, progress=progress)


@transaction.atomic
def _apply_import(*, actor, records, agencies, progress) -> dict:
    created = updated = 0
    fields: dict = {}
    today = timezone.localdate()
    for index, (_label, record) in enumerate(records, start=1):
        procedure, was_created = apply_record(record, agencies=agencies, fields=fields, default_from=today)
        kind = ChangeKind.ADD if was_created else ChangeKind.CHANGE
        effective = procedure.valid_from if was_created else today
        _record_version(procedure, kind=kind, effective=effective, note="Nhập từ tệp")
        created += was_created
        updated += not was_created
        if progress:
            progress(index, len(records))
    audit_record(
        actor=actor,
        action="catalog.import",
        object_type="catalog.procedure",
        object_id="import",
        object_repr=f"{len(records)} thủ tục",
        after={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated, "total": len(records)}


def catalog_export_records(queryset=None, *, embed_files: bool = False) -> list[dict]:
    """Every procedure as a record; `embed_files` adds each blank form's bytes (JSON export, docs/catalog-format.md)."""
    qs = procedures_with_details(queryset if queryset is not None else Procedure.objects.all()).order_by("code")
    records = [procedure_to_record(procedure) for procedure in qs]
    return [embed_form_files(record) for record in records] if embed_files else records


# --- publishing decisions -------------------------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    actor,
    number: str,
    title: str,
    signed_on: datetime.date,
    signer: str,
    effective_on: datetime.date,
    changes: list[dict] | None = None,
) -> CatalogDecision:
    """A draft decision with its changes `[{"kind": add|change|retire, "procedure_code", "payload", "note"}]`."""
    require_province_admin(actor)
    if CatalogDecision.objects.filter(number=number).exists():
        raise ConflictError(f"Đã có quyết định số {number}.", code="decision_number_taken")
    if effective_on < signed_on:
        raise ValidationFailed(
            "Ngày có hiệu lực không thể trước ngày ký.",
            code="decision_dates_invalid",
            fields={"effective_on": ["Trước ngày ký."]},
        )
    decision = CatalogDecision.objects.create(
        number=number,
        title=title,
        signed_on=signed_on,
        signer=signer,
        effective_on=effective_on,
        created_by=None if _is_system(actor) else actor,
    )
    for change in changes or []:
        decision_add_change(actor=actor, decision=decision, **change)
    audit_record(
        actor=actor,
        action="catalog_decision.create",
        obj=decision,
        after={"number": number, "effective_on": effective_on, "changes": len(changes or [])},
    )
    return decision


@transaction.atomic
def decision_add_change(
    *, actor, decision: CatalogDecision, kind: str, procedure_code: str, payload: dict | None = None, note: str = ""
) -> CatalogChange:
    require_province_admin(actor)
    if decision.status != DecisionStatus.DRAFT:
        raise ConflictError("Quyết định đã công bố, không thể sửa.", code="decision_already_published")
    if kind not in ChangeKind.values:
        raise ValidationFailed("Loại thay đổi phải là add, change hoặc retire.", code="change_kind_invalid")
    change = CatalogChange.objects.create(
        decision=decision, kind=kind, procedure_code=procedure_code.strip(), payload=payload or {}, note=note
    )
    audit_record(
        actor=actor,
        action="catalog_decision.add_change",
        obj=decision,
        after={"kind": kind, "procedure_code": procedure_code},
    )
    return change


def _changed_record(change: CatalogChange, before: dict | None, effective: datetime.date) -> dict:
    """The full record a change leads to (from the record `before` it): old offerings closed the day before
    `effective`, new ones open."""
    day_before = effective - datetime.timedelta(days=1)
    if change.kind == ChangeKind.ADD:
        record = {**change.payload, "code": change.procedure_code}
        record.setdefault("valid_from", effective.isoformat())
        record["offerings"] = [
            {**row, "valid_from": row.get("valid_from") or effective.isoformat()}
            for row in record.get("offerings") or []
        ]
        return record
    record = {**before, **change.payload, "code": change.procedure_code}
    if "online_level" in change.payload and "online_mode" not in change.payload:
        record["online_mode"] = None  # follows the new level (NĐ 42/2022 mapping)
    kept, closing = [], []
    for row in before["offerings"]:
        start, end = parse_date(row["valid_from"]), parse_date(row["valid_to"])
        if start >= effective:
            continue  # superseded before it began
        if end is None or end >= effective:
            closing.append(row)
            row = {**row, "valid_to": day_before.isoformat()}
        kept.append(row)
    if change.kind == ChangeKind.RETIRE:
        record["valid_to"] = day_before.isoformat()
        record["offerings"] = kept
        return record
    if "offerings" in change.payload:
        new_rows = change.payload["offerings"]
    else:  # same units, new standard level (exceptions keep theirs)
        level = int(record["online_level"])
        new_rows = [
            {**row, "valid_to": None}
            if row["is_exception"]
            else {**row, "online_level": level, "online_mode": None, "valid_to": None}
            for row in closing
        ]
    record["offerings"] = kept + [{**row, "valid_from": effective.isoformat()} for row in new_rows]
    return record


def _change_base(current: Procedure) -> dict:
    """What a change starts from: the live record, with the content of a version still waiting for its day."""
    live = procedure_to_record(current)
    waiting = current.versions.filter(pending=True).order_by("-valid_from", "-id").first()
    if waiting is None:
        return live
    return {
        **waiting.snapshot,
        "valid_from": live["valid_from"],
        "valid_to": live["valid_to"],
        "offerings": live["offerings"],
    }


def _record_in_advance(
    record: dict, current: Procedure, agencies: dict, effective: datetime.date
) -> tuple[Procedure, dict]:
    """A change effective after today: the procedure as it will stand (taken by applying the record inside a
    savepoint that is rolled back), while only the dated parts (period, offerings) are written now."""
    savepoint = transaction.savepoint()
    applied, _ = apply_record(record, agencies=agencies, default_from=effective)
    snapshot = procedure_to_record(procedures_with_details(Procedure.objects.filter(pk=applied.pk)).get())
    transaction.savepoint_rollback(savepoint)
    return apply_record_dates(current, record, agencies=agencies, default_from=effective), snapshot


@transaction.atomic
def decision_publish(*, actor, decision: CatalogDecision) -> CatalogDecision:
    """Apply every change of the decision as of its effective date; all or nothing.

    A decision effective after today records its versions (and the dated offerings) at once, but a change's
    content reaches the live procedure only on the effective date (`versions_apply_due`, beat task
    `catalog.apply_due_versions`), so the catalogue of today does not show it early.
    """
    require_province_admin(actor)
    decision = CatalogDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise ConflictError("Quyết định đã được công bố.", code="decision_already_published")
    agencies, problems = agencies_by_code(), []
    changes = list(decision.changes.order_by("id"))
    if not changes:
        raise ValidationFailed("Quyết định chưa có nội dung thay đổi nào.", code="decision_empty")
    today = timezone.localdate()
    versions_apply_due(actor=actor, today=today, codes=[change.procedure_code for change in changes])
    for index, change in enumerate(changes, start=1):
        current = procedures_with_details(Procedure.objects.filter(code=change.procedure_code)).first()
        if change.kind == ChangeKind.ADD and current is not None:
            problems.append(
                {
                    "row": index,
                    "field": "procedure_code",
                    "reason": f"Thủ tục {change.procedure_code} đã có trong danh mục.",
                }
            )
            continue
        if change.kind != ChangeKind.ADD and current is None:
            problems.append(
                {
                    "row": index,
                    "field": "procedure_code",
                    "reason": f"Không có thủ tục {change.procedure_code} trong danh mục.",
                }
            )
            continue
        later = current.versions.filter(pending=True, valid_from__gt=decision.effective_on).first() if current else None
        if later is not None:
            problems.append(
                {
                    "row": index,
                    "field": "procedure_code",
                    "reason": (
                        f"Thủ tục {change.procedure_code} đã có thay đổi chờ hiệu lực từ ngày {later.valid_from:%d/%m/%Y}; "
                        "công bố các quyết định theo thứ tự ngày có hiệu lực."
                    ),
                }
            )
            continue
        record = _changed_record(change, _change_base(current) if current else None, decision.effective_on)
        problems += [{"row": index, "field": f, "reason": r} for f, r in record_errors(record, agencies)]
        if problems:
            continue
        change.before = procedure_to_record(current) if current else None
        pending = change.kind == ChangeKind.CHANGE and decision.effective_on > today
        if pending:
            procedure, snapshot = _record_in_advance(record, current, agencies, decision.effective_on)
        else:
            procedure, snapshot = apply_record(record, agencies=agencies, default_from=decision.effective_on)[0], None
        procedure.offerings.filter(decision__isnull=True, valid_from=decision.effective_on).update(decision=decision)
        change.procedure = procedure
        change.save(update_fields=["before", "procedure", "updated_at"])
        _record_version(
            procedure,
            kind=change.kind,
            effective=decision.effective_on,
            decision=decision,
            note=change.note,
            snapshot=snapshot,
            pending=pending,
        )
    if problems:  # raising rolls back every change already applied above
        raise ValidationFailed(
            "Quyết định có nội dung không hợp lệ; chưa công bố.", code="decision_invalid", fields={"rows": problems}
        )
    decision.status = DecisionStatus.PUBLISHED
    decision.published_at = timezone.now()
    decision.published_by = None if _is_system(actor) else actor
    decision.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor,
        action="catalog_decision.publish",
        obj=decision,
        after={"number": decision.number, "changes": [c.procedure_code for c in changes]},
    )
    return decision


@transaction.atomic
def versions_apply_due(*, actor, today: datetime.date | None = None, codes: list[str] | None = None) -> int:
    """Apply to the live procedures the versions of decisions whose effective date has come (`pending` versions
    with `valid_from` <= today), oldest first; one audit row each. Idempotent: returns how many were applied."""
    day = today or timezone.localdate()
    due = ProcedureVersion.objects.select_for_update().filter(pending=True, valid_from__lte=day)
    if codes is not None:
        due = due.filter(procedure__code__in=codes)
    applied = 0
    for version in list(due.order_by("valid_from", "id")):
        procedure, _ = apply_record(version.snapshot, agencies={}, content_only=True)
        version.pending = False
        version.save(update_fields=["pending", "updated_at"])
        decision = CatalogDecision.objects.filter(pk=version.decision_id).values_list("number", flat=True).first()
        audit_record(
            actor=actor,
            action="catalog_procedure.apply_version",
            obj=procedure,
            after={"valid_from": version.valid_from, "decision": decision},
        )
        applied += 1
    return applied


# --- change requests from agencies ---------------------------------------------------------------------------


@transaction.atomic
def change_request_submit(
    *,
    actor,
    agency: Agency,
    kind: str,
    procedure_code: str,
    summary: str,
    reason: str = "",
    payload: dict | None = None,
) -> ChangeRequest:
    """An agency (its admin, leader or division head) asks the Provincial Office to change the catalogue."""
    if not _is_system(actor) and not user_has_any_role(actor, REQUEST_ROLES, agency=agency):
        raise PermissionDeniedError("Bạn không có quyền gửi đề nghị cho cơ quan này.", code="change_request_forbidden")
    if kind not in ChangeKind.values:
        raise ValidationFailed(
            "Loại thay đổi phải là add, change hoặc retire.",
            code="change_kind_invalid",
            fields={"kind": ["Giá trị không hợp lệ."]},
        )
    if not summary.strip() or not procedure_code.strip():
        raise ValidationFailed("Cần mã thủ tục và nội dung đề nghị.", code="change_request_incomplete")
    request = ChangeRequest.objects.create(
        agency=agency,
        kind=kind,
        procedure_code=procedure_code.strip(),
        summary=summary.strip(),
        reason=reason,
        payload=payload or {},
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="catalog_change_request.submit",
        obj=request,
        after={"agency": agency.code, "kind": kind, "procedure_code": procedure_code},
    )
    return request


def _lock_pending(request: ChangeRequest) -> ChangeRequest:
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChangeRequestStatus.PENDING:
        raise ConflictError("Đề nghị này đã được xử lý.", code="change_request_already_handled")
    return request


@transaction.atomic
def change_request_apply(
    *, actor, request: ChangeRequest, decision: CatalogDecision, response: str = ""
) -> ChangeRequest:
    """Take the request into a draft decision (which is then published); the request counts as handled."""
    require_province_admin(actor)
    request = _lock_pending(request)
    decision_add_change(
        actor=actor,
        decision=decision,
        kind=request.kind,
        procedure_code=request.procedure_code,
        payload=request.payload,
        note=f"Theo đề nghị của {request.agency.name}: {request.summary}",
    )
    request.status, request.decision = ChangeRequestStatus.APPLIED, decision
    request.handled_by, request.handled_at, request.response = actor, timezone.now(), response
    request.save(update_fields=["status", "decision", "handled_by", "handled_at", "response", "updated_at"])
    audit_record(actor=actor, action="catalog_change_request.apply", obj=request, after={"decision": decision.number})
    return request


@transaction.atomic
def change_request_reject(*, actor, request: ChangeRequest, response: str) -> ChangeRequest:
    require_province_admin(actor)
    if not response.strip():
        raise ValidationFailed("Cần ghi lý do từ chối.", code="response_required", fields={"response": ["Bắt buộc."]})
    request = _lock_pending(request)
    request.status, request.response = ChangeRequestStatus.REJECTED, response.strip()
    request.handled_by, request.handled_at = actor, timezone.now()
    request.save(update_fields=["status", "response", "handled_by", "handled_at", "updated_at"])
    audit_record(actor=actor, action="catalog_change_request.reject", obj=request, after={"response": response})
    return request

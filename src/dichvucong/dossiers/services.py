"""Dossier transitions: one service per transition of `state_machine.TRANSITIONS`.

Each service locks the dossier row, checks the transition (status → 409 `invalid_transition`, role at the
dossier's agency → 403), changes the dossier, writes a `DossierEvent` and an audit row in the same transaction,
and publishes the event to the contexts that react to it (`registry.emit`: in the transaction, or after commit
for the effects registered so). Creation (online submission, counter reception, drafts) is in `submission.py`;
listing and dispatching actions in `actions.py`.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import officers_with_role, user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, ValidationFailed

from . import dossier_deadlines as deadlines
from .models import Apology, Dossier, DossierEvent, SupplementRequest
from .registry import LifecycleEvent, registry
from .state_machine import TRANSITIONS, Status, check_transition

_SNAPSHOT = (
    "code",
    "status",
    "received_at",
    "accepted_at",
    "due_at",
    "finished_at",
    "returned_at",
    "timeliness",
    "current_step",
)


def dossier_snapshot(dossier: Dossier) -> dict:
    return {field: getattr(dossier, field) for field in _SNAPSHOT}


def actor_label(actor) -> str:
    if getattr(actor, "is_authenticated", False):
        return actor.display_name
    return str(actor or "system")


def record_event(
    *,
    dossier: Dossier,
    actor,
    action: str,
    from_status: str,
    to_status: str,
    note: str = "",
    before: dict | None = None,
) -> DossierEvent:
    """History row + audit row + the `dossier.<action>` lifecycle event (its effects run in this transaction, or
    after commit for those registered so)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        actor=user,
        actor_label=actor_label(actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note or "",
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        before=before,
        after={**dossier_snapshot(dossier), "note": note},
    )
    registry.emit(
        LifecycleEvent(
            f"dossier.{action}",
            dossier=dossier,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            note=note or "",
        )
    )
    return event


def _locked(dossier: Dossier) -> Dossier:
    # `of=("self",)`: lock the dossier row only. Without it PostgreSQL also locks the joined agency and procedure
    # rows FOR UPDATE, so every transition of an agency queues on its row and deadlocks with the audit chain head
    # (found under the issue 19 load test, docs/benchmarks.md).
    return Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "agency").get(pk=dossier.pk)


def dossier_transition(
    *,
    actor,
    dossier: Dossier,
    name: str,
    note: str = "",
    to_status: str | None = None,
    role_checked: bool = False,
    already_locked: bool = False,
    **changes,
) -> Dossier:
    """Check and perform transition `name` on a locked copy of `dossier`; returns the updated dossier.

    Public for other contexts that add transitions (payments: request_payment / pay): call it inside your
    service's transaction with the field changes; it writes the event and the audit row. `role_checked=True`
    skips the role check (only the status is checked) when the workflow engine has checked the actor already.
    `already_locked=True`: `dossier` is the row the caller locked (`_locked`) in this transaction; not read again.
    """
    locked = dossier if already_locked else _locked(dossier)
    transition = check_transition(name, user=actor, dossier=locked, check_role=not role_checked)
    before = dossier_snapshot(locked)
    from_status = locked.status
    locked.status = to_status or transition.target or locked.status
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    record_event(
        dossier=locked,
        actor=actor,
        action=name,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        before=before,
    )
    return locked


def _required_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, code=f"{field}_required", fields={field: [message]})
    return value


def _due_at(dossier: Dossier) -> datetime.datetime | None:
    """N working days from `deadline_start` (acceptance, not before receipt), supplement waits excluded."""
    start = deadlines.deadline_start(dossier)
    if start is None:
        return None
    due = deadlines.compute_due_at(
        received_at=start,
        processing_days=dossier.procedure.processing_days,
        processing_hours=dossier.procedure.processing_hours,
        paused=deadlines.pause_intervals(dossier),
    )
    apology = Apology.objects.filter(dossier=dossier).first()
    return max(due, apology.new_due_at) if apology else due


@transaction.atomic
def dossier_accept(*, actor, dossier: Dossier, note: str = "") -> Dossier:
    """Tiếp nhận hồ sơ (TT 01/2018 art. 6, Mẫu 01): the appointment date is fixed now, in working days counted from
    the acceptance (an online dossier accepted days after it was sent counts from its acceptance, not its receipt)."""
    locked = _locked(dossier)
    check_transition("accept", user=actor, dossier=locked)
    received_at = locked.received_at or timezone.now()
    # Accepting the evening a dossier was sent after the cut-off is allowed; it is dated at the legal receipt.
    now = deadlines.legal_time(locked)
    stored = locked.received_at, locked.accepted_at
    locked.received_at, locked.accepted_at = received_at, now
    due_at = _due_at(locked)
    locked.received_at, locked.accepted_at = stored  # the audit row's "before" is the row as it was
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="accept",
        note=note,
        accepted_at=now,
        received_at=received_at,
        due_at=due_at,
        received_by=actor,
    )


@transaction.atomic
def dossier_request_supplement(*, actor, dossier: Dossier, items: list[str], note: str = "") -> Dossier:
    """Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): the statutory clock stops until the applicant supplements."""
    items = [str(item).strip() for item in (items or []) if str(item).strip()]
    if not items:
        raise ValidationFailed(
            _("Cần nêu rõ các nội dung phải bổ sung."),
            code="items_required",
            fields={"items": [_("Cần ít nhất một nội dung.")]},
        )
    locked = _locked(dossier)
    check_transition("request_supplement", user=actor, dossier=locked)
    SupplementRequest.objects.create(
        dossier=locked,
        items=items,
        note=note or "",
        requested_at=deadlines.legal_time(locked),
        requested_by=actor,
        resume_status=locked.status,
    )
    return dossier_transition(
        actor=actor, dossier=locked, already_locked=True, name="request_supplement", note=note or "; ".join(items)
    )


@transaction.atomic
def dossier_supplement(*, actor, dossier: Dossier, attachments=(), received_documents=(), note: str = "") -> Dossier:
    """The applicant supplements: the dossier resumes its previous status, the due date moves by the pause."""
    from .submission import attach_uploads, record_received_documents

    locked = _locked(dossier)
    check_transition("supplement", user=actor, dossier=locked)
    request = locked.supplement_requests.filter(supplemented_at__isnull=True).order_by("-requested_at").first()
    if request is None:  # defensive: the status says a request is open
        raise ConflictError(_("Hồ sơ không có yêu cầu bổ sung đang mở."), code="invalid_transition")
    if not attachments and not received_documents and not (note or "").strip():
        raise ValidationFailed(
            _("Cần đính kèm giấy tờ bổ sung hoặc ghi rõ nội dung đã bổ sung."),
            code="supplement_empty",
            fields={"attachments": [_("Chưa có giấy tờ bổ sung.")]},
        )
    attach_uploads(actor=actor, dossier=locked, items=attachments, supplement=request)
    record_received_documents(dossier=locked, items=received_documents)
    request.supplemented_at = max(deadlines.legal_time(locked), request.requested_at)
    request.save(update_fields=["supplemented_at", "updated_at"])
    due_at = _due_at(locked) if locked.accepted_at else locked.due_at
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="supplement",
        note=note,
        to_status=request.resume_status,
        due_at=due_at,
    )


@transaction.atomic
def dossier_refuse(*, actor, dossier: Dossier, reason: str) -> Dossier:
    """Từ chối (Mẫu 03): the reason is mandatory and is written on the refusal notice."""
    reason = _required_text(reason, field="note", message=_("Cần ghi rõ lý do từ chối."))
    locked = _locked(dossier)
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="refuse",
        note=reason,
        finished_at=deadlines.legal_time(locked),
    )


@transaction.atomic
def dossier_withdraw(*, actor, dossier: Dossier, reason: str = "") -> Dossier:
    """The applicant withdraws the dossier (national status 7) before it is processed."""
    locked = _locked(dossier)
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="withdraw",
        note=reason,
        finished_at=deadlines.legal_time(locked),
    )


@transaction.atomic
def dossier_start_processing(*, actor, dossier: Dossier, note: str = "") -> Dossier:
    """Hand the accepted dossier over for processing. The workflow engine takes over `current_step` from here (its
    effect on `dossier.start_processing` enters the first step of the approved internal process, if one applies)."""
    return dossier_transition(actor=actor, dossier=dossier, name="start_processing", note=note)


@transaction.atomic
def dossier_set_current_step(*, actor, dossier: Dossier, step: str, note: str = "") -> Dossier:
    """Seam for the workflow engine: record the internal step the dossier is at (status stays `processing`)."""
    locked = _locked(dossier)
    if locked.status != Status.PROCESSING:
        raise ConflictError(_("Chỉ hồ sơ đang xử lý mới có bước xử lý."), code="invalid_transition")
    before = dossier_snapshot(locked)
    locked.current_step = step[:200]
    locked.save(update_fields=["current_step", "updated_at"])
    record_event(
        dossier=locked,
        actor=actor,
        action="step",
        from_status=locked.status,
        to_status=locked.status,
        note=note or step,
        before=before,
    )
    return locked


def has_open_process_run(dossier: Dossier) -> bool:
    """True while the dossier runs through an internal process (the engine of `registry`): its steps decide."""
    return dossier.pk is not None and registry.engine.is_running(dossier)


def _no_open_run(dossier: Dossier, label: str) -> None:
    if has_open_process_run(dossier):
        raise ConflictError(
            _("Hồ sơ đang xử lý theo quy trình nội bộ: «%(action)s» thực hiện tại bước xử lý hiện tại.")
            % {"action": label},
            code="process_run_open",
        )


@transaction.atomic
def dossier_mark_processed(*, actor, dossier: Dossier, note: str = "") -> Dossier:
    """The result is ready (national status 9); timeliness is judged on this time against the due date.

    Only for dossiers without an open process run: otherwise the process's final step (`deliver`) marks it."""
    _no_open_run(dossier, TRANSITIONS["mark_processed"].label)
    locked = _locked(dossier)
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="mark_processed",
        note=note,
        finished_at=deadlines.legal_time(locked),
        current_step="",
    )


# Hook of the workflows app (issue 5): the end of the internal process marks the dossier processed. The engine has
# already checked the actor against the process step (which may be at another agency after a transfer, or held by
# the clerk who releases the result), so only the status is checked here.
@transaction.atomic
def dossier_mark_processed_by_workflow(*, actor, dossier: Dossier, note: str = "") -> Dossier:
    """The internal process ended (workflows `deliver`): processed, national status 9."""
    locked = _locked(dossier)
    if locked.status != Status.PROCESSING:
        raise ConflictError(_("Chỉ hồ sơ đang xử lý mới hoàn thành được."), code="invalid_transition")
    before = dossier_snapshot(locked)
    locked.status, locked.finished_at, locked.current_step = Status.PROCESSED, deadlines.legal_time(locked), ""
    locked.save()
    record_event(
        dossier=locked,
        actor=actor,
        action="mark_processed",
        from_status=Status.PROCESSING,
        to_status=locked.status,
        note=note,
        before=before,
    )
    return locked


@transaction.atomic
def dossier_deliver(
    *, actor, dossier: Dossier, note: str = "", returned_at: datetime.datetime | None = None
) -> Dossier:
    """Trả kết quả (national status 10): early / on time / late is fixed now. `returned_at`: when the applicant
    actually received it, if not now (the delivery date the post reports for a result sent by post)."""
    locked = _locked(dossier)
    check_transition("deliver", user=actor, dossier=locked)
    # Timeliness from the legal dates: the result is never earlier than the receipt it answers.
    finished_at = deadlines.legal_time(locked, locked.finished_at or timezone.now())
    timeliness = deadlines.compute_timeliness(
        finished_at=finished_at, due_at=locked.due_at, supplement_count=locked.supplement_requests.count()
    )
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="deliver",
        note=note,
        returned_at=deadlines.legal_time(locked, returned_at),
        finished_at=finished_at,
        timeliness=timeliness,
    )


@transaction.atomic
def dossier_stop(*, actor, dossier: Dossier, reason: str) -> Dossier:
    """Dừng xử lý (national status 8), e.g. the applicant failed to supplement; the reason is mandatory."""
    reason = _required_text(reason, field="note", message=_("Cần ghi rõ lý do dừng xử lý."))
    locked = _locked(dossier)
    return dossier_transition(
        actor=actor,
        dossier=locked,
        already_locked=True,
        name="stop",
        note=reason,
        finished_at=deadlines.legal_time(locked),
    )


def apology_signer(*, agency, actor):
    """Who signs Mẫu 04 in the name of the agency's head (TT 01/2018 Mẫu 04; Decree 30/2020 art. 13): the actor when
    they are one of the agency's leaders; otherwise the agency's head (an active leader whose title is not a
    deputy's), else a deputy (who signs "KT."); None when the agency has no leader (the form is signed by hand).
    The agency designates its signers by giving them the leader role (agency administrators, accounts)."""
    if user_has_role(actor, Role.LEADER, agency=agency):
        return actor
    leaders = list(officers_with_role(agency=agency, role=Role.LEADER).order_by("pk"))
    heads = [user for user in leaders if not (user.job_title or "").strip().lower().startswith("phó ")]
    return (heads or leaders or [None])[0]


def apology_blocker(dossier: Dossier, *, now: datetime.datetime | None = None) -> tuple[str, str] | None:
    """Why an apology cannot be issued now, as (code, message), or None.

    Decree 61/2018 art. 19(2)(c) and TT 01/2018 Mẫu 04: the return date may be rescheduled only once, with an
    apology sent no later than one day before the due date.
    """
    if Apology.objects.filter(dossier=dossier).exists():
        return "apology_already_issued", _("Hồ sơ đã được xin lỗi, hẹn lại một lần; không được hẹn lại lần nữa.")
    if dossier.due_at is None:
        return "apology_no_due_date", _("Hồ sơ chưa có ngày hẹn trả.")
    today = timezone.localtime(now or timezone.now()).date()
    if today >= dossier.due_date:
        return "apology_too_late", _("Phiếu xin lỗi phải gửi chậm nhất 01 ngày trước ngày hẹn trả.")
    return None


@transaction.atomic
def dossier_apologize(*, actor, dossier: Dossier, reason: str, new_due_date: datetime.date) -> Dossier:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): once per dossier, before the deadline, a later date."""
    reason = _required_text(reason, field="reason", message=_("Cần ghi rõ lý do chậm trả kết quả."))
    locked = _locked(dossier)
    check_transition("apologize", user=actor, dossier=locked)
    blocker = apology_blocker(locked)
    if blocker:
        raise ConflictError(blocker[1], code=blocker[0])
    if not isinstance(new_due_date, datetime.date) or new_due_date <= locked.due_date:
        raise ValidationFailed(
            _("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại."),
            code="apology_date_not_later",
            fields={"new_due_date": [_("Phải sau ngày hẹn hiện tại.")]},
        )
    if not deadlines.is_working_day(new_due_date):
        raise ValidationFailed(
            _("Ngày hẹn trả mới phải là ngày làm việc (không phải ngày nghỉ, ngày lễ)."),
            code="apology_date_not_working_day",
            fields={"new_due_date": [_("Không phải ngày làm việc.")]},
        )
    new_due_at = deadlines.as_due_datetime(new_due_date)
    Apology.objects.create(
        signed_by=apology_signer(agency=locked.agency, actor=actor),
        dossier=locked,
        reason=reason,
        previous_due_at=locked.due_at,
        new_due_at=new_due_at,
        issued_at=deadlines.legal_time(locked),
        issued_by=actor,
    )
    return dossier_transition(
        actor=actor, dossier=locked, already_locked=True, name="apologize", note=reason, due_at=new_due_at
    )

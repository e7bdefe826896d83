"""Running dossiers through their internal process (services: writes).

- `process_start_for_dossier(actor=, dossier=)`: when a dossier starts processing (accepted → processing) it
  enters the start step of the process version that applies that day, pinned on its `ProcessRun` (a newer
  version activated later never changes a running dossier). When the start step is the one-stop desk's own
  step and the officer who hands the dossier over holds it, that step is completed at once ("chuyển xử lý").
- `step_perform_action(actor=, dossier=, action=, data=)`: forward / approve / sign (to the next step),
  return (to an earlier step), request_payment (the payments app assesses the fees and asks the applicant to pay,
  national status 6; the run waits until the payment is confirmed), consult (another agency's
  opinion with its own due time, the dossier waits), transfer (liên thông: the receiving agency continues under
  its own process), deliver (the final step: the dossier is processed, national status 9, and the result goes
  back to the one-stop desk, which returns it: status 10).
- `consultation_answer`, `work_items_assign` (leaders, bulk), `process_payment_received`.

Every step has an assignee (chosen by whoever hands over, or by rule: the least-loaded officer holding the step's
role at the agency), a due time of `duration_hours` office hours from entry (`workdays.add_working_time`), and
each hand-over is recorded with early / on time / late against the step's due time (Mẫu 05, TT 01/2018/TT-VPCP).
"""

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.models import User
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import officers_with_role, user_has_any_role, user_has_role
from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.registry import LifecycleEvent, registry
from dichvucong.dossiers.services import dossier_mark_processed_by_workflow, dossier_set_current_step
from dichvucong.payments.services import payment_request
from dichvucong.workdays.calendar import add_working_time
from dichvucong.workdays.timeliness import timeliness

from .models import (
    HOURS_PER_DAY,
    MOVING_ACTIONS,
    ActionKind,
    Consultation,
    ConsultationStatus,
    Handover,
    ProcessRun,
    ProcessStep,
    RunStatus,
    StepRole,
    WorkItem,
)
from .selectors import process_for

#: Roles that act for an agency on an inter-agency step or answer a consultation.
AGENCY_HANDLERS = (Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER)
#: Roles that distribute work inside an agency.
DISPATCHERS = (Role.LEADER, Role.DIVISION_HEAD)
DEFAULT_CONSULTATION_DAYS = Decimal(3)


def timeliness_of(done_at, due_at) -> str:
    """Early: finished on an earlier day than due; on time: by the due time; late: after it (`workdays.timeliness`,
    a step's deadline being a moment)."""
    return timeliness(done_at, due_at, whole_day=False)


def _assignment_role(step: ProcessStep) -> str:
    return Role.SPECIALIST if step.role == StepRole.OTHER_AGENCY else step.role


def _step_agency(run: ProcessRun, step: ProcessStep) -> Agency:
    return step.other_agency if step.role == StepRole.OTHER_AGENCY and step.other_agency_id else run.agency


def least_loaded_officer(*, agency: Agency, role: str) -> User | None:
    """The officer holding `role` at `agency` with the fewest open work items (then by username)."""
    return (
        officers_with_role(agency=agency, role=role)
        .annotate(load=Count("work_items", filter=Q(work_items__completed_at__isnull=True)))
        .order_by("load", "username")
        .first()
    )


def step_receivers(item: WorkItem, action: str) -> list[User]:
    """Who may receive the dossier when `action` moves it from `item`'s step: the officers holding the role of the
    step it leads to, at that step's agency (several possible steps: the officers of each)."""
    targets = [
        t.to_step for t in item.step.outgoing.filter(action=action).select_related("to_step", "to_step__other_agency")
    ]
    officers: dict[int, User] = {}
    for step in targets:
        if step is None:
            continue
        agency = _step_agency(item.run, step)
        for user in officers_with_role(agency=agency, role=_assignment_role(step)).order_by("full_name", "username"):
            officers.setdefault(user.pk, user)
    return list(officers.values())


def _resolve_assignee(value, *, agency: Agency, role: str) -> User:
    user = User.objects.filter(Q(username=str(value)) | Q(uuid=value if _is_uuid(value) else None)).first()
    if user is None or not user_has_role(user, role, agency=agency):
        raise ValidationFailed(
            _("Người được giao phải giữ vai trò «%(role)s» tại %(agency)s.")
            % {"role": StepRole(role).label, "agency": agency.name},
            code="assignee_without_role",
            fields={"assignee": [_("Không hợp lệ.")]},
        )
    return user


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _set_dossier_step(actor, dossier, label: str, note: str = "") -> None:
    dossier_set_current_step(actor=actor, dossier=dossier, step=label, note=note)


def _step_note(actor, run: ProcessRun, step: ProcessStep, assignee) -> str:
    """The history line of a handover says who did which step and who has the next one: «Thẩm định hồ sơ» done by
    the actor → «Lãnh đạo phòng duyệt», handled by …; never the actor beside the next step's name alone."""
    done = (
        WorkItem.objects.filter(run=run, completed_at__isnull=False)
        .select_related("step")
        .order_by("-completed_at", "-id")
        .first()
    )
    receiver = assignee.display_name if assignee is not None else _("chưa phân công")
    if done is None:
        return _("Bắt đầu bước «%(step)s» – người xử lý: %(receiver)s") % {"step": step.name, "receiver": receiver}
    who = getattr(actor, "display_name", "") or str(actor or "")
    return _("%(who)s đã xong bước «%(done)s» → bước «%(step)s» – người xử lý: %(receiver)s") % {
        "who": who,
        "done": done.step.name,
        "step": step.name,
        "receiver": receiver,
    }


def _enter(*, actor, run: ProcessRun, step: ProcessStep, at, assignee=None) -> WorkItem:
    agency = _step_agency(run, step)
    role = _assignment_role(step)
    if assignee is not None and not isinstance(assignee, User):
        assignee = _resolve_assignee(assignee, agency=agency, role=role)
    assignee = assignee or least_loaded_officer(agency=agency, role=role)
    item = WorkItem.objects.create(
        run=run,
        step=step,
        agency=agency,
        role=step.role,
        assignee=assignee,
        started_at=at,
        due_at=add_working_time(at, step.duration_hours / HOURS_PER_DAY),
    )
    run.current_step = step
    run.save(update_fields=["current_step", "updated_at"])
    _set_dossier_step(actor, run.dossier, step.name, note=_step_note(actor, run, step, assignee))
    return item


def _close(*, actor, item: WorkItem, action: str, at) -> WorkItem:
    item.completed_at, item.completed_by, item.action = at, actor, action
    item.timeliness = timeliness_of(at, item.due_at)
    item.save(update_fields=["completed_at", "completed_by", "action", "timeliness", "updated_at"])
    return item


def _handover(
    *, run, item: WorkItem, action: str, at, to_item: WorkItem | None = None, to_agency=None, actor=None, note: str = ""
) -> Handover:
    return Handover.objects.create(
        run=run,
        dossier=run.dossier,
        at=at,
        action=action,
        from_step=item.step,
        to_step=to_item.step if to_item else None,
        from_user=actor,
        to_user=to_item.assignee if to_item else None,
        from_agency=item.agency,
        to_agency=to_item.agency if to_item else to_agency,
        step_due_at=item.due_at,
        timeliness=item.timeliness,
        note=note,
    )


# --- start -------------------------------------------------------------------------------------------------------


def open_run(dossier) -> ProcessRun | None:
    return ProcessRun.objects.filter(
        dossier=dossier, status__in=[RunStatus.RUNNING, RunStatus.WAITING_CONSULTATION, RunStatus.WAITING_PAYMENT]
    ).first()


def _start_run(*, actor, dossier, process, agency: Agency, transferred_from=None) -> ProcessRun:
    now = timezone.now()
    run = ProcessRun.objects.create(
        dossier=dossier, process=process, agency=agency, started_at=now, transferred_from=transferred_from
    )
    start = process.steps.get(is_start=True)
    holder = (
        actor
        if getattr(actor, "is_authenticated", False)
        and user_has_role(actor, _assignment_role(start), agency=_step_agency(run, start))
        else None
    )
    item = _enter(actor=actor, run=run, step=start, at=now, assignee=holder)
    audit_record(
        actor=actor,
        action="process_run.start",
        obj=dossier,
        after={"process": str(process.uuid), "version": process.version, "agency": agency.code},
    )
    if (
        holder is not None
        and start.role == StepRole.RECEPTION
        and transferred_from is None
        and ActionKind.FORWARD in start.actions
    ):
        _move(actor=actor, run=run, item=item, action=ActionKind.FORWARD, data={}, note=_("Chuyển xử lý"))
    return run


@transaction.atomic
def process_start_for_dossier(*, actor, dossier) -> ProcessRun | None:
    """Enter the first step of the process that applies (pinned). None when no approved process applies: the
    dossier is then handled without an internal process (the dossier's own `mark_processed` action)."""
    existing = open_run(dossier)
    if existing is not None:
        return existing
    day = timezone.localtime(dossier.accepted_at or timezone.now()).date()
    process = process_for(procedure=dossier.procedure, agency=dossier.agency, on=day)
    if process is None:
        return None
    return _start_run(actor=actor, dossier=dossier, process=process, agency=dossier.agency)


# --- actions -----------------------------------------------------------------------------------------------------


def current_item(run: ProcessRun) -> WorkItem | None:
    return run.items.filter(completed_at__isnull=True).select_related("step", "agency", "assignee").first()


def may_act_on(user, item: WorkItem) -> bool:
    """The assignee, or (unassigned) any officer holding the step's role at the step's agency."""
    if item.assignee_id is not None:
        return item.assignee_id == user.pk
    if item.role == StepRole.OTHER_AGENCY:
        return user_has_any_role(user, AGENCY_HANDLERS, agency=item.agency)
    return user_has_role(user, item.role, agency=item.agency)


def allowed_actions(user, run: ProcessRun | None) -> list[str]:
    """The action kinds `user` may take now on the dossier's current step (empty while it waits)."""
    if run is None or run.status != RunStatus.RUNNING:
        return []
    item = current_item(run)
    if item is None or not may_act_on(user, item):
        return []
    return [a for a in item.step.actions if a in ActionKind.values]


def _locked_run(dossier) -> ProcessRun:
    run = open_run(dossier)
    if run is None:
        raise ConflictError(_("Hồ sơ không đang chạy theo quy trình nội bộ nào."), code="no_process_run")
    return ProcessRun.objects.select_for_update().select_related("dossier", "process", "agency").get(pk=run.pk)


def _target(item: WorkItem, action: str, key: str | None) -> ProcessStep | None:
    targets = [t.to_step for t in item.step.outgoing.filter(action=action).select_related("to_step")]
    if key:
        chosen = [s for s in targets if s is not None and s.key == key]
        if not chosen:
            raise ValidationFailed(
                _("Không thể chuyển tới bước «%s» bằng thao tác này.") % key,
                code="invalid_target_step",
                fields={"to_step": [_("Không hợp lệ.")]},
            )
        return chosen[0]
    if len(targets) > 1:
        raise ValidationFailed(
            _("Cần chọn bước đến."),
            code="target_step_required",
            fields={"to_step": [", ".join(s.key for s in targets if s)]},
        )
    return targets[0] if targets else None


def _move(*, actor, run: ProcessRun, item: WorkItem, action: str, data: dict, note: str) -> WorkItem:
    target = _target(item, action, data.get("to_step"))
    if target is None:
        raise ConflictError(_("Bước này không có bước tiếp theo cho thao tác đã chọn."), code="no_next_step")
    now = timezone.now()
    _close(actor=actor, item=item, action=action, at=now)
    new_item = _enter(actor=actor, run=run, step=target, at=now, assignee=data.get("assignee") or None)
    _handover(run=run, item=item, action=action, at=now, to_item=new_item, actor=actor, note=note)
    return new_item


def _deliver(*, actor, run: ProcessRun, item: WorkItem, note: str) -> None:
    now = timezone.now()
    _close(actor=actor, item=item, action=ActionKind.DELIVER, at=now)
    _handover(
        run=run,
        item=item,
        action=ActionKind.DELIVER,
        at=now,
        to_agency=run.dossier.agency,
        actor=actor,
        note=note or _("Chuyển kết quả về Bộ phận một cửa"),
    )
    run.status, run.finished_at, run.current_step = RunStatus.COMPLETED, now, None
    run.save(update_fields=["status", "finished_at", "current_step", "updated_at"])
    dossier_mark_processed_by_workflow(actor=actor, dossier=run.dossier, note=note)


def _agency_from(data: dict, field: str = "agency") -> Agency:
    agency = Agency.objects.filter(code=str(data.get(field) or "")).first()
    if agency is None:
        raise ValidationFailed(
            _("Cần chọn cơ quan (mã QCVN 102)."), code="agency_required", fields={field: [_("Không tìm thấy cơ quan.")]}
        )
    return agency


def _transfer(*, actor, run: ProcessRun, item: WorkItem, data: dict, note: str) -> ProcessRun:
    """Liên thông: this agency's part ends; the receiving agency continues under its own process."""
    receiver = _agency_from(data)
    if receiver.pk == run.agency_id:
        raise ValidationFailed(_("Không thể chuyển liên thông cho chính cơ quan đang xử lý."), code="transfer_to_self")
    process = process_for(procedure=run.dossier.procedure, agency=receiver)
    if process is None:
        raise ValidationFailed(
            _("%s chưa có quy trình nội bộ được phê duyệt cho thủ tục này.") % receiver.name,
            code="no_process_at_agency",
        )
    now = timezone.now()
    _close(actor=actor, item=item, action=ActionKind.TRANSFER, at=now)
    _handover(run=run, item=item, action=ActionKind.TRANSFER, at=now, to_agency=receiver, actor=actor, note=note)
    run.status, run.finished_at = RunStatus.TRANSFERRED, now
    run.save(update_fields=["status", "finished_at", "updated_at"])
    return _start_run(actor=actor, dossier=run.dossier, process=process, agency=receiver, transferred_from=run)


def _consult(*, actor, run: ProcessRun, item: WorkItem, data: dict, note: str) -> Consultation:
    agency = _agency_from(data)
    if agency.pk == item.agency_id:
        raise ValidationFailed(_("Xin ý kiến phải gửi cơ quan khác."), code="consult_self")
    question = (data.get("question") or note or "").strip()
    if not question:
        raise ValidationFailed(
            _("Cần nêu nội dung xin ý kiến."), code="question_required", fields={"question": [_("Bắt buộc.")]}
        )
    try:
        given = data.get("days")
        days = Decimal(str(DEFAULT_CONSULTATION_DAYS if given in (None, "") else given))  # 0 is refused, not defaulted
    except ArithmeticError as exc:
        raise ValidationFailed(_("Số ngày không hợp lệ."), code="invalid_days") from exc
    if days <= 0 or days > run.dossier.procedure.processing_days:
        raise ValidationFailed(
            _("Thời hạn xin ý kiến phải lớn hơn 0 và không vượt thời hạn giải quyết."),
            code="invalid_days",
            fields={"days": [_("Không hợp lệ.")]},
        )
    now = timezone.now()
    consultation = Consultation.objects.create(
        run=run,
        step=item.step,
        agency=agency,
        question=question,
        requested_by=actor,
        requested_at=now,
        due_at=add_working_time(now, days),
    )
    Handover.objects.create(
        run=run,
        dossier=run.dossier,
        at=now,
        action=ActionKind.CONSULT,
        from_step=item.step,
        from_user=actor,
        from_agency=item.agency,
        to_agency=agency,
        step_due_at=consultation.due_at,
        note=question,
    )
    run.status = RunStatus.WAITING_CONSULTATION
    run.save(update_fields=["status", "updated_at"])
    return consultation


def _request_payment(*, actor, run: ProcessRun, data: dict, note: str) -> None:
    """The step asks the applicant for the fees (payments `payment_request`: fee assessment, national status 6);
    the run waits at this step until the payment is confirmed (`process_payment_received`, through the dossiers
    `pay` transition: `dossier_hooks.resume_after_payment`), then the same officer continues."""
    payment_request(
        actor=actor,
        dossier=run.dossier,
        quantities=data.get("quantities") or {},
        exemptions=data.get("exemptions") or {},
        note=note,
        role_checked=True,
    )
    run.status = RunStatus.WAITING_PAYMENT
    run.save(update_fields=["status", "updated_at"])


@transaction.atomic
def step_perform_action(*, actor, dossier, action: str, data: dict | None = None) -> ProcessRun:
    """Take `action` on the dossier's current step (see the module docstring)."""
    data = data or {}
    run = _locked_run(dossier)
    item = current_item(run)
    if run.status != RunStatus.RUNNING or item is None:
        raise ConflictError(
            _("Hồ sơ đang chờ (%s), chưa thể thao tác.") % RunStatus(run.status).label, code="run_waiting"
        )
    if not may_act_on(actor, item):
        raise PermissionDeniedError(_("Bước «%s» không được giao cho bạn.") % item.step.name, code="step_not_yours")
    if action not in item.step.actions:
        raise ConflictError(
            _("Bước «%(step)s» không cho phép thao tác «%(action)s».") % {"step": item.step.name, "action": action},
            code="action_not_allowed",
        )
    note = str(data.get("note") or "")
    if action in (*MOVING_ACTIONS, ActionKind.RETURN):
        _move(actor=actor, run=run, item=item, action=action, data=data, note=note)
    elif action == ActionKind.DELIVER:
        _deliver(actor=actor, run=run, item=item, note=note)
    elif action == ActionKind.TRANSFER:
        _transfer(actor=actor, run=run, item=item, data=data, note=note)
    elif action == ActionKind.CONSULT:
        _consult(actor=actor, run=run, item=item, data=data, note=note)
    elif action == ActionKind.REQUEST_PAYMENT:
        _request_payment(actor=actor, run=run, data=data, note=note)
    # Other contexts' effects of this step action (results: the leader's `sign` signs the electronic result, ...),
    # in this transaction: an exception rolls the whole action back.
    registry.emit(
        LifecycleEvent(
            f"step.{action}",
            dossier=run.dossier,
            actor=actor,
            note=note,
            data={"run": run, "step": item.step, "input": data},
        )
    )
    audit_record(actor=actor, action=f"process_run.{action}", obj=dossier, after={"step": item.step.key, "note": note})
    return run


@transaction.atomic
def consultation_answer(*, actor, consultation: Consultation, answer: str) -> Consultation:
    """The consulted agency answers; the dossier resumes at the step that asked."""
    if not user_has_any_role(actor, AGENCY_HANDLERS, agency=consultation.agency):
        raise PermissionDeniedError(
            _("Chỉ cán bộ của cơ quan được xin ý kiến mới trả lời được."), code="not_consulted_agency"
        )
    if consultation.status != ConsultationStatus.PENDING:
        raise ConflictError(_("Yêu cầu xin ý kiến đã được trả lời."), code="already_answered")
    if not answer.strip():
        raise ValidationFailed(
            _("Cần nhập ý kiến trả lời."), code="answer_required", fields={"answer": [_("Bắt buộc.")]}
        )
    now = timezone.now()
    consultation.status, consultation.answer, consultation.answered_by = ConsultationStatus.ANSWERED, answer, actor
    consultation.answered_at, consultation.timeliness = now, timeliness_of(now, consultation.due_at)
    consultation.save()
    run = consultation.run
    Handover.objects.create(
        run=run,
        dossier=run.dossier,
        at=now,
        action=ActionKind.CONSULT,
        from_user=actor,
        from_agency=consultation.agency,
        to_agency=run.agency,
        to_step=consultation.step,
        step_due_at=consultation.due_at,
        timeliness=consultation.timeliness,
        note=answer,
    )
    if not run.consultations.filter(status=ConsultationStatus.PENDING).exists():
        run.status = RunStatus.RUNNING
        run.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.answer",
        obj=run.dossier,
        after={"agency": consultation.agency.code, "timeliness": consultation.timeliness},
    )
    return consultation


@transaction.atomic
def process_payment_received(*, actor, dossier) -> ProcessRun:
    """Called when the applicant has paid: the dossier resumes at the step that requested payment."""
    run = _locked_run(dossier)
    if run.status == RunStatus.WAITING_PAYMENT:
        run.status = RunStatus.RUNNING
        run.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="process_run.payment_received", obj=dossier)
    return run


@transaction.atomic
def work_items_assign(*, actor, items: list[WorkItem], assignee) -> list[WorkItem]:
    """A leader or head of division (re)assigns open items of their agency, in bulk."""
    if not items:
        raise ValidationFailed(_("Chưa chọn hồ sơ nào."), code="items_required")
    for item in items:
        if not user_has_any_role(actor, DISPATCHERS, agency=item.agency):
            raise PermissionDeniedError(
                _("Chỉ lãnh đạo của %s được phân công.") % item.agency.name, code="not_dispatcher"
            )
        if item.completed_at is not None:
            raise ConflictError(_("Bước xử lý đã hoàn thành, không phân công lại được."), code="item_closed")
    for item in items:
        user = _resolve_assignee(assignee, agency=item.agency, role=_assignment_role(item.step))
        before = item.assignee.username if item.assignee_id else None
        item.assignee = user
        item.save(update_fields=["assignee", "updated_at"])
        audit_record(
            actor=actor,
            action="work_item.assign",
            obj=item.run.dossier,
            before={"assignee": before},
            after={"assignee": user.username, "step": item.step.key},
        )
    return items


def consultation_get(consultation_id) -> Consultation:
    consultation = (
        Consultation.objects.select_related("run__dossier", "agency", "step")
        .filter(uuid=consultation_id if _is_uuid(consultation_id) else None)
        .first()
    )
    if consultation is None:
        raise NotFoundError(_("Không tìm thấy yêu cầu xin ý kiến."))
    return consultation

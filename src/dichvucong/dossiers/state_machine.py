"""The dossier state machine: every status, every transition, who may take it, and the national status codes.

This module is the single source of truth for "what can happen to a dossier now". Services in `services.py`
perform one transition each and call `check_transition` first; the actions API and the HTML buttons list
`available_actions`. Nothing else decides whether a transition is allowed.

Statuses follow Circular 01/2018/TT-VPCP (receipt, supplement, refusal, apology, return) and Decree 61/2018
(art. 18-21); each maps to the national status code of QCVN 120:2019/BTTTT used to synchronise with the National
Public Service Portal (1 new, 2 accepted, 3 refused, 4 processing, 5 supplement requested, 6 financial obligation
requested, 7 withdrawal requested, 8 stopped, 9 processed, 10 result returned).

The internal workflow (workflows app) plugs in between `processing` and `processed`: while a process run is open
the engine moves `Dossier.current_step` (the status stays `processing`), its step actions (forward, return,
approve, sign, request_payment, consult, transfer, deliver) are offered and performed through the same actions
API (`actions.dossier_actions` / `dossier_perform_action`, declared in `dossiers.registry`), and its final `deliver` marks the dossier processed.
The dossier's own `mark_processed` (and `request_payment`) is offered only when no process run is open: a
procedure without an approved process is then marked processed directly by a specialist, head or leader.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.common.errors import ConflictError, PermissionDeniedError


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    NEW = "new", _("Mới nộp, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    PAYMENT_REQUESTED = "payment_requested", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    PROCESSED = "processed", _("Đã có kết quả, chờ trả")
    RESULT_RETURNED = "result_returned", _("Đã trả kết quả")


class Channel(models.TextChoices):
    """Hình thức nộp (QCVN 120 `HinhThuc`): 1 trực tiếp, 2 trực tuyến, 3 bưu chính."""

    COUNTER = "counter", _("Trực tiếp tại Bộ phận một cửa")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua dịch vụ bưu chính")


class Origin(models.TextChoices):
    """Where an online dossier was submitted: on this province's portal, or on the National Public Service Portal
    (imported by the integrations app, ADR 0009). A national-portal dossier is an online submission (`channel`
    online); the monitoring reports count it online and, of those, from the national portal."""

    LOCAL = "local", _("Cổng dịch vụ công, Hệ thống một cửa điện tử của tỉnh")
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")


NATIONAL_STATUS = {
    Status.NEW: 1,
    Status.ACCEPTED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.PAYMENT_REQUESTED: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.PROCESSED: 9,
    Status.RESULT_RETURNED: 10,
}
NATIONAL_CHANNEL = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}

#: Statuses in which the statutory clock may be running (the dossier is not finished).
OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.ACCEPTED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.PROCESSED,
    }
)
#: Accepted and not yet finished: the deadline applies (supplement time is excluded when computing it).
DEADLINE_STATUSES = frozenset({Status.ACCEPTED, Status.PROCESSING, Status.PAYMENT_REQUESTED, Status.PROCESSED})
FINAL_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESULT_RETURNED})


def national_status(status: str) -> int | None:
    """QCVN 120 status code, None for a draft (drafts are never synchronised nor counted)."""
    return NATIONAL_STATUS.get(Status(status))


OWNER = "owner"  # pseudo-role: the citizen or business who owns the dossier
HANDLERS = (Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER)


@dataclass(frozen=True)
class Transition:
    name: str
    kind: str  # one of API.md's action kinds
    label: str
    sources: frozenset[str]
    target: str | None  # None: stays in the same status (apology) or is decided by the service (supplement)
    roles: tuple[str, ...]  # agency roles at the dossier's agency, or OWNER


def _t(name, kind, label, sources, target, roles) -> Transition:
    return Transition(name, kind, label, frozenset(sources), target, tuple(roles))


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", "submit", _("Nộp hồ sơ"), {Status.DRAFT}, Status.NEW, (OWNER,)),
        _t("accept", "accept", _("Tiếp nhận hồ sơ"), {Status.NEW}, Status.ACCEPTED, (Role.RECEPTION,)),
        _t(
            "request_supplement",
            "request_supplement",
            _("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
            {Status.NEW, Status.ACCEPTED, Status.PROCESSING},
            Status.SUPPLEMENT_REQUESTED,
            (Role.RECEPTION, *HANDLERS),
        ),
        # The owner supplements online; the reception officer records paper supplements brought to the counter.
        _t(
            "supplement", "supplement", _("Bổ sung hồ sơ"), {Status.SUPPLEMENT_REQUESTED}, None, (OWNER, Role.RECEPTION)
        ),
        _t(
            "refuse",
            "refuse",
            _("Từ chối (Mẫu 03)"),
            {Status.NEW, Status.SUPPLEMENT_REQUESTED, Status.ACCEPTED, Status.PROCESSING},
            Status.REFUSED,
            (Role.RECEPTION, Role.DIVISION_HEAD, Role.LEADER),
        ),
        _t(
            "withdraw",
            "withdraw",
            _("Rút hồ sơ"),
            {Status.NEW, Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED},
            Status.WITHDRAWN,
            # The applicant's own act: the owner online; the desk records a walk-in applicant's written request
            # (dossiers without an owner account only: dossier_hooks.py), never an account holder's (issue 18).
            (OWNER, Role.RECEPTION),
        ),
        _t(
            "start_processing",
            "forward",
            _("Chuyển xử lý"),
            {Status.ACCEPTED},
            Status.PROCESSING,
            (Role.RECEPTION, *HANDLERS),
        ),
        _t("mark_processed", "approve", _("Hoàn thành xử lý"), {Status.PROCESSING}, Status.PROCESSED, HANDLERS),
        _t(
            "deliver",
            "deliver",
            _("Trả kết quả"),
            {Status.PROCESSED},
            Status.RESULT_RETURNED,
            (Role.RECEPTION, Role.CLERK),
        ),
        _t(
            "stop",
            "stop",
            _("Dừng xử lý"),
            {Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED},
            Status.STOPPED,
            (Role.DIVISION_HEAD, Role.LEADER),
        ),
        _t(
            "apologize",
            "apologize",
            _("Xin lỗi và hẹn lại ngày trả (Mẫu 04)"),
            {
                Status.ACCEPTED,
                Status.PROCESSING,
                Status.SUPPLEMENT_REQUESTED,
                Status.PAYMENT_REQUESTED,
                Status.PROCESSED,
            },
            None,
            (Role.RECEPTION, Role.DIVISION_HEAD, Role.LEADER),
        ),
        # Added by the payments app (issue 6): fees and charges (national status 6). `request_payment` is performed by
        # `payments.services.payment_request` (fee assessment + transition); `pay` by the payment callback/poll once
        # the platform confirms the payment (actor: the owner, on whose behalf the platform reports).
        _t(
            "request_payment",
            "request_payment",
            _("Yêu cầu thực hiện nghĩa vụ tài chính"),
            {Status.ACCEPTED, Status.PROCESSING},
            Status.PAYMENT_REQUESTED,
            (Role.RECEPTION, *HANDLERS),
        ),
        # Processing resumes; a payment requested at the desk before processing returns the dossier to `accepted`
        # instead (the payments service passes the status the request was made in).
        # The owner pays online; the one-stop desk records fees paid at the counter (cash, POS, transfer).
        _t(
            "pay",
            "pay",
            _("Thanh toán phí, lệ phí"),
            {Status.PAYMENT_REQUESTED},
            Status.PROCESSING,
            (OWNER, Role.RECEPTION),
        ),
    ]
}


def actor_may(transition: Transition, *, user, dossier) -> bool:
    """Role check only: the owner pseudo-role, or an agency role at the dossier's receiving agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    for role in transition.roles:
        if role == OWNER:
            if dossier.owner_id is not None and dossier.owner_id == user.pk:
                return True
        elif user_has_role(user, role, agency=dossier.agency):
            return True
    return False


def check_transition(name: str, *, user, dossier, check_role: bool = True) -> Transition:
    """Raise 409 `invalid_transition` when the status does not allow it, 403 when the actor's role does not.

    `check_role=False` is for the workflow engine, which has already checked the actor against the process step
    (the step may be held at another agency after a transfer, or by a role the transition does not list)."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ConflictError(_("Thao tác «%(action)s» không tồn tại.") % {"action": name}, code="unknown_action")
    if dossier.status not in transition.sources:
        raise ConflictError(
            _("Không thể thực hiện «%(action)s» khi hồ sơ đang ở trạng thái «%(status)s».")
            % {"action": transition.label, "status": Status(dossier.status).label},
            code="invalid_transition",
        )
    if check_role and not actor_may(transition, user=user, dossier=dossier):
        raise PermissionDeniedError(
            _("Bạn không có quyền «%(action)s» đối với hồ sơ này.") % {"action": transition.label},
            code="permission_denied",
        )
    return transition


def available_actions(*, user, dossier, guards=None) -> list[Transition]:
    """The transitions `user` may take on `dossier` now (status + role + the transition's own guard).

    `guards` maps a transition name to a callable(dossier) -> bool for rules beyond status and role (e.g. the
    apology: once, before the deadline). The actions API lists actions through `actions.dossier_actions` instead.
    """
    guards = guards or {}
    result = []
    for transition in TRANSITIONS.values():
        if dossier.status not in transition.sources or not actor_may(transition, user=user, dossier=dossier):
            continue
        guard = guards.get(transition.name)
        if guard is not None and not guard(dossier):
            continue
        result.append(transition)
    return result

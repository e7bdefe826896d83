"""Writes of the payments context: fee assessment + payment request, starting a payment, the platform's callback,
and polling payments whose callback never came. Each writes an audit row in its transaction.

Fees and charges are those the procedure's published record lists (Decree 63/2010 and 92/2017 on publishing
procedures; Law on Fees and Charges 2015); paying online is part of a fully online service (Decree 42/2022).
"""

import datetime
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.catalog.models import FeeKind
from dichvucong.common.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from dichvucong.common.money import format_vnd as vnd
from dichvucong.dossiers.actions import dossier_perform_action, process_running
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.registry import LifecycleEvent, registry
from dichvucong.dossiers.services import dossier_transition
from dichvucong.dossiers.state_machine import Status, check_transition

from . import wire
from .gateway import GatewayError, GatewayResult, SignatureInvalid, get_gateway
from .models import (
    CURRENCY_VND,
    DESK_METHODS,
    EventSource,
    FeeAssessment,
    FeeAssessmentLine,
    Payment,
    PaymentEvent,
    PaymentMethod,
    PaymentStatus,
)
from .receipts import receipt_issue

logger = logging.getLogger(__name__)

GATEWAY_ACTOR = "payment-platform"
_GW_TO_STATUS = {
    wire.GW_SUCCESS: PaymentStatus.PAID,
    wire.GW_FAILED: PaymentStatus.FAILED,
    wire.GW_CANCELLED: PaymentStatus.CANCELLED,
    wire.GW_PENDING: PaymentStatus.PENDING,
}


def _dossier_transition(
    *, actor, dossier: Dossier, name: str, note: str = "", role_checked: bool = False, to_status: str | None = None
) -> Dossier:
    """Perform a state-machine transition of the dossier (check, history event, audit, lifecycle effects)."""
    return dossier_transition(
        actor=actor, dossier=dossier, name=name, note=note, role_checked=role_checked, to_status=to_status
    )


def _locked_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("procedure", "agency").get(pk=dossier.pk)


# --- fee assessment and the "request payment" action (national status 6) ---------------------------------------
#: The most pages / copies one fee line counts (issue 12: 10^6 copies made an 8,000,000,000 đồng fee; 10^30 a 500).
MAX_FEE_QUANTITY = 1000


def _assessment_lines(dossier: Dossier, quantities: dict, exemptions: dict) -> list[FeeAssessmentLine]:
    rules = list(dossier.procedure.fees.order_by("order", "id"))
    known = {str(rule.pk) for rule in rules}
    unknown = sorted({str(key) for key in [*quantities, *exemptions]} - known)
    if unknown:
        raise ValidationFailed(
            _("Khoản phí không thuộc thủ tục của hồ sơ."),
            code="unknown_fee",
            fields={"fees": [_("Không có khoản phí %(fees)s.") % {"fees": ", ".join(unknown)}]},
        )
    lines = []
    for position, rule in enumerate(rules):
        try:
            quantity = 1 if rule.kind == FeeKind.FIXED else int(quantities.get(str(rule.pk), dossier.sets_count or 1))
        except (TypeError, ValueError):
            quantity = 0
        if not 1 <= quantity <= MAX_FEE_QUANTITY:
            raise ValidationFailed(
                _("Số trang, số bản phải từ 1 đến %(max)s.") % {"max": MAX_FEE_QUANTITY},
                code="invalid_quantity",
                fields={"quantities": [_("Khoản phí %(fee)s: số lượng không hợp lệ.") % {"fee": rule.pk}]},
            )
        reason = str(exemptions.get(str(rule.pk)) or "").strip()
        if str(rule.pk) in exemptions and not reason:
            raise ValidationFailed(
                _("Miễn phí, lệ phí phải ghi rõ lý do."),
                code="exemption_reason_required",
                fields={"exemptions": [_("Khoản phí %(fee)s: thiếu lý do miễn.") % {"fee": rule.pk}]},
            )
        if rule.amount_for(quantity) == 0 and not reason:
            continue  # nothing owed on this rule (e.g. a charge from the 3rd copy on, for 1 copy)
        lines.append(
            FeeAssessmentLine(
                position=position,
                fee_rule=rule,
                name=rule.name,
                kind=rule.kind,
                unit_amount=rule.amount,
                quantity=quantity,
                amount=rule.amount_for(quantity),
                exempt=bool(reason),
                exemption_reason=reason,
                budget_chapter=rule.budget_chapter,
                budget_subsection=rule.budget_subsection,
            )
        )
    return lines


@transaction.atomic
def payment_request(
    *,
    actor,
    dossier: Dossier,
    quantities: dict | None = None,
    exemptions: dict | None = None,
    note: str = "",
    role_checked: bool = False,
) -> FeeAssessment:
    """Assess the fees from the procedure's fee rules and ask the applicant to pay (national status 6).

    `quantities` maps a fee rule id to the number of pages/copies (per-page and per-copy fees; default the number
    of sets), `exemptions` maps a fee rule id to the reason of the exemption (mandatory).

    While the dossier runs through its internal process, the request is the `request_payment` action of the
    current step: it is performed through the workflow engine (which checks that the actor holds the step and
    makes the run wait for the payment), and the engine calls back here with `role_checked=True`.
    """
    if not role_checked and process_running(dossier):  # the current step's action (the engine checks its holder)
        dossier_perform_action(
            actor=actor,
            dossier=dossier,
            action="request_payment",
            data={"quantities": quantities or {}, "exemptions": exemptions or {}, "note": note},
        )
        return FeeAssessment.objects.get(dossier=dossier)
    locked = _locked_dossier(dossier)
    check_transition("request_payment", user=actor, dossier=locked, check_role=not role_checked)
    if locked.payments.filter(status=PaymentStatus.PAID).exists():
        raise ConflictError(_("Hồ sơ đã được thanh toán phí, lệ phí."), code="already_paid")
    lines = _assessment_lines(
        locked, {str(k): v for k, v in (quantities or {}).items()}, {str(k): v for k, v in (exemptions or {}).items()}
    )
    total = sum(line.payable for line in lines)
    if total <= 0:
        raise ValidationFailed(_("Hồ sơ không có khoản phí, lệ phí nào phải nộp."), code="no_fee_due")
    assessment, _created = FeeAssessment.objects.update_or_create(
        dossier=locked, defaults={"total": total, "currency": CURRENCY_VND, "assessed_by": actor, "note": note}
    )
    assessment.lines.all().delete()
    for line in lines:
        line.assessment = assessment
    FeeAssessmentLine.objects.bulk_create(lines)
    audit_record(
        actor=actor,
        action="fee_assessment.create",
        obj=assessment,
        object_id=str(assessment.uuid),
        after={
            "dossier": locked.code,
            "total": total,
            "lines": [[line.name, line.quantity, line.payable, line.exemption_reason] for line in lines],
        },
    )
    _dossier_transition(
        actor=actor,
        dossier=locked,
        name="request_payment",
        role_checked=role_checked,
        note=note or f"Phí, lệ phí phải nộp: {vnd(total)}",
    )
    return assessment


# --- the citizen pays -------------------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    return settings.PAYMENT_PUBLIC_BASE_URL.rstrip("/") + path


@transaction.atomic
def _payment_open(*, actor, dossier: Dossier) -> tuple[Payment, bool]:
    locked = _locked_dossier(dossier)
    if locked.owner_id != getattr(actor, "pk", None):
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    if locked.payments.filter(status=PaymentStatus.PAID).exists():
        raise ConflictError(_("Hồ sơ đã được thanh toán; không thanh toán lần nữa."), code="already_paid")
    if locked.status != Status.PAYMENT_REQUESTED:
        raise ConflictError(_("Hồ sơ chưa có yêu cầu thanh toán phí, lệ phí."), code="payment_not_requested")
    pending = locked.payments.filter(status=PaymentStatus.PENDING).first()
    if pending and pending.gateway_txn_id:
        return pending, False
    assessment = FeeAssessment.objects.get(dossier=locked)
    payment = pending or Payment.objects.create(
        dossier=locked,
        assessment=assessment,
        agency=locked.agency,
        payer=actor,
        amount=assessment.total,
        currency=assessment.currency,
    )
    return payment, True


@transaction.atomic
def _payment_attach(*, actor, payment: Payment, transaction_id: str, redirect_url: str) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    payment.gateway_txn_id, payment.redirect_url = transaction_id, redirect_url
    payment.save(update_fields=["gateway_txn_id", "redirect_url", "updated_at"])
    audit_record(
        actor=actor,
        action="payment.start",
        obj=payment,
        after={"dossier": payment.dossier.code, "amount": payment.amount, "transaction": transaction_id},
    )
    return payment


@transaction.atomic
def _payment_abandon(*, actor, payment: Payment, reason: str) -> None:
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.FAILED, failure_reason=reason[:300], resolved_at=timezone.now()
    )
    audit_record(actor=actor, action="payment.gateway_error", obj=payment, after={"reason": reason[:300]})


def payment_start(*, actor, dossier: Dossier) -> Payment:
    """The owner pays: create the payment at the platform and return it with the redirect URL.

    Idempotent while a payment is in flight (the same redirect is returned); refused once the dossier is paid.
    The platform is called outside any database transaction (no lock held over the network).
    """
    payment, fresh = _payment_open(actor=actor, dossier=dossier)
    if not fresh:
        return payment
    try:
        created = get_gateway().create_payment(
            order_id=str(payment.uuid),
            amount=payment.amount,
            currency=payment.currency,
            beneficiary_code=payment.agency.code,
            description=f"Phí, lệ phí hồ sơ {payment.dossier.code}"[:200],
            return_url=_absolute(reverse("payments:return", kwargs={"uuid": payment.uuid})),
            callback_url=_absolute(reverse("api:payment-callback")),
        )
    except GatewayError as exc:
        logger.warning("payment platform refused or unreachable for %s: %s", payment.uuid, exc)
        _payment_abandon(actor=actor, payment=payment, reason=str(exc))
        raise DomainError(
            _("Nền tảng thanh toán tạm thời không phản hồi. Vui lòng thử lại sau."),
            code="gateway_unavailable",
            status_code=502,
        ) from exc
    return _payment_attach(
        actor=actor, payment=payment, transaction_id=created.transaction_id, redirect_url=created.redirect_url
    )


# --- the desk collects the fees (cash, card at the POS terminal, bank transfer) -------------------------------
@transaction.atomic
def payment_collect(*, actor, dossier: Dossier, method: str, reference: str = "", note: str = "") -> Payment:
    """A one-stop desk officer records the fees paid at the counter: the payment (paid now, the officer as cashier),
    the numbered receipt, and the dossier's `pay` transition back where the request came from (the run waiting for
    the payment resumes through the `dossier.pay` effect). Cash needs no reference; a POS slip's approval code or a
    bank transfer's reference is mandatory and books one payment only. Refused while an online payment is in flight
    (the platform may still confirm it: paying twice is what the desk must never cause)."""
    locked = _locked_dossier(dossier)
    if not user_has_role(actor, Role.RECEPTION, agency=locked.agency):
        raise PermissionDeniedError(
            _("Chỉ cán bộ Bộ phận một cửa của cơ quan tiếp nhận hồ sơ được thu phí, lệ phí tại quầy."),
            code="permission_denied",
        )
    if method not in DESK_METHODS:
        raise ValidationFailed(
            _("Hình thức thu không hợp lệ."),
            code="invalid_method",
            fields={"method": [_("Một trong: cash, pos, transfer.")]},
        )
    reference = (reference or "").strip()
    if method != PaymentMethod.CASH and not reference:
        message = _("Ghi số chuẩn chi của máy POS hoặc số tham chiếu của giao dịch chuyển khoản.")
        raise ValidationFailed(message, code="reference_required", fields={"reference": [message]})
    if locked.payments.filter(status=PaymentStatus.PAID).exists():
        raise ConflictError(_("Hồ sơ đã được thanh toán; không thu lần nữa."), code="already_paid")
    if locked.status != Status.PAYMENT_REQUESTED:
        raise ConflictError(_("Hồ sơ chưa có yêu cầu thanh toán phí, lệ phí."), code="payment_not_requested")
    if locked.payments.filter(status=PaymentStatus.PENDING).exists():
        raise ConflictError(
            _("Người nộp đang thanh toán trực tuyến hồ sơ này; chờ kết quả của nền tảng thanh toán trước khi thu."),
            code="online_payment_pending",
        )
    if (
        reference
        and Payment.objects.filter(
            agency=locked.agency, method=method, reference=reference, status=PaymentStatus.PAID
        ).exists()
    ):
        message = _("Số tham chiếu này đã được ghi cho một khoản thu khác.")
        raise ConflictError(message, code="reference_used")
    assessment = FeeAssessment.objects.get(dossier=locked)
    now = timezone.now()
    payment = Payment.objects.create(
        dossier=locked,
        assessment=assessment,
        agency=locked.agency,
        payer=locked.owner,
        method=method,
        reference=reference[:64],
        cashier=actor,
        amount=assessment.total,
        currency=assessment.currency,
        status=PaymentStatus.PAID,
        paid_at=now,
        resolved_at=now,
    )
    audit_record(
        actor=actor,
        action="payment.collect",
        obj=payment,
        after={"dossier": locked.code, "amount": payment.amount, "method": method, "reference": reference},
    )
    receipt = receipt_issue(actor=actor, payment=payment)
    label = PaymentMethod(method).label
    _dossier_transition(
        actor=actor,
        dossier=locked,
        name="pay",
        to_status=_resume_status(locked),
        note=note
        or f"Đã thu {vnd(payment.amount)} ({label}{', số tham chiếu ' + reference if reference else ''}), "
        f"biên lai số {receipt.receipt_no}",
    )
    return payment


# --- results from the platform: callback and status query ------------------------------------------------------
@dataclass(frozen=True)
class CallbackOutcome:
    event: PaymentEvent
    http_status: int
    code: str
    detail: str


_OUTCOME_HTTP = {
    "accepted": (200, "Đã ghi nhận kết quả thanh toán."),
    "duplicate": (200, "Thông báo trùng lặp, không thay đổi gì."),
    "still_pending": (200, "Giao dịch chưa có kết quả."),
    "late_conflict": (409, "Thông báo đến muộn, mâu thuẫn với kết quả đã ghi nhận."),
    "invalid_signature": (403, "Chữ ký của thông báo không hợp lệ."),
    "malformed": (400, "Thông báo không đúng định dạng."),
    "unknown_payment": (404, "Không tìm thấy giao dịch thanh toán."),
    "amount_mismatch": (400, "Số tiền trong thông báo không khớp với số tiền phải nộp."),
    "currency_mismatch": (400, "Loại tiền trong thông báo không khớp (VND)."),
}


#: Outcomes of an earlier notice that make a later one with the same event id a replay. A notice we rejected
#: (amount or currency mismatch, unknown payment) changed nothing, so the platform's corrected re-send of the same
#: event must still be applied.
REPLAY_OUTCOMES = ("accepted", "duplicate", "late_conflict")


def _apply_result(*, payment: Payment, result: GatewayResult) -> str:
    """Apply a signature-checked result to a locked payment; returns the outcome code. Never double-counts."""
    if result.amount != payment.amount:
        return "amount_mismatch"
    if result.currency != payment.currency:
        return "currency_mismatch"
    new_status = _GW_TO_STATUS.get(result.status)
    if new_status is None:
        return "malformed"
    if payment.status != PaymentStatus.PENDING:
        return "duplicate" if new_status == payment.status else "late_conflict"
    if new_status == PaymentStatus.PENDING:
        return "still_pending"
    now = timezone.now()
    payment.status, payment.resolved_at = new_status, now
    if new_status == PaymentStatus.PAID:
        payment.paid_at = result.paid_at or now
    payment.save(update_fields=["status", "resolved_at", "paid_at", "updated_at"])
    audit_record(
        actor=GATEWAY_ACTOR,
        action=f"payment.{new_status}",
        obj=payment,
        before={"status": PaymentStatus.PENDING},
        after={"status": new_status, "transaction": payment.gateway_txn_id, "amount": payment.amount},
    )
    if new_status == PaymentStatus.PAID:
        _on_paid(payment)
    return "accepted"


def _resume_status(dossier: Dossier) -> str:
    """Back where the request came from: a dossier asked to pay at the desk (accepted, not yet in its internal
    process) goes back to the desk to be forwarded; one asked during processing resumes processing."""
    return (
        dossier.events.filter(action="request_payment")
        .order_by("-at", "-pk")
        .values_list("from_status", flat=True)
        .first()
    ) or Status.PROCESSING


def _on_paid(payment: Payment) -> None:
    receipt = receipt_issue(actor=GATEWAY_ACTOR, payment=payment)
    dossier = _locked_dossier(payment.dossier)
    if dossier.status == Status.PAYMENT_REQUESTED and dossier.owner_id:
        resume = _resume_status(dossier)
        # The platform reports on the owner's behalf: the history shows the owner paying.
        _dossier_transition(
            actor=dossier.owner,
            dossier=dossier,
            name="pay",
            to_status=resume,
            note=f"Đã thanh toán {vnd(payment.amount)}, biên lai số {receipt.receipt_no} "
            f"(giao dịch {payment.gateway_txn_id})",
        )
    else:
        # confirmed while the dossier no longer waits for it (withdrawn, stopped meanwhile): no `pay` transition, but
        # the contexts that count payments (monitoring's online payment share) must still see it
        registry.emit(LifecycleEvent("payment.paid", dossier=dossier, actor=GATEWAY_ACTOR, data={"payment": payment}))


def _event(
    *,
    source: str,
    payment: Payment | None,
    outcome: str,
    raw: str = "",
    headers: dict | None = None,
    result: GatewayResult | None = None,
    signature_ok: bool = False,
    detail: str = "",
) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        source=source,
        raw_body=raw[:20000],
        headers=headers or {},
        signature_ok=signature_ok,
        duplicate=outcome == "duplicate",
        outcome=outcome,
        detail=detail[:300],
        event_id=(result.event_id if result else "")[:64],
        gateway_txn_id=(result.transaction_id if result else "")[:64],
        reported_status=(result.status if result else "")[:20],
    )


def _safe_headers(headers) -> dict:
    wanted = {"content-type", "user-agent", wire.SIGNATURE_HEADER.lower(), "x-forwarded-for"}
    return {key: value for key, value in headers.items() if key.lower() in wanted}


@transaction.atomic
def payment_handle_callback(*, headers, body: bytes) -> CallbackOutcome:
    """The platform's server-to-server notice. Signature checked (constant time), amount and currency checked
    against what we asked, idempotent: a duplicate or replayed notice (same event id) changes nothing.
    Every notice, accepted or not, is kept in the callback log with its raw body."""
    raw, kept_headers = body.decode("utf-8", "replace"), _safe_headers(headers)
    try:
        result = get_gateway().verify_callback(headers, body)
    except SignatureInvalid as exc:
        return _outcome(
            _event(
                source=EventSource.CALLBACK,
                payment=None,
                outcome="invalid_signature",
                raw=raw,
                headers=kept_headers,
                detail=str(exc),
            )
        )
    except GatewayError as exc:
        return _outcome(
            _event(
                source=EventSource.CALLBACK,
                payment=None,
                outcome="malformed",
                raw=raw,
                headers=kept_headers,
                detail=str(exc),
            )
        )
    payment = (
        Payment.objects.select_for_update()
        .select_related("dossier", "agency")
        .filter(gateway_txn_id=result.transaction_id, uuid=_uuid_or_none(result.order_id))
        .first()
    )
    if payment is None:
        outcome = "unknown_payment"
    elif (
        result.event_id
        and PaymentEvent.objects.filter(
            event_id=result.event_id, signature_ok=True, source=EventSource.CALLBACK, outcome__in=REPLAY_OUTCOMES
        ).exists()
    ):
        outcome = "duplicate"  # replay of a notice already processed
    else:
        outcome = _apply_result(payment=payment, result=result)
    if outcome in ("amount_mismatch", "currency_mismatch", "late_conflict"):
        audit_record(
            actor=GATEWAY_ACTOR,
            action=f"payment.callback_{outcome}",
            obj=payment,
            after={
                "reported_amount": result.amount,
                "reported_currency": result.currency,
                "reported_status": result.status,
                "event": result.event_id,
            },
        )
    return _outcome(
        _event(
            source=EventSource.CALLBACK,
            payment=payment,
            outcome=outcome,
            raw=raw,
            headers=kept_headers,
            result=result,
            signature_ok=True,
        )
    )


def _outcome(event: PaymentEvent) -> CallbackOutcome:
    status, detail = _OUTCOME_HTTP[event.outcome]
    return CallbackOutcome(event=event, http_status=status, code=event.outcome, detail=detail)


def _uuid_or_none(value: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@transaction.atomic
def _payment_apply_polled(*, payment: Payment, result: GatewayResult) -> str:
    locked = Payment.objects.select_for_update().select_related("dossier", "agency").get(pk=payment.pk)
    locked.last_checked_at = timezone.now()
    locked.save(update_fields=["last_checked_at"])
    if result.transaction_id != locked.gateway_txn_id or result.order_id != str(locked.uuid):
        outcome = "unknown_payment"
    else:
        outcome = _apply_result(payment=locked, result=result)
    raw = json.dumps(
        {
            "transaction_id": result.transaction_id,
            "status": result.status,
            "amount": result.amount,
            "currency": result.currency,
            "paid_at": result.paid_at.isoformat() if result.paid_at else None,
        }
    )
    _event(source=EventSource.POLL, payment=locked, outcome=outcome, raw=raw, result=result, signature_ok=True)
    return outcome


def payment_poll_pending(
    *, older_than: datetime.timedelta | None = None, limit: int = 200, only: Payment | None = None
) -> dict[str, int]:
    """Ask the platform about pending payments whose callback has not come (created more than `older_than` ago).

    Each payment is queried outside a transaction and updated in its own, so one failure does not stop the rest.
    Returns counts per outcome (plus `error` for payments the platform could not answer about). `only` limits the
    run to one payment (the payer's return page, `payment_settle_stale`).
    """
    if older_than is None:
        older_than = datetime.timedelta(minutes=settings.PAYMENT_POLL_AFTER_MINUTES)
    cutoff = timezone.now() - older_than
    pending = Payment.objects.filter(status=PaymentStatus.PENDING, gateway_txn_id__isnull=False, created_at__lte=cutoff)
    if only is not None:
        pending = pending.filter(pk=only.pk)
    pending = list(pending.order_by("created_at")[:limit])
    gateway, counts = get_gateway(), {}
    for payment in pending:
        try:
            outcome = _payment_apply_polled(payment=payment, result=gateway.query_status(payment.gateway_txn_id))
        except GatewayError as exc:
            logger.warning("status query failed for payment %s: %s", payment.uuid, exc)
            outcome = "error"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def payment_settle_stale(*, payment: Payment) -> Payment:
    """The payer is back from the platform (or reloads the page) and the payment is still pending: when it is older
    than `PAYMENT_RETURN_POLL_AFTER_SECONDS` and was not asked about that recently, ask the platform now through
    `payment_poll_pending`, so a lost callback does not leave the citizen waiting for the periodic poll (Celery beat,
    which `make run` does not start). The callback stays the normal path; this only settles what it missed."""
    if payment.status != PaymentStatus.PENDING or not payment.gateway_txn_id:
        return payment
    wait = datetime.timedelta(seconds=settings.PAYMENT_RETURN_POLL_AFTER_SECONDS)
    if payment.last_checked_at and timezone.now() - payment.last_checked_at < wait:
        return payment
    if payment_poll_pending(older_than=wait, limit=1, only=payment):
        payment.refresh_from_db()
    return payment

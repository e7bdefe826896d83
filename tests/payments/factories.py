"""Payments test data through the payments services: fees assessed by `payment_request`, a payment confirmed the
way a verified platform callback confirms it (`_apply_result`: receipt issued, `pay` transition, run resumed)."""

import uuid

from django.utils import timezone

from dichvucong.payments import wire
from dichvucong.payments.gateway import GatewayResult
from dichvucong.payments.models import FeeAssessment, Payment
from dichvucong.payments.services import _apply_result, payment_request


def fees_requested(dossier, *, officer, note: str = "") -> FeeAssessment:
    """The handling officer assesses the fees and asks the applicant to pay (`payment_request`)."""
    return payment_request(actor=officer, dossier=dossier, note=note)


def paid_payment(dossier, *, transaction_id: str = "") -> Payment:
    """The owner's payment of the assessed fees, confirmed as by a verified callback of the payment platform; the
    receipt is issued and the dossier resumes where the request came from."""
    assessment = FeeAssessment.objects.get(dossier=dossier)
    payment = Payment.objects.create(dossier=dossier, assessment=assessment, agency=dossier.agency,
                                     payer=dossier.owner, amount=assessment.total, currency=assessment.currency,
                                     gateway_txn_id=transaction_id or f"TEST-{uuid.uuid4().hex[:20]}")
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    result = GatewayResult(transaction_id=payment.gateway_txn_id, order_id=str(payment.uuid), amount=payment.amount,
                           currency=payment.currency, status=wire.GW_SUCCESS, paid_at=timezone.now(),
                           event_id=f"test-{payment.uuid}")
    outcome = _apply_result(payment=payment, result=result)
    assert outcome == "accepted", outcome
    payment.refresh_from_db()
    return payment

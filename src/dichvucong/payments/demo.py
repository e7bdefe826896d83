"""Idempotent demo data of the payments context, called by dichvucong.demo.loader.load_demo (after the dossiers).

The demo dossier "demo-2" (citizen, Cấp Phiếu lý lịch tư pháp at Sở Tư pháp, being processed) gets its fee
assessment through the real `payment_request` (the specialist's step asks for the fees) and is paid: the payment is
settled by `payment_settle_for_demo`, which stands in for the payment platform's confirmation (no simulator needed
to load the demo) and then follows the same path as a verified callback: receipt, `pay` transition, run resumed.
"""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status

from . import wire
from .gateway import GatewayResult
from .models import FeeAssessment, Payment
from .services import _apply_result, payment_request

logger = logging.getLogger(__name__)

PAID_DEMO = ("citizen", "demo-2", "sotp.specialist")  # owner, idempotency key of the dossier, the step's officer


@transaction.atomic
def payment_settle_for_demo(*, dossier: Dossier) -> Payment:
    """DEMO ONLY: record the owner's payment of the assessed fees as confirmed by the platform (a `DEMO-` transaction
    id marks it). Never call this outside the demo loader: real payments are confirmed by a signed callback or a
    status query of the payment platform (`services.payment_handle_callback`, `payment_poll_pending`)."""
    assessment = FeeAssessment.objects.get(dossier=dossier)
    payment = Payment.objects.create(
        dossier=dossier,
        assessment=assessment,
        agency=dossier.agency,
        payer=dossier.owner,
        amount=assessment.total,
        currency=assessment.currency,
        gateway_txn_id=f"DEMO-{uuid.uuid4().hex[:20]}",
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    result = GatewayResult(
        transaction_id=payment.gateway_txn_id,
        order_id=str(payment.uuid),
        amount=payment.amount,
        currency=payment.currency,
        status=wire.GW_SUCCESS,
        paid_at=timezone.now(),
        event_id=f"demo-{payment.uuid}",
    )
    outcome = _apply_result(payment=payment, result=result)
    if outcome != "accepted":  # defensive: the demo data must be consistent
        raise RuntimeError(f"demo payment not accepted: {outcome}")
    return payment


def load_demo(agencies: dict) -> None:
    owner_name, key, officer_name = PAID_DEMO
    dossier = Dossier.objects.filter(owner__username=owner_name, idempotency_key=key).first()
    officer = User.objects.filter(username=officer_name).first()
    if dossier is None or officer is None or FeeAssessment.objects.filter(dossier=dossier).exists():
        return
    if dossier.status != Status.PROCESSING or not dossier.procedure.fees.exists():
        logger.info("demo payment skipped: dossier %s is %s", dossier.code, dossier.status)
        return
    payment_request(actor=officer, dossier=dossier, note="Đề nghị nộp phí cung cấp thông tin lý lịch tư pháp")
    payment = payment_settle_for_demo(dossier=Dossier.objects.get(pk=dossier.pk))
    logger.info("demo dossier %s paid (%s đồng)", dossier.code, payment.amount)

"""The demo data of results, wallet and payments: loaded through the real loader, idempotent, consistent."""

import pytest

from dichvucong.demo.loader import load_demo
from dichvucong.dossiers.models import Dossier
from dichvucong.payments.models import FeeAssessment, Payment, Receipt
from dichvucong.results.models import ElectronicResult, ResultTemplate
from dichvucong.signing.verification import pdf_verify
from dichvucong.wallet.models import WalletItem

pytestmark = pytest.mark.django_db


def test_demo_results_wallet_and_paid_dossier():
    load_demo()
    counts = (
        ElectronicResult.objects.count(),
        WalletItem.objects.count(),
        Payment.objects.count(),
        Receipt.objects.count(),
        ResultTemplate.objects.count(),
    )
    load_demo()
    assert (
        ElectronicResult.objects.count(),
        WalletItem.objects.count(),
        Payment.objects.count(),
        Receipt.objects.count(),
        ResultTemplate.objects.count(),
    ) == counts

    assert counts[0] >= 1  # demo dossiers walked through the leader's sign and the clerk's deliver
    paid = Dossier.objects.get(owner__username="citizen", idempotency_key="demo-2")
    assert paid.status == "processing"
    assert FeeAssessment.objects.get(dossier=paid).total > 0
    payment = Payment.objects.get(dossier=paid)
    assert payment.status == "paid" and payment.gateway_txn_id.startswith("DEMO-")
    assert Receipt.objects.filter(payment=payment, amount=payment.amount).exists()
    assert ResultTemplate.objects.filter(procedure__code="2.000635").exists()
    assert WalletItem.objects.filter(owner__username="citizen", kind="submitted_document").exists()

    for result in ElectronicResult.objects.select_related("dossier"):
        with result.file.open("rb") as handle:
            assert pdf_verify(handle.read()).valid, result.dossier.code
        assert result.status == "issued"
        assert WalletItem.objects.filter(kind="result", sha256=result.sha256).exists()

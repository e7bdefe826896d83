"""The payments context's HTML pages (docs/adr/0006-web-layer.md): `public` for the payer, `office` for the
reconciliation officers."""

from .office import CashBookView, ReconciliationDetailView, ReconciliationView
from .public import PaymentCheckView, PaymentPageView, PaymentReturnView

__all__ = [
    "CashBookView",
    "PaymentCheckView",
    "PaymentPageView",
    "PaymentReturnView",
    "ReconciliationDetailView",
    "ReconciliationView",
]

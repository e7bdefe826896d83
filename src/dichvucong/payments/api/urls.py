"""API routes of the payments context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<str:code>/payments/", views.DossierPaymentsApi.as_view(), name="dossier-payments"),
    path("dossiers/<str:code>/fees/", views.DossierFeesApi.as_view(), name="dossier-fees"),
    path("dossiers/<str:code>/payment-request/", views.PaymentRequestApi.as_view(), name="dossier-payment-request"),
    path("payments/callback/", views.PaymentCallbackApi.as_view(), name="payment-callback"),
    path("payments/<uuid:uuid>/", views.PaymentDetailApi.as_view(), name="payment-detail"),
    path("receipts/<uuid:uuid>.pdf", views.ReceiptPdfApi.as_view(), name="receipt-pdf"),
    path("cash-book/", views.CashBookApi.as_view(), name="cash-book"),
    path("reconciliations/", views.ReconciliationRunApi.as_view(), name="reconciliation-run"),
    path("reconciliations/<uuid:uuid>/", views.ReconciliationDetailApi.as_view(), name="reconciliation-detail"),
    path(
        "reconciliations/<uuid:uuid>/export.xlsx", views.ReconciliationExportApi.as_view(), name="reconciliation-export"
    ),
]

from django.contrib import admin

from .models import FeeAssessment, Payment, PaymentEvent, Receipt, Reconciliation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Payments are written by the services only; the admin is for looking."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FeeAssessment)
class FeeAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "total", "currency", "created_at"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["uuid", "dossier", "amount", "status", "gateway_txn_id", "paid_at"]
    list_filter = ["status"]
    search_fields = ["gateway_txn_id", "dossier__code"]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "source", "gateway_txn_id", "outcome", "signature_ok", "duplicate"]
    list_filter = ["source", "outcome", "signature_ok", "duplicate"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "number", "payer_name", "amount", "issued_at"]


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ["agency", "day", "matched", "differences", "created_at"]

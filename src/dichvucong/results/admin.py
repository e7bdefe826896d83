from django.contrib import admin

from .models import ElectronicResult, ResultDelivery, ResultTemplate
from .rendering import PLACEHOLDERS


@admin.register(ResultTemplate)
class ResultTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "procedure", "layout", "active"]
    list_filter = ["layout", "active"]
    search_fields = ["title", "procedure__code", "procedure__name"]
    raw_id_fields = ["procedure"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["help_texts"] = {"body": "Trường thay thế: " + ", ".join("{{ %s }}" % p for p in PLACEHOLDERS)}
        return super().get_form(request, obj, change, **kwargs)


@admin.register(ElectronicResult)
class ElectronicResultAdmin(admin.ModelAdmin):
    """Read-only: results are written by the workflow's sign/seal/deliver actions only."""

    list_display = ["number", "dossier", "status", "issued_at"]
    list_filter = ["status"]
    search_fields = ["number", "dossier__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResultDelivery)
class ResultDeliveryAdmin(ElectronicResultAdmin):
    list_display = ["dossier", "method", "carrier", "tracking_number", "sent_at", "delivered_at"]
    list_filter = ["method"]
    search_fields = ["dossier__code", "tracking_number"]

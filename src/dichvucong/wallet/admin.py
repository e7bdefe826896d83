from django.contrib import admin

from .models import WalletItem


@admin.register(WalletItem)
class WalletItemAdmin(admin.ModelAdmin):
    """Read-only: items are kept by the submission and result services only."""

    list_display = ["title", "owner", "kind", "source_code", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "owner__username", "source_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

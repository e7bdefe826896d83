"""Read-only admin of dossiers: changes go through the services (history and audit), never through the admin."""

from django.contrib import admin

from .models import Apology, Dossier, DossierEvent, SupplementRequest, Upload


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    fields = ["at", "actor_label", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["code", "procedure", "agency", "applicant_name", "channel", "status", "due_at", "timeliness"]
    list_filter = ["status", "channel", "timeliness"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    list_select_related = ["procedure", "agency"]
    inlines = [EventInline]


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "owner", "size", "content_type", "used", "expires_at"]
    list_filter = ["used", "content_type"]
    list_select_related = ["owner"]


admin.site.register(SupplementRequest, ReadOnlyAdmin)
admin.site.register(Apology, ReadOnlyAdmin)

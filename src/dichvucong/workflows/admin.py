from django.contrib import admin

from .models import Consultation, Handover, Process, ProcessRun, ProcessStep, ProcessTransition, WorkItem


class StepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ["order", "key", "name", "role", "other_agency", "duration_hours", "actions", "is_start"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    """Read-mostly: definitions change only through the services (draft → approval), never here."""

    list_display = ["procedure", "scope", "tier", "agency", "version", "status", "active_from"]
    list_filter = ["status", "scope", "tier"]
    search_fields = ["procedure__code", "procedure__name", "decision_number"]
    inlines = [StepInline]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register([ProcessTransition, ProcessRun, WorkItem, Handover, Consultation])

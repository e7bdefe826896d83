from django.contrib import admin

from .models import JournalEntry, Operation, Plan


class OperationInline(admin.TabularInline):
    model = Operation
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "effective_on", "status", "approved_at", "applied_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "approved_by", "approved_at", "applied_at"]
    inlines = [OperationInline]


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ["plan", "key", "done_at"]
    readonly_fields = ["plan", "key", "done_at", "detail"]

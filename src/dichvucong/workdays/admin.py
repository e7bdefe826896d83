"""Django admin for the yearly calendar decisions. Every change leaves an audit row (the cache is rebuilt by signals)."""

from django.contrib import admin

from dichvucong.audit.services import audit_record

from .models import CalendarDecision, CalendarException
from .services import decision_snapshot, exception_snapshot


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 1
    fields = ["date", "kind", "note"]


@admin.register(CalendarDecision)
class CalendarDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issuer", "issued_on"]
    search_fields = ["number", "title"]
    inlines = [CalendarExceptionInline]

    def save_model(self, request, obj, form, change):
        before = decision_snapshot(CalendarDecision.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        after = {key: value for key, value in decision_snapshot(obj).items() if key != "exceptions"}
        if before is not None:
            before.pop("exceptions")
        if before != after:
            audit_record(
                actor=request.user,
                action="calendar_decision.update" if change else "calendar_decision.create",
                obj=obj,
                before=before,
                after=after,
            )

    def save_formset(self, request, form, formset, change):
        befores = {row.pk: exception_snapshot(row) for row in formset.queryset}
        instances = formset.save(commit=False)
        for row in formset.deleted_objects:
            audit_record(actor=request.user, action="calendar_exception.remove", obj=row, before=befores.get(row.pk))
            row.delete()
        for row in instances:
            is_new = row.pk is None
            row.save()
            audit_record(
                actor=request.user,
                action="calendar_exception.add" if is_new else "calendar_exception.update",
                obj=row,
                before=None if is_new else befores.get(row.pk),
                after=exception_snapshot(row),
            )
        formset.save_m2m()

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="calendar_decision.delete", obj=obj, before=decision_snapshot(obj))
        super().delete_model(request, obj)

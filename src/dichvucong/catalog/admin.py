from django.contrib import admin

from .models import (
    CatalogChange,
    CatalogDecision,
    ChangeRequest,
    FeeRule,
    Field,
    Offering,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
)


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class FeeRuleInline(admin.TabularInline):
    model = FeeRule
    extra = 0


class OfferingInline(admin.TabularInline):
    model = Offering
    extra = 0
    autocomplete_fields = ["agency"]
    readonly_fields = ["online_mode"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "tiers", "online_level", "online_mode", "valid_from", "valid_to"]
    list_filter = ["online_level", "field"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["field"]
    inlines = [RequiredDocumentInline, FeeRuleInline, OfferingInline]
    readonly_fields = ["online_mode"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class CatalogChangeInline(admin.TabularInline):
    model = CatalogChange
    extra = 0
    readonly_fields = ["procedure", "before"]


@admin.register(CatalogDecision)
class CatalogDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "signed_on", "effective_on", "status"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [CatalogChangeInline]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["agency", "procedure_code", "kind", "summary", "status", "submitted_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["agency"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "valid_from", "valid_to", "kind", "decision"]
    list_select_related = ["procedure", "decision"]

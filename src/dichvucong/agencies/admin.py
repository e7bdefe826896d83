from django.contrib import admin

from .models import Agency, AgencySuccession, ProvinceSettings


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "tier", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["tier", "kind"]
    search_fields = ["code", "name", "search_text"]
    readonly_fields = ["code", "parent", "tier", "path"]


@admin.register(ProvinceSettings)
class ProvinceSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "code_suffix", "tier_model", "tier_model_since"]


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective_on", "kind", "primary"]
    list_filter = ["kind"]
    readonly_fields = ["predecessor", "successor", "effective_on", "kind", "primary", "legal_basis"]

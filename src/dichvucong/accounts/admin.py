from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "kind", "id_number", "tax_code", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "id_number", "tax_code", "organisation_name"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Hồ sơ",
            {
                "fields": [
                    "kind",
                    "full_name",
                    "id_number",
                    "date_of_birth",
                    "phone",
                    "address",
                    "organisation_name",
                    "tax_code",
                    "job_title",
                ]
            },
        ),
    )
    inlines = [RoleAssignmentInline]

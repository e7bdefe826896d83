from django.contrib import admin

from .models import SigningCertificate


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    list_display = ["common_name", "kind", "owner_user", "agency", "serial", "not_after", "active"]
    list_filter = ["kind", "active", "backend"]
    search_fields = ["common_name", "serial", "fingerprint", "owner_user__username", "agency__code"]
    readonly_fields = ["subject", "common_name", "issuer", "serial", "not_before", "not_after", "fingerprint",
                       "certificate_pem", "uuid", "created_at", "updated_at"]
    raw_id_fields = ["owner_user", "agency"]

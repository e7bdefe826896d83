from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role

from .models import SigningCertificate
from .services import certificate_deactivate


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    """Certificates are registered by the management commands; here they are looked at and retired (audited)."""

    list_display = ["common_name", "kind", "owner_user", "agency", "serial", "not_after", "backend", "active"]
    list_filter = ["kind", "active", "backend"]
    search_fields = ["common_name", "serial", "fingerprint", "owner_user__username", "agency__code"]
    actions = ["deactivate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_deactivate_permission(self, request):
        return request.user.is_superuser or user_has_role(request.user, Role.PROVINCE_ADMIN)

    @admin.action(description=_("Ngừng sử dụng các chứng thư đã chọn"), permissions=["deactivate"])
    def deactivate(self, request, queryset):
        for certificate in queryset.filter(active=True):
            certificate_deactivate(actor=request.user, certificate=certificate)
        self.message_user(request, _("Đã ngừng sử dụng chứng thư."), messages.SUCCESS)

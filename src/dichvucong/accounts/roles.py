"""Roles. Agency roles are held for one agency; province roles for the whole province (agency is empty)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ một cửa (tiếp nhận, trả kết quả)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    DIVISION_HEAD = "division_head", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo cơ quan")
    CLERK = "clerk", _("Văn thư")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh (Văn phòng UBND tỉnh)")
    MONITOR = "monitor", _("Giám sát, theo dõi (Tổ công tác)")


AGENCY_ROLES = frozenset(
    {Role.RECEPTION, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK, Role.AGENCY_ADMIN}
)
PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.MONITOR})

"""Who sees which report (issue 13): the province's monitors and admins the province, an agency's officers their
agency (and the units below it), citizens only the public statistics page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dichvucong.accounts.selectors import is_province_wide, user_agencies
from dichvucong.agencies.models import Agency
from dichvucong.common.errors import NotFoundError, PermissionDeniedError


@dataclass(frozen=True)
class Scope:
    """What a report covers: the whole province (`agencies` None) or the agencies listed (each with its subtree)."""

    agencies: tuple[Agency, ...] | None
    province_wide: bool

    @property
    def label(self) -> str:
        if self.agencies is None:
            return _("Toàn tỉnh")
        return "; ".join(a.name for a in self.agencies)


def can_see_reports(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_province_wide(user) or bool(user_agencies(user))


def report_scope(user, agency_code: str | None = None) -> Scope:
    """The scope of a report asked by `user` for `agency_code` (empty: everything the user may see).

    Refusals: not staff → 403 `report_forbidden`; unknown agency → 404 `agency_not_found`; an agency outside the
    user's agencies → 403 `report_forbidden`."""
    if not can_see_reports(user):
        raise PermissionDeniedError(
            _("Chỉ cán bộ cơ quan và Tổ công tác giám sát được xem báo cáo; mời xem trang số liệu công khai."),
            code="report_forbidden",
        )
    province_wide = is_province_wide(user)
    agency = None
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            raise NotFoundError(_("Không có cơ quan mã «%(code)s».") % {"code": agency_code}, code="agency_not_found")
    if province_wide:
        return Scope(agencies=(agency,) if agency else None, province_wide=True)
    own = user_agencies(user)
    if agency is None:
        return Scope(agencies=tuple(own), province_wide=False)
    if any(agency.path.startswith(a.path) for a in own):
        return Scope(agencies=(agency,), province_wide=False)
    raise PermissionDeniedError(
        _("Bạn chỉ xem được báo cáo của cơ quan mình."), code="report_forbidden", fields={"agency": [agency_code]}
    )

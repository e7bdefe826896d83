"""The officers' catalogue pages: agencies' change requests to the catalogue, with their age in working days."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dichvucong.accounts.decorators import staff_required
from dichvucong.accounts.selectors import is_province_wide, user_agencies

from .. import selectors


@staff_required
@require_GET
def change_requests(request):
    """Pending and handled change requests with their age in working days (deadline: 3 working days)."""
    province_wide = is_province_wide(request.user)
    agencies = user_agencies(request.user)
    if not province_wide and not agencies:
        raise PermissionDenied
    qs = selectors.change_requests_visible_to(request.user, province_wide=province_wide, agencies=agencies)
    rows = selectors.change_requests_with_age(qs.order_by("status", "submitted_at"))
    return render(
        request, "catalog/change_requests.html", {"rows": rows, "deadline": selectors.CHANGE_REQUEST_DEADLINE_DAYS}
    )

"""Error pages (urls.py `handler400/403/404/500`): the API error format of API.md under /api/, HTML elsewhere.

Inside the API, DRF's exception handler (common/api/errors.py) already answers `{"code", "detail", "fields"}`; these
views cover what never reaches a DRF view, above all an unknown `/api/v1/...` path (Django's resolver 404).
"""

import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from dichvucong.common.api.errors import error_body

from .error_pages import error_response, is_database_outage, outage_response, server_error_response

API_PREFIX = "/api/"


def _api_error(request, status: int, code: str, detail: str) -> JsonResponse | None:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(code, detail), status=status)
    return None


def bad_request(request, exception=None):
    return error_response(request, 400, "bad_request", _("Yêu cầu không hợp lệ."), title=_("Yêu cầu không hợp lệ"))


def permission_denied(request, exception=None):
    return _api_error(
        request, 403, "permission_denied", "Bạn không có quyền thực hiện thao tác này."
    ) or defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    return _api_error(request, 404, "not_found", "Không tìm thấy địa chỉ này.") or defaults.page_not_found(
        request, exception
    )


def server_error(request):
    """A 503 with Retry-After when the database is unreachable (an outage, not a bug), else the 500; both in
    Vietnamese, both without a database query or the session (common/error_pages.py)."""
    if is_database_outage(sys.exc_info()[1]):
        return outage_response(request)
    return server_error_response(request)

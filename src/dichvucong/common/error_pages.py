"""Error answers that must work when nothing else does: no database query, no session, no static manifest.

`error_response(request, status, code, detail)` answers the API's error format (`{"code", "detail", "fields"}`)
under `/api/` and a small Vietnamese page (`templates/errors/_page.html`, rendered without the request's context
processors, so without touching the session or the database) elsewhere. Used by the request guard
(`common/request_guard.py`) and the 500/503 handlers (`common/error_views.py`).
"""

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def retry_after_seconds() -> int:
    return int(getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 30))


def error_response(request, status: int, code: str, detail: str, *, title: str = "", retry_after: int | None = None):
    if request is not None and request.path.startswith(API_PREFIX):
        response = JsonResponse({"code": code, "detail": detail, "fields": {}}, status=status)
    else:
        html = render_to_string(
            "errors/_page.html",
            {
                "title": title or detail,
                "message": detail,
                "retry_after": retry_after,
                "static_url": settings.STATIC_URL,
                "province": getattr(settings, "PROVINCE_NAME", ""),
            },
        )
        response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    if retry_after:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def is_database_outage(exc: BaseException | None) -> bool:
    """The database cannot be reached (connection refused, lost, server shutting down): a 503, not a bug.

    `OperationalError` and `InterfaceError` are what Django raises for those; a `DatabaseError` whose cause is a
    psycopg connection failure too. Data errors (`IntegrityError`, `DataError`) stay 500s: they are ours."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if isinstance(exc, DatabaseError) and type(exc.__cause__).__name__ in ("OperationalError", "InterfaceError"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def outage_response(request):
    return error_response(
        request,
        503,
        "service_unavailable",
        _("Hệ thống tạm thời gián đoạn (không kết nối được cơ sở dữ liệu). Dữ liệu của bạn không bị mất."),
        title=_("Hệ thống tạm thời gián đoạn"),
        retry_after=retry_after_seconds(),
    )


def server_error_response(request):
    return error_response(
        request,
        500,
        "server_error",
        _("Hệ thống gặp lỗi. Vui lòng thử lại sau."),
        title=_("Hệ thống gặp lỗi"),
    )

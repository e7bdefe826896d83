"""Input no view should ever see, refused once for every URL, before any view, parser or database query runs.

- **NUL characters** (`\\x00`, `%00`, `\\u0000`) in the path, the query string, a header or cookie, a url-encoded or
  JSON body, or a JSON key: PostgreSQL cannot store NUL in text, so such a value would end as a 500 deep inside a
  query (issue 12, item 1). SQLite stores it, so only the suite on PostgreSQL sees the difference.
- **Bodies larger than `REQUEST_MAX_BYTES`**, judged by the declared `Content-Length` before a byte is read (a 413);
  the per-file and per-dossier limits of uploads are checked later, on the parsed file.
- **JSON nested deeper than `REQUEST_JSON_MAX_DEPTH`** (default 32): Python's parser and every walker over the data
  recurse; thousands of nested arrays would end in a RecursionError (a 500).

The refusal is the API's error format (`{"code", "detail", "fields"}`) under `/api/`, a Vietnamese page elsewhere
(`common/error_pages.py`). Multipart bodies are not read here (files may contain NUL bytes; their text fields go
through Django's and DRF's `CharField`, which refuse NUL already, and uploads check file names).
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

from .error_pages import error_response

NUL = "\x00"
JSON_TYPES = ("application/json",)


def max_request_bytes() -> int:
    return int(getattr(settings, "REQUEST_MAX_BYTES", 25 * 1024 * 1024))


def max_json_depth() -> int:
    return int(getattr(settings, "REQUEST_JSON_MAX_DEPTH", 32))


def json_problem(value, *, max_depth: int) -> str | None:
    """`"nul"` when a string or key of the decoded JSON holds NUL, `"depth"` when it nests deeper than `max_depth`
    (checked without recursion), else None."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return "nul"
        elif isinstance(item, dict | list):
            if depth > max_depth:
                return "depth"
            if isinstance(item, dict):
                for key, child in item.items():
                    if NUL in key:
                        return "nul"
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
    return None


def _nul_refusal(request, where: str):
    return error_response(
        request,
        400,
        "invalid_characters",
        _("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL) ở %(where)s.") % {"where": where},
        title=_("Yêu cầu không hợp lệ"),
    )


def _too_deep(request):
    return error_response(
        request,
        400,
        "too_deeply_nested",
        _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)s cấp).") % {"depth": max_json_depth()},
        title=_("Yêu cầu không hợp lệ"),
    )


def _too_large(request, limit: int):
    return error_response(
        request,
        413,
        "request_too_large",
        _("Dữ liệu gửi lên vượt quá dung lượng cho phép (%(limit)s MB).") % {"limit": max(1, limit // (1024 * 1024))},
        title=_("Dữ liệu quá lớn"),
    )


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request):
        if NUL in request.path_info:
            return _nul_refusal(request, _("địa chỉ"))
        if NUL in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
            return _nul_refusal(request, _("tham số truy vấn"))
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
                return _nul_refusal(request, _("tiêu đề HTTP"))
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            return _nul_refusal(request, _("cookie"))
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = max_request_bytes()
        if declared > limit:
            return _too_large(request, limit)
        if not declared or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = (request.content_type or "").lower()
        if content_type.startswith("multipart/"):
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return _too_large(request, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or limit))
        if b"\x00" in body:
            return _nul_refusal(request, _("nội dung gửi lên"))
        if content_type == "application/x-www-form-urlencoded":
            try:
                if _has_nul(request.POST):
                    return _nul_refusal(request, _("nội dung gửi lên"))
            except Exception:  # noqa: BLE001, S110 - malformed forms are the view's (Django's) business
                return None
        elif content_type in JSON_TYPES or content_type.endswith("+json"):
            return self._json_refusal(request, body)
        return None

    def _json_refusal(self, request, body: bytes):
        try:
            data = json.loads(body)
        except RecursionError:
            return _too_deep(request)
        except ValueError:
            return None  # not JSON: the API's parser answers its own 400
        problem = json_problem(data, max_depth=max_json_depth())
        if problem == "nul":
            return _nul_refusal(request, _("nội dung gửi lên"))
        if problem == "depth":
            return _too_deep(request)
        return None


def _has_nul(querydict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in querydict.lists())

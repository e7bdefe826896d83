"""The API error format of API.md: `{"code": "<stable_code>", "detail": "<Vietnamese>", "fields": {...}}`."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dichvucong.common.errors import DomainError, flatten_fields

# DRF's default codes mapped to our stable codes, with Vietnamese messages.
_DEFAULT_MESSAGES = {
    "not_authenticated": gettext_lazy("Bạn cần đăng nhập để thực hiện thao tác này."),
    "authentication_failed": gettext_lazy("Thông tin xác thực không hợp lệ."),
    "permission_denied": gettext_lazy("Bạn không có quyền thực hiện thao tác này."),
    "not_found": gettext_lazy("Không tìm thấy."),
    "method_not_allowed": gettext_lazy("Phương thức không được hỗ trợ."),
    "throttled": gettext_lazy("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau."),
    "unsupported_media_type": gettext_lazy("Định dạng dữ liệu gửi lên không được hỗ trợ."),
    "parse_error": gettext_lazy("Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."),
    "not_acceptable": gettext_lazy("Không thể trả về định dạng được yêu cầu."),
}


_MULTIPART_UNREADABLE = gettext_lazy(
    "Dữ liệu tải lên (multipart) không đọc được: tên tệp quá dài (tối đa 255 ký tự) hoặc phần đầu không hợp lệ."
)


def _is_multipart(context) -> bool:
    request = (context or {}).get("request")
    return bool(request is not None and (request.content_type or "").lower().startswith("multipart/"))


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    return {"code": code, "detail": detail, "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.detail, exc.fields), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        detail = "; ".join(exc.messages)
        return Response(error_body("validation_error", detail, flatten_fields(fields)), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(
            "validation_error",
            _("Dữ liệu không hợp lệ, vui lòng kiểm tra các trường được đánh dấu."),
            flatten_fields(data),
        )
        return response
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = codes if isinstance(codes, str) else "error"
    detail = str(_DEFAULT_MESSAGES.get(code, getattr(exc, "detail", "")))
    if code == "parse_error" and _is_multipart(context):
        detail = str(_MULTIPART_UNREADABLE)
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        detail = _("%(detail)s (%(seconds)s giây)") % {"detail": detail, "seconds": int(exc.wait)}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and code == "error":
        code = "not_authenticated"
    response.data = error_body(code, detail)
    return response

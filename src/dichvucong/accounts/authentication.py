"""Authentication with throttling: used by the HTML login form and the API token endpoint."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from dichvucong.common.errors import DomainError

from .login_throttle import client_ip, login_is_throttled

THROTTLED_MESSAGE = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.")
INVALID_MESSAGE = _("Tên đăng nhập hoặc mật khẩu không đúng.")


class LoginThrottled(DomainError):
    status_code = 429
    default_code = "login_throttled"


class InvalidCredentials(DomainError):
    status_code = 400
    default_code = "invalid_credentials"


def authenticate_with_throttle(request, *, username: str, password: str):
    """`authenticate` with a clear refusal once throttled; the counting itself is in the backend
    (accounts/backends.py), so that the Django admin login is throttled too."""
    if login_is_throttled(username, client_ip(request)):
        raise LoginThrottled(THROTTLED_MESSAGE)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials(INVALID_MESSAGE)
    return user

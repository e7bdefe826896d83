"""Authentication with throttling: used by the HTML login form and the API token endpoint."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from dichvucong.common.errors import DomainError

from .login_throttle import client_ip, login_failed, login_is_throttled, login_succeeded

THROTTLED_MESSAGE = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.")
INVALID_MESSAGE = _("Tên đăng nhập hoặc mật khẩu không đúng.")


class LoginThrottled(DomainError):
    status_code = 429
    default_code = "login_throttled"


class InvalidCredentials(DomainError):
    status_code = 400
    default_code = "invalid_credentials"


def authenticate_with_throttle(request, *, username: str, password: str):
    ip = client_ip(request)
    if login_is_throttled(username, ip):
        raise LoginThrottled(THROTTLED_MESSAGE)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        login_failed(username, ip)
        raise InvalidCredentials(INVALID_MESSAGE)
    login_succeeded(username, ip)
    return user

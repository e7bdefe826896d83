"""Authentication with throttling: used by the HTML login form and the API token endpoint."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from dichvucong.common.errors import DomainError

from .login_throttle import client_ip, login_throttle

THROTTLED_MESSAGE = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.")
INVALID_MESSAGE = _("Tên đăng nhập hoặc mật khẩu không đúng.")
ADDRESS_THROTTLED_MESSAGE = _(
    "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. Mật khẩu đúng vẫn đăng nhập được; vui lòng kiểm tra kỹ "
    "mật khẩu hoặc thử lại sau 15 phút."
)


class LoginThrottled(DomainError):
    status_code = 429
    default_code = "login_throttled"


class InvalidCredentials(DomainError):
    status_code = 400
    default_code = "invalid_credentials"


def authenticate_with_throttle(request, *, username: str, password: str):
    """`authenticate` with a clear refusal once throttled; the counting itself is in the backend
    (accounts/backends.py), so that the Django admin login is throttled too. A locked account is refused whatever
    the password; from a locked address only a wrong password is refused (as throttled)."""
    throttle = login_throttle(username, client_ip(request))
    if throttle.account_locked:
        raise LoginThrottled(THROTTLED_MESSAGE)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        if throttle.address_locked:
            raise LoginThrottled(ADDRESS_THROTTLED_MESSAGE)
        raise InvalidCredentials(INVALID_MESSAGE)
    return user

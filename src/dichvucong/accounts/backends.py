"""Password authentication with the login throttle, wherever a password is checked.

Every path that checks a password goes through `django.contrib.auth.authenticate` and so through this backend: our
login page and API token endpoint (accounts/authentication.py, which adds the Vietnamese "too many attempts"
message), the Django admin login (/quan-tri-he-thong/login/) and anything added later. Failures are counted per
username and per client address (`NUM_PROXIES` rule of common/throttling.py) by accounts/login_throttle.py: past
LOGIN_FAILURE_LIMIT for the account even the right password is refused until the window ends; past the (higher)
LOGIN_ADDRESS_FAILURE_LIMIT for the address, wrong passwords are refused as throttled but the right one gets in.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .login_throttle import client_ip, login_failed, login_succeeded, login_throttle


class ThrottledModelBackend(ModelBackend):
    """ModelBackend (passwords hashed with Argon2, PASSWORD_HASHERS) behind the login throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else None
        throttle = login_throttle(username, ip)
        if throttle.account_locked:
            # Stops every backend: `authenticate()` returns None and sends `user_login_failed`.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failed(username, ip)
            if throttle.address_locked:
                raise PermissionDenied  # "too many attempts" for this address; a right password still passes
        else:
            login_succeeded(username, ip)
        return user

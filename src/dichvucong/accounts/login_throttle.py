"""Login throttling of every password check (accounts/backends.py: our login, the API token, the Django admin).

Failed attempts are counted per username and per client address in the cache; past LOGIN_FAILURE_LIMIT within
LOGIN_FAILURE_WINDOW_SECONDS further attempts are refused (even with the right password) until the window ends.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from dichvucong.common.throttling import client_address


def _keys(username: str, ip: str | None) -> list[str]:
    """Per-username key, then per-address key (none when there is no request, e.g. a management command)."""
    user_key = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    keys = [f"login-fail:user:{user_key}"]
    return keys if ip is None else [*keys, f"login-fail:ip:{ip or 'unknown'}"]


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies report (`NUM_PROXIES`, common/throttling.py)."""
    return client_address(request)


def login_is_throttled(username: str, ip: str) -> bool:
    return any((cache.get(key) or 0) >= settings.LOGIN_FAILURE_LIMIT for key in _keys(username, ip))


def login_failed(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_succeeded(username: str, ip: str) -> None:
    cache.delete(_keys(username, ip)[0])

"""Login throttling of every password check (accounts/backends.py: our login, the API token, the Django admin).

Two separate counters of failed attempts, in the cache (shared by every process in production: `REDIS_URL`, which
`settings_guard.py` requires there), within `LOGIN_FAILURE_WINDOW_SECONDS` (default 900):

- **per account** (`LOGIN_FAILURE_LIMIT`, default 5): past it, that account's logins are refused, even with the
  right password, until the window ends. This is the bound on guessing one account's password.
- **per client address** (`LOGIN_ADDRESS_FAILURE_LIMIT`, default 50, much higher: an office behind one NAT shares an
  address): past it, a WRONG password from that address is answered "too many attempts" (and still counts on its
  account), but the RIGHT password still gets in. One person mistyping, or a password sprayer, never locks every
  colleague behind the same address out; the sprayer still gets at most `LOGIN_FAILURE_LIMIT` guesses per account.

The client address is REMOTE_ADDR or what the trusted proxies report (`NUM_PROXIES`, common/throttling.py).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from dichvucong.common.throttling import client_address


@dataclass(frozen=True)
class LoginThrottle:
    account_locked: bool
    address_locked: bool


def _account_key(username: str) -> str:
    return "login-fail:user:" + hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]


def _address_key(ip: str | None) -> str | None:
    """None when there is no request (e.g. a management command): only the account counts."""
    return None if ip is None else f"login-fail:ip:{ip or 'unknown'}"


def _keys(username: str, ip: str | None) -> list[str]:
    return [key for key in (_account_key(username), _address_key(ip)) if key]


def account_limit() -> int:
    return int(settings.LOGIN_FAILURE_LIMIT)


def address_limit() -> int:
    return int(getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 50))


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies report (`NUM_PROXIES`, common/throttling.py)."""
    return client_address(request)


def login_throttle(username: str, ip: str | None) -> LoginThrottle:
    address_key = _address_key(ip)
    return LoginThrottle(
        account_locked=(cache.get(_account_key(username)) or 0) >= account_limit(),
        address_locked=address_key is not None and (cache.get(address_key) or 0) >= address_limit(),
    )


def login_is_throttled(username: str, ip: str | None) -> bool:
    """The account is locked (the right password would be refused too)."""
    return login_throttle(username, ip).account_locked


def login_failed(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_succeeded(username: str, ip: str | None) -> None:
    """The account's counter starts again; the address's does not (other accounts' failures stay counted)."""
    cache.delete(_account_key(username))

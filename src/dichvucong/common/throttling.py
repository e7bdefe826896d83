"""Rate limits of the public endpoints, shared by the API (DRF throttles) and the HTML pages.

Clients are told apart by their address (`BaseThrottle.get_ident`): REMOTE_ADDR, or the right-most
`NUM_PROXIES` entry of X-Forwarded-For when the site runs behind that many trusted reverse proxies (setting
`REST_FRAMEWORK["NUM_PROXIES"]`, env `NUM_PROXIES`). Never the whole X-Forwarded-For header: a client could send
a new one with each request and get a fresh allowance every time.

- `LookupThrottle`: public lookup by dossier code + CCCD (API and page share one allowance per address), for
  signed-in callers too, against enumerating codes or CCCD numbers. `LOOKUP_THROTTLE_RATE` (default 30/min).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """One allowance per client address whoever is signed in; the rate comes from the setting `rate_setting`."""

    rate_setting = ""
    default_rate = "30/min"

    def get_rate(self):
        return getattr(settings, self.rate_setting, self.default_rate) if self.rate_setting else self.default_rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LookupThrottle(ClientRateThrottle):
    scope = "dossier_lookup"
    rate_setting = "LOOKUP_THROTTLE_RATE"


def client_address(request) -> str:
    """The client's address by the rule above (also for the login throttle of accounts/login_throttle.py)."""
    if request is None:
        return ""
    return SimpleRateThrottle.get_ident(None, request) or ""


def page_throttle_wait(request, throttle_class) -> int | None:
    """For an HTML view: None if the request is within the allowance (and counts it), else seconds to wait."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return int(throttle.wait() or 1)

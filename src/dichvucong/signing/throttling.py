"""The allowance of the public signature verification, shared by its API and its page (the web layer's)."""

from rest_framework.throttling import SimpleRateThrottle


class VerifyThrottle(SimpleRateThrottle):
    """Verification is public and costs CPU: a per-client rate limit (per user when logged in)."""

    scope = "signature_verify"
    rate = "60/min"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

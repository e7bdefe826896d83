"""Why a sign-in with the national identity failed: a stable code and a Vietnamese message (docs/identity.md)."""

from dichvucong.common.errors import DomainError


class IdentityError(DomainError):
    status_code = 400
    default_code = "identity_error"


class ProviderUnavailable(IdentityError):
    status_code = 502
    default_code = "provider_unavailable"

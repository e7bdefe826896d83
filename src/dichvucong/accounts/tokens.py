"""API tokens: issued with an expiry, revocable by their owner, stored as a hash only.

`Authorization: Token <key>` (the header DRF's TokenAuthentication reads, so existing clients keep working). The key
is 40 random bytes in URL-safe base64; the database keeps its SHA-256 (`ApiToken.key_hash`) and its first 8
characters (`prefix`, to tell tokens apart in a list). A leaked database therefore leaks no usable token.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken, hash_token_key


class HashedTokenAuthentication(TokenAuthentication):
    """DRF authentication by a hashed, expiring, revocable `ApiToken`."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã bị thu hồi."), code="token_revoked")
        if not token.is_usable:
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã hết hạn."), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản đã bị khóa."))
        return (token.user, token)

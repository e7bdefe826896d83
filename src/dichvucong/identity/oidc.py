"""OpenID Connect relying party on mozilla-django-oidc, hardened for the national identity provider.

mozilla-django-oidc does the authorization code flow with PKCE (S256), `state` and `nonce` kept in the session,
the token exchange and the JWKS lookup. This module adds what a province needs on top (docs/identity.md):
- the ID token is verified completely: RS256 signature against the provider's JWKS, `iss`, `aud` (and `azp`),
  `exp`/`iat` with OIDC_CLOCK_SKEW_SECONDS of leeway, `nonce` — the library itself skips audience and issuer;
- every failure is an `IdentityError` with a stable code (id_token_expired, id_token_wrong_audience, ...), and a
  provider that does not answer is `ProviderUnavailable`; nothing is created then;
- the identity comes from the verified ID token (CCCD or tax code), and the account is found, linked or created by
  `identity.services.identity_sign_in`;
- back-channel logout tokens are verified the same way (`verify_logout_token`).
"""

import logging

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .errors import IdentityError, ProviderUnavailable
from .services import identity_sign_in

logger = logging.getLogger(__name__)

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def _unavailable(exc: Exception) -> ProviderUnavailable:
    logger.warning("identity provider unreachable: %s", exc)
    return ProviderUnavailable(
        _("Không kết nối được hệ thống định danh điện tử. Vui lòng thử lại sau hoặc đăng nhập bằng tài khoản.")
    )


def _signing_key(token: str):
    """The provider's public key for `token` (by `kid`) from its JWKS."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise IdentityError(_("Mã thông báo định danh không đúng định dạng."), code="id_token_malformed") from exc
    if header.get("alg") != settings.OIDC_RP_SIGN_ALGO:
        raise IdentityError(
            _("Mã thông báo định danh dùng thuật toán ký không được chấp nhận."), code="id_token_bad_alg"
        )
    try:
        response = requests.get(settings.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = response.json().get("keys", [])
    except (requests.RequestException, ValueError) as exc:
        raise _unavailable(exc) from exc
    for key in keys:
        if key.get("kid") == header.get("kid") and key.get("alg", header["alg"]) == header["alg"]:
            return jwt.PyJWK(key).key
    raise IdentityError(_("Không tìm thấy khóa ký của mã thông báo định danh."), code="id_token_unknown_key")


def _decode(token: str, *, require: list[str]) -> dict:
    key = _signing_key(token)
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[settings.OIDC_RP_SIGN_ALGO],
            audience=settings.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_OP_ISSUER,
            leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
            options={"require": require},
        )
    except jwt.ExpiredSignatureError as exc:
        raise IdentityError(_("Mã thông báo định danh đã hết hạn."), code="id_token_expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise IdentityError(
            _("Mã thông báo định danh không cấp cho hệ thống này (sai đối tượng nhận)."), code="id_token_wrong_audience"
        ) from exc
    except jwt.InvalidIssuerError as exc:
        raise IdentityError(
            _("Mã thông báo định danh không do nhà cung cấp định danh đã cấu hình phát hành."),
            code="id_token_wrong_issuer",
        ) from exc
    except jwt.InvalidSignatureError as exc:
        raise IdentityError(
            _("Chữ ký của mã thông báo định danh không hợp lệ (mã bị giả mạo)."), code="id_token_bad_signature"
        ) from exc
    except jwt.PyJWTError as exc:
        raise IdentityError(_("Mã thông báo định danh không hợp lệ."), code="id_token_invalid") from exc
    audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
    if len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
        raise IdentityError(
            _("Mã thông báo định danh không cấp cho hệ thống này (sai đối tượng nhận)."), code="id_token_wrong_audience"
        )
    return payload


class NationalIdentityBackend(OIDCAuthenticationBackend):
    """Authentication backend of the OIDC callback (identity/views.py)."""

    def authenticate(self, request, **kwargs):
        """Only the callback view's call (it passes `nonce` and `code_verifier`), never a password check."""
        if request is None or "nonce" not in kwargs or {"username", "password"} & set(kwargs):
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        if not token:
            raise IdentityError(
                _("Nhà cung cấp định danh không trả về mã thông báo định danh."), code="id_token_missing"
            )
        payload = _decode(token, require=["exp", "iat", "iss", "aud", "sub"])
        nonce = kwargs.get("nonce")
        if settings.OIDC_USE_NONCE and (not nonce or payload.get("nonce") != nonce):
            raise IdentityError(
                _("Mã thông báo định danh không thuộc lần đăng nhập này (nonce sai)."), code="id_token_wrong_nonce"
            )
        return payload

    def get_token(self, payload):
        try:
            return super().get_token(payload)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status is not None and status >= 500:
                raise _unavailable(exc) from exc
            raise IdentityError(
                _("Nhà cung cấp định danh từ chối đổi mã ủy quyền (mã đã dùng, hết hạn hoặc PKCE sai)."),
                code="token_exchange_failed",
            ) from exc
        except (requests.RequestException, ValueError) as exc:
            raise _unavailable(exc) from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The identity is the verified ID token's (the national provider puts CCCD / tax code there)."""
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        return identity_sign_in(issuer=settings.OIDC_OP_ISSUER, claims=payload)

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def verify_logout_token(token: str) -> dict:
    """A back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.6): signature, iss, aud, iat, the
    logout event, no nonce, a subject, and not seen before (jti)."""
    try:
        payload = _decode(token, require=["iat", "iss", "aud", "jti", "events"])
    except SuspiciousOperation as exc:  # pragma: no cover - defensive: the library's own checks
        raise IdentityError(str(exc), code="logout_token_invalid") from exc
    events = payload.get("events")
    if not isinstance(events, dict) or BACKCHANNEL_LOGOUT_EVENT not in events:
        raise IdentityError(_("Mã đăng xuất không có sự kiện đăng xuất."), code="logout_token_invalid")
    if "nonce" in payload or not payload.get("sub"):
        raise IdentityError(_("Mã đăng xuất không hợp lệ."), code="logout_token_invalid")
    if not cache.add(f"oidc-logout-jti:{payload['jti']}", 1, timeout=600):
        raise IdentityError(_("Mã đăng xuất đã được dùng."), code="logout_token_replayed")
    return payload

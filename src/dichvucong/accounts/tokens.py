"""API tokens: issued with an expiry, revocable by their owner, stored as a hash only.

`Authorization: Token <key>` (the header DRF's TokenAuthentication reads, so existing clients keep working). The key
is 40 random bytes in URL-safe base64; the database keeps its SHA-256 (`ApiToken.key_hash`) and its first 8
characters (`prefix`, to tell tokens apart in a list). A leaked database therefore leaks no usable token.

Every API request authenticates, so the token and its user are read with one hand-written statement (`sql_rows`,
docs/adr/0025-lean-status-read.md): the same rows, the same checks, without building a queryset each time.
"""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from dichvucong.common.sql_rows import Columns, statement

from .models import ApiToken, User, hash_token_key
from .selectors import assignments_from_rows, assignments_sql, cache_role_assignments

_TOKEN = Columns(ApiToken, "t")
_USER = Columns(User, "u")


def _token_sql(connection) -> str:
    roles, joins = assignments_sql(connection, "u")
    return (
        f"SELECT {_TOKEN.sql(connection)}, {_USER.sql(connection)}, {roles} "  # noqa: S608
        f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id {joins} "
        "WHERE t.key_hash = %s ORDER BY r.role, r.id"
    )


def token_with_user(key_hash: str) -> ApiToken | None:
    """The token whose key hashes to `key_hash`, with its user and the user's active roles (stored for
    `user_role_assignments`): one statement, or None."""
    with connection.cursor() as cursor:
        cursor.execute(statement(("token_with_user",), _token_sql, connection), [key_hash])
        rows = cursor.fetchall()
    if not rows:
        return None
    first, width = rows[0], len(_TOKEN) + len(_USER)
    token = _TOKEN.instance(first[: len(_TOKEN)], connection)
    token.user = _USER.instance(first[len(_TOKEN) : width], connection)
    cache_role_assignments(token.user, assignments_from_rows(rows, width))
    return token


class HashedTokenAuthentication(TokenAuthentication):
    """DRF authentication by a hashed, expiring, revocable `ApiToken`."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = token_with_user(hash_token_key(key))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã bị thu hồi."), code="token_revoked")
        if not token.is_usable:
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã hết hạn."), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản đã bị khóa."))
        return (token.user, token)

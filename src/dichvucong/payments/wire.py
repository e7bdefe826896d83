"""Wire format of the national payment platform, shared by our client and the local simulator.

Django-free on purpose: the simulator (`python -m dichvucong.payments.simulator`) imports it without settings.

Every JSON message carries an HMAC-SHA256 signature (hex) over a canonical string of its fields: the fields
sorted by name, `name=value` joined by `&`, the `signature` field itself left out, `None` as the empty string.
The signature travels in the `X-Signature` header (callbacks, responses) or the `signature` field (requests).
A settlement file (CSV) is signed over its raw bytes. Comparisons are constant-time (`hmac.compare_digest`).
"""

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

SIGNATURE_HEADER = "X-Signature"
CURRENCY_VND = "VND"

# Gateway statuses (the platform's own vocabulary; ours is pending|paid|failed|cancelled).
GW_PENDING = "pending"
GW_SUCCESS = "success"
GW_FAILED = "failed"
GW_CANCELLED = "cancelled"
GW_FINAL_STATUSES = frozenset({GW_SUCCESS, GW_FAILED, GW_CANCELLED})

CREATE_REQUEST_FIELDS = (
    "merchant_code",
    "order_id",
    "amount",
    "currency",
    "beneficiary_code",
    "description",
    "return_url",
    "callback_url",
    "timestamp",
)
CALLBACK_FIELDS = (
    "event_id",
    "merchant_code",
    "transaction_id",
    "order_id",
    "beneficiary_code",
    "amount",
    "currency",
    "status",
    "paid_at",
    "sent_at",
)
STATUS_FIELDS = (
    "merchant_code",
    "transaction_id",
    "order_id",
    "beneficiary_code",
    "amount",
    "currency",
    "status",
    "paid_at",
)
SETTLEMENT_COLUMNS = ("transaction_id", "order_id", "beneficiary_code", "amount", "currency", "paid_at")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def canonical_string(fields: Mapping[str, Any]) -> str:
    """`a=1&b=x&c=` with the keys sorted, `signature` excluded."""
    return "&".join(f"{key}={_as_text(fields[key])}" for key in sorted(fields) if key != "signature")


def sign_bytes(data: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).hexdigest()


def sign_fields(fields: Mapping[str, Any], secret: str) -> str:
    return sign_bytes(canonical_string(fields).encode("utf-8"), secret)


def signature_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison; a missing signature never matches."""
    if not given:
        return False
    return hmac.compare_digest(expected.encode("ascii", "replace"), given.strip().lower().encode("ascii", "replace"))


def verify_fields(fields: Mapping[str, Any], signature: str | None, secret: str) -> bool:
    return signature_matches(sign_fields(fields, secret), signature)


def verify_bytes(data: bytes, signature: str | None, secret: str) -> bool:
    return signature_matches(sign_bytes(data, secret), signature)

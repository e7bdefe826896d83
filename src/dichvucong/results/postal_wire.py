"""Wire format of the postal carrier (VNPost-style «bưu chính công ích» API), shared by our client and the local
simulator (`python -m dichvucong.results.postal_simulator`). Django-free on purpose.

Every message (shipment request, callback, status answer) is a JSON body signed with HMAC-SHA256 (hex) over its raw
bytes with the shared secret, in the `X-Postal-Signature` header; comparisons are constant-time.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Postal-Signature"
CARRIER_NAME = "VNPost"

# The carrier's shipment statuses.
ACCEPTED, DELIVERED, FAILED = "accepted", "delivered", "failed"
FINAL_STATUSES = frozenset({DELIVERED, FAILED})

SHIPMENT_REQUEST_FIELDS = ("reference", "recipient_name", "recipient_phone", "address", "callback_url")
CALLBACK_FIELDS = ("event_id", "tracking_number", "reference", "status", "occurred_at", "reason", "sent_at")


def sign_bytes(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_bytes(body: bytes, signature: str | None, secret: str) -> bool:
    if not signature or not secret:
        return False
    return hmac.compare_digest(sign_bytes(body, secret), signature.strip().lower())

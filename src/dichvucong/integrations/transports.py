"""How a message reaches its target: one production-shaped client per kind of receiver (HTTP with the standard
library, SMTP through Django's e-mail backend). A transport returns the receiver's HTTP status (None for SMTP) or
raises `DeliveryError` (`permanent`: the receiver refused the message itself, retrying cannot help)."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import OutboxMessage, Target


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, status_code: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.status_code = status_code


def _timeout() -> float:
    return float(getattr(settings, "INTEGRATIONS_TIMEOUT_SECONDS", 10))


def post_json(url: str, body: bytes, headers: dict[str, str], *, permanent_4xx: bool = True) -> int:
    """POST; 2xx returns the status, anything else raises DeliveryError (4xx permanent unless 408/425/429)."""
    request = urllib.request.Request(  # noqa: S310 - URLs come from settings / the province admin
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:2000].decode("utf-8", "replace")
        retryable = exc.code >= 500 or exc.code in (401, 403, 408, 425, 429) or not permanent_4xx
        raise DeliveryError(f"HTTP {exc.code}: {detail}", permanent=not retryable, status_code=exc.code) from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"không kết nối được {url}: {reason}") from None


def _json(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `<timestamp>.<body>` (webhooks, ministry systems, the portal's push)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, max_age: int = 300) -> bool:
    if not secret or not timestamp.isdigit() or not signature:
        return False
    if abs(time.time() - int(timestamp)) > max_age:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature.removeprefix("sha256="))


def send_national_portal(message: OutboxMessage) -> int:
    """QCVN 120 packet to the portal (through the LGSP): `POST <NATIONAL_PORTAL_URL>/api/qcvn120/<packet>`."""
    url = f"{settings.NATIONAL_PORTAL_URL.rstrip('/')}/api/qcvn120/{message.kind}"
    headers = {
        "Authorization": f"Bearer {settings.NATIONAL_PORTAL_TOKEN}",
        "X-Idempotency-Key": message.idempotency_key,
        "X-Ordering-Key": message.ordering_key,
        "X-Sequence": str(message.pk),
    }
    return post_json(url, _json(message.payload), headers)


def send_sms(message: OutboxMessage) -> int:
    url = f"{settings.SMS_GATEWAY_URL.rstrip('/')}/api/sms"
    body = {"to": message.destination, "text": message.payload["text"], "sender": settings.SMS_SENDER}
    headers = {"X-Api-Key": settings.SMS_API_KEY, "X-Idempotency-Key": message.idempotency_key}
    return post_json(url, _json(body), headers)


def send_email(message: OutboxMessage) -> None:
    email = EmailMessage(
        subject=message.payload["subject"],
        body=message.payload["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.destination],
        headers={"Message-ID": f"<{message.idempotency_key}@dichvucong>", "X-Idempotency-Key": message.idempotency_key},
    )
    try:
        get_connection(fail_silently=False, timeout=_timeout()).send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"máy chủ thư từ chối địa chỉ nhận: {exc}", permanent=True) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"máy chủ thư: {exc}") from None


def send_webhook(message: OutboxMessage) -> int:
    subscription = message.subscription
    if subscription is None or not subscription.active:
        raise DeliveryError("đăng ký webhook đã bị xóa hoặc tạm dừng", permanent=True)
    body = _json(message.payload)
    timestamp = str(int(time.time()))
    headers = {
        "X-DVC-Event": message.kind,
        "X-DVC-Delivery": message.idempotency_key,
        "X-DVC-Timestamp": timestamp,
        "X-DVC-Signature": "sha256=" + sign(subscription.secret, timestamp, body),
    }
    return post_json(subscription.url, body, headers)


def send_ministry(message: OutboxMessage) -> int:
    system = settings.MINISTRY_SYSTEMS.get(message.destination)
    if system is None:
        raise DeliveryError(f"hệ thống bộ, ngành không được cấu hình: {message.destination}", permanent=True)
    body = _json(message.payload)
    timestamp = str(int(time.time()))
    headers = {
        "X-Idempotency-Key": message.idempotency_key,
        "X-Timestamp": timestamp,
        "X-Signature": sign(system["secret"], timestamp, body),
    }
    return post_json(f"{system['url'].rstrip('/')}/transfers", body, headers)


def send_fanout(message: OutboxMessage) -> None:
    from .fanout import deliver_fanout

    return deliver_fanout(message)


def send_local(message: OutboxMessage) -> None:
    from .fanout import deliver_local

    return deliver_local(message)


TRANSPORTS = {
    Target.NATIONAL_PORTAL: send_national_portal,
    Target.SMS: send_sms,
    Target.EMAIL: send_email,
    Target.WEBHOOK: send_webhook,
    Target.MINISTRY: send_ministry,
    Target.FANOUT: send_fanout,
    Target.LOCAL: send_local,
}

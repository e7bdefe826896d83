"""Results sent by post through the carrier's public-service API (VNPost-style «bưu chính công ích»).

- `PostalCarrierClient`: the production-shaped adapter (stdlib urllib, JSON bodies signed with HMAC-SHA256 over the
  raw bytes, `postal_wire`): create a shipment for a result → tracking number; query a shipment's status.
- `result_delivery_ship`: the desk hands the result to the post: the carrier creates the shipment and its tracking
  number is recorded on the delivery (`delivery.result_delivery_record_sent`).
- `postal_handle_callback`: the carrier's signed delivered / failed notice applies the same outcome services as the
  officer's recording (`result_delivery_record_delivered` / `_failed`, acting for the officer who sent the parcel):
  delivered → dossier returned (national status 10) at the delivery time, never before its legal times; failed →
  the result back at the one-stop desk. Idempotent: a replayed notice changes nothing.
- `postal_poll_sent`: asks the carrier about parcels sent long enough ago without an answer (missed callbacks).
"""

import datetime
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from dichvucong.common.errors import ConflictError, DomainError, PermissionDeniedError

from . import postal_wire as wire
from .delivery import (
    READY_STATUSES,
    may_record_shipment,
    result_delivery_record_delivered,
    result_delivery_record_failed,
    result_delivery_record_sent,
)
from .models import DeliveryMethod, ResultDelivery

logger = logging.getLogger(__name__)
TRACKING_NUMBER = re.compile(r"[A-Za-z0-9-]{1,60}")


class PostalCarrierError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


class PostalCarrierClient:
    def __init__(self, base_url: str | None = None, secret: str | None = None, timeout: float | None = None) -> None:
        self.base_url = (settings.POSTAL_CARRIER_URL if base_url is None else base_url).rstrip("/")
        self.secret = settings.POSTAL_CARRIER_SECRET if secret is None else secret
        self.timeout = settings.POSTAL_CARRIER_TIMEOUT if timeout is None else timeout
        if not self.base_url.startswith(("http://", "https://")) or not self.secret:
            raise PostalCarrierError("not_configured", "POSTAL_CARRIER_URL / POSTAL_CARRIER_SECRET")

    def _request(self, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        signed = data if data is not None else urllib.parse.urlsplit(self.base_url + path).path.encode("utf-8")
        headers = {"Content-Type": "application/json", wire.SIGNATURE_HEADER: wire.sign_bytes(signed, self.secret)}
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                status, body, signature = response.status, response.read(), response.headers.get(wire.SIGNATURE_HEADER)
        except urllib.error.HTTPError as exc:
            raise PostalCarrierError(f"http_{exc.code}", exc.read()[:300].decode("utf-8", "replace")) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise PostalCarrierError("unreachable", str(exc)) from exc
        if not wire.verify_bytes(body, signature, self.secret):
            raise PostalCarrierError("invalid_response_signature")
        try:
            return status, json.loads(body)
        except ValueError as exc:
            raise PostalCarrierError("malformed_response") from exc

    def create_shipment(
        self, *, reference: str, recipient_name: str, recipient_phone: str, address: str, callback_url: str
    ) -> dict:
        """A shipment for the parcel of `reference` (the dossier code; the same reference again, before an outcome,
        gives back the same shipment) → `{tracking_number, reference, status, created_at}`."""
        payload = {
            "reference": reference,
            "recipient_name": recipient_name,
            "recipient_phone": recipient_phone,
            "address": address,
            "callback_url": callback_url,
        }
        _, body = self._request("POST", "/api/shipments", payload)
        if not body.get("tracking_number") or body.get("reference") != reference:
            raise PostalCarrierError("malformed_response")
        return body

    def shipment_status(self, tracking_number: str) -> dict:
        """`{tracking_number, reference, status: accepted|delivered|failed, occurred_at, reason}`."""
        _, body = self._request("GET", f"/api/shipments/{urllib.parse.quote(tracking_number, safe='')}")
        return body


def carrier_enabled() -> bool:
    return bool(settings.POSTAL_CARRIER_URL)


def callback_url() -> str:
    return settings.POSTAL_PUBLIC_BASE_URL.rstrip("/") + reverse("api:postal-callback")


def result_delivery_ship(*, actor, dossier) -> ResultDelivery:
    """The desk hands the result to the post through the carrier's API: the shipment is created (outside any lock:
    the carrier answers the same shipment for the same dossier code, so a retry is safe), then recorded as sent."""
    if not may_record_shipment(actor, dossier):
        raise PermissionDeniedError(
            _("Chỉ cán bộ một cửa hoặc văn thư của cơ quan mới ghi nhận gửi kết quả."), code="permission_denied"
        )
    delivery = ResultDelivery.objects.filter(dossier=dossier).first()
    if delivery is None or delivery.method != DeliveryMethod.POSTAL:
        raise ConflictError(_("Người nộp chưa chọn nhận kết quả qua bưu chính."), code="delivery_not_postal")
    if dossier.status not in READY_STATUSES:
        raise ConflictError(_("Hồ sơ chưa có kết quả để gửi."), code="result_not_ready")
    if delivery.sent_at is not None and delivery.failed_at is None:
        raise ConflictError(_("Kết quả đã được gửi qua bưu chính."), code="delivery_already_sent")
    try:
        shipment = PostalCarrierClient().create_shipment(
            reference=dossier.code,
            recipient_name=delivery.recipient_name,
            recipient_phone=delivery.recipient_phone,
            address=delivery.address,
            callback_url=callback_url(),
        )
    except PostalCarrierError as exc:
        logger.warning("postal carrier refused the shipment of %s: %s", dossier.code, exc)
        raise ConflictError(
            _("Đơn vị bưu chính chưa nhận bưu gửi (%(code)s); thử lại sau.") % {"code": exc.code},
            code="postal_carrier_error",
        ) from exc
    return result_delivery_record_sent(
        actor=actor, dossier=dossier, carrier=wire.CARRIER_NAME, tracking_number=shipment["tracking_number"]
    )


@dataclass(frozen=True)
class CallbackOutcome:
    http_status: int
    code: str
    detail: str


_OUTCOMES = {
    "applied": (200, "Đã ghi nhận kết quả phát của bưu chính."),
    "already_applied": (200, "Thông báo trùng lặp, không thay đổi gì."),
    "invalid_signature": (403, "Chữ ký của thông báo không hợp lệ."),
    "malformed": (400, "Thông báo không đúng định dạng."),
    "unknown_shipment": (404, "Không có bưu gửi nào mang số hiệu này."),
}


def _outcome(code: str, detail: str = "", http_status: int | None = None) -> CallbackOutcome:
    default_status, default_detail = _OUTCOMES.get(code, (409, ""))
    return CallbackOutcome(http_status or default_status, code, detail or default_detail)


def _apply(delivery: ResultDelivery, *, status: str, occurred_at: datetime.datetime, reason: str) -> str:
    """Apply the carrier's final status to the delivery: "applied" or "already_applied" (raises DomainError)."""
    actor, dossier = delivery.sent_by, delivery.dossier
    try:
        if status == wire.DELIVERED:
            result_delivery_record_delivered(actor=actor, dossier=dossier, delivered_at=occurred_at, by_carrier=True)
        else:
            reason = reason or _("Bưu chính báo phát không thành công.")
            result_delivery_record_failed(
                actor=actor, dossier=dossier, reason=reason, failed_at=occurred_at, by_carrier=True
            )
    except ConflictError as exc:
        same = {wire.DELIVERED: "delivery_already_delivered", wire.FAILED: "delivery_failed"}[status]
        if exc.code == same:
            return "already_applied"
        raise
    return "applied"


def _parse(body: bytes) -> dict | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    values = {name: data.get(name) for name in wire.CALLBACK_FIELDS}
    tracking, reference = values["tracking_number"], values["reference"]
    if not isinstance(tracking, str) or not TRACKING_NUMBER.fullmatch(tracking):
        return None
    if reference is not None and not isinstance(reference, str):
        return None
    if values["status"] not in wire.FINAL_STATUSES or not isinstance(values["occurred_at"], str):
        return None
    try:
        moment = parse_datetime(values["occurred_at"])
        if moment is None or moment.tzinfo is None:
            return None
        values["occurred_at"] = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None
    values["reason"] = str(values["reason"] or "")[:300].replace("\x00", "")
    return values


def postal_handle_callback(*, headers, body: bytes) -> CallbackOutcome:
    """The carrier's server-to-server notice: HMAC checked (constant time) before anything is read; the shipment is
    found by its tracking number among the parcels sent; a replay of an applied outcome changes nothing."""
    if not wire.verify_bytes(body, headers.get(wire.SIGNATURE_HEADER), settings.POSTAL_CARRIER_SECRET):
        logger.warning("postal callback refused: invalid signature")
        return _outcome("invalid_signature")
    values = _parse(body)
    if values is None:
        return _outcome("malformed")
    delivery = (
        ResultDelivery.objects.select_related("dossier", "sent_by")
        .filter(tracking_number=values["tracking_number"], sent_at__isnull=False)
        .first()
    )
    if delivery is None or (values["reference"] and values["reference"] != delivery.dossier.code):
        return _outcome("unknown_shipment")
    if delivery.sent_by is None:  # the officer who handed the parcel over is gone: the desk records it by hand
        return _outcome("sender_unknown", _("Không xác định được cán bộ đã gửi bưu gửi."), 409)
    try:
        code = _apply(delivery, status=values["status"], occurred_at=values["occurred_at"], reason=values["reason"])
    except DomainError as exc:
        return _outcome(exc.code, str(exc.detail), exc.status_code)
    return _outcome(code)


def postal_poll_sent(*, older_than: datetime.timedelta = datetime.timedelta(hours=1)) -> dict[str, int]:
    """Ask the carrier about the parcels sent before `older_than` ago still without an answer (a lost callback):
    a final status is applied as its callback would have been. Returns counts per outcome."""
    counts: dict[str, int] = {}
    pending = ResultDelivery.objects.filter(
        sent_at__lte=timezone.now() - older_than, delivered_at__isnull=True, failed_at__isnull=True
    ).select_related("dossier", "sent_by")
    client = PostalCarrierClient()
    for delivery in pending:
        if delivery.sent_by is None:
            counts["sender_unknown"] = counts.get("sender_unknown", 0) + 1
            continue
        try:
            shipment = client.shipment_status(delivery.tracking_number)
            if shipment.get("status") not in wire.FINAL_STATUSES:
                code = "still_in_transit"
            else:
                moment = parse_datetime(shipment.get("occurred_at") or "") or timezone.now()
                code = _apply(
                    delivery, status=shipment["status"], occurred_at=moment, reason=shipment.get("reason") or ""
                )
        except PostalCarrierError as exc:
            code = f"carrier_{exc.code}"
        except DomainError as exc:
            code = exc.code
        counts[code] = counts.get(code, 0) + 1
    return counts

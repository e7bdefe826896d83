"""Adapter to the national payment platform: the interface services use and its production HTTP client.

The platform's flow (redirect + signed server-to-server callback + status query + daily settlement file) is the
one of the National Public Service Portal's payment platform (Decision 1697/QĐ-BTTTT on the payment platform
of the national portal; Decree 11/2020/NĐ-CP on State Treasury procedures). Message fields and signing are in
`wire.py`, shared with the local simulator (`python -m dichvucong.payments.simulator`).

Only the standard library is used for HTTP (urllib): no extra dependency for one JSON client.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from . import wire


class GatewayError(Exception):
    """The platform could not be reached or answered something unusable."""


class SignatureInvalid(GatewayError):
    """A message claimed to come from the platform but its HMAC does not match."""


@dataclass(frozen=True)
class CreatedPayment:
    transaction_id: str
    redirect_url: str


@dataclass(frozen=True)
class GatewayResult:
    """A callback or a status answer, signature already checked."""

    transaction_id: str
    order_id: str
    amount: int
    currency: str
    status: str  # wire.GW_PENDING | GW_SUCCESS | GW_FAILED | GW_CANCELLED
    paid_at: datetime.datetime | None
    event_id: str = ""
    beneficiary_code: str = ""


@dataclass(frozen=True)
class SettlementRow:
    transaction_id: str
    order_id: str
    beneficiary_code: str
    amount: int
    currency: str
    paid_at: datetime.datetime


class PaymentGateway(Protocol):
    def create_payment(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        beneficiary_code: str,
        description: str,
        return_url: str,
        callback_url: str,
    ) -> CreatedPayment: ...

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> GatewayResult: ...

    def query_status(self, transaction_id: str) -> GatewayResult: ...

    def fetch_settlement(self, day: datetime.date) -> list[SettlementRow]: ...


def _parse_time(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise GatewayError("naive timestamp from the payment platform")
    return parsed


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


class NationalPaymentPlatformClient:
    """Production client. `base_url`, `merchant_code` and the HMAC `secret` come from settings by default."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        merchant_code: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (base_url or settings.PAYMENT_GATEWAY_URL).rstrip("/")
        self.merchant_code = merchant_code or settings.PAYMENT_MERCHANT_CODE
        self.secret = secret or settings.PAYMENT_SHARED_SECRET
        self.timeout = timeout or settings.PAYMENT_GATEWAY_TIMEOUT
        if not self.secret:
            raise GatewayError("PAYMENT_SHARED_SECRET is not configured")
        if not self.base_url.startswith(("http://", "https://")):
            raise GatewayError("PAYMENT_GATEWAY_URL must be an http(s) URL")

    # --- transport -------------------------------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        query: dict | None = None,
        body: dict | None = None,
        signature: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        url = self.base_url + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if signature:
            headers[wire.SIGNATURE_HEADER] = signature
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - checked
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"payment platform answered {exc.code} on {path}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise GatewayError(f"payment platform unreachable: {exc}") from exc

    def _signed_json(self, headers: Mapping[str, str], raw: bytes) -> dict:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise GatewayError("payment platform sent invalid JSON") from exc
        if not isinstance(data, dict):
            raise GatewayError("payment platform sent an unexpected document")
        if not wire.verify_fields(data, _header(headers, wire.SIGNATURE_HEADER), self.secret):
            raise SignatureInvalid("signature of the payment platform's message does not match")
        return data

    def _result(self, data: dict) -> GatewayResult:
        try:
            return GatewayResult(
                transaction_id=str(data["transaction_id"]),
                order_id=str(data["order_id"]),
                amount=int(data["amount"]),
                currency=str(data["currency"]),
                status=str(data["status"]),
                paid_at=_parse_time(data.get("paid_at")),
                event_id=str(data.get("event_id") or ""),
                beneficiary_code=str(data.get("beneficiary_code") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GatewayError(f"incomplete message from the payment platform: {exc}") from exc

    # --- operations ------------------------------------------------------------------------------------------
    def create_payment(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        beneficiary_code: str,
        description: str,
        return_url: str,
        callback_url: str,
    ) -> CreatedPayment:
        fields = {
            "merchant_code": self.merchant_code,
            "order_id": order_id,
            "amount": int(amount),
            "currency": currency,
            "beneficiary_code": beneficiary_code,
            "description": description,
            "return_url": return_url,
            "callback_url": callback_url,
            "timestamp": datetime.datetime.now(tz=datetime.UTC).isoformat(),
        }
        _, headers, raw = self._request(
            "POST", "/api/payments", body={**fields, "signature": wire.sign_fields(fields, self.secret)}
        )
        data = self._signed_json(headers, raw)
        if str(data.get("order_id")) != order_id or int(data.get("amount", -1)) != int(amount):
            raise GatewayError("payment platform echoed another order or amount")
        return CreatedPayment(transaction_id=str(data["transaction_id"]), redirect_url=str(data["redirect_url"]))

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> GatewayResult:
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise GatewayError("callback body is not JSON") from exc
        if not isinstance(data, dict):
            raise GatewayError("callback body is not an object")
        if not wire.verify_fields(data, _header(headers, wire.SIGNATURE_HEADER), self.secret):
            raise SignatureInvalid("callback signature does not match")
        if data.get("merchant_code") != self.merchant_code:
            raise SignatureInvalid("callback for another merchant")
        return self._result(data)

    def query_status(self, transaction_id: str) -> GatewayResult:
        fields = {"merchant_code": self.merchant_code, "transaction_id": transaction_id}
        _, headers, raw = self._request(
            "GET",
            f"/api/payments/{urllib.parse.quote(transaction_id)}",
            query={"merchant_code": self.merchant_code},
            signature=wire.sign_fields(fields, self.secret),
        )
        return self._result(self._signed_json(headers, raw))

    def fetch_settlement(self, day: datetime.date) -> list[SettlementRow]:
        fields = {"merchant_code": self.merchant_code, "day": day.isoformat()}
        _, headers, raw = self._request(
            "GET",
            f"/api/settlements/{day.isoformat()}.csv",
            query={"merchant_code": self.merchant_code},
            signature=wire.sign_fields(fields, self.secret),
        )
        if not wire.verify_bytes(raw, _header(headers, wire.SIGNATURE_HEADER), self.secret):
            raise SignatureInvalid("settlement file signature does not match")
        return parse_settlement_csv(raw)


def parse_settlement_csv(raw: bytes) -> list[SettlementRow]:
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    missing = set(wire.SETTLEMENT_COLUMNS) - set(reader.fieldnames or [])
    if missing:
        raise GatewayError(f"settlement file lacks columns: {', '.join(sorted(missing))}")
    rows = []
    try:
        for line in reader:
            rows.append(
                SettlementRow(
                    transaction_id=line["transaction_id"],
                    order_id=line["order_id"],
                    beneficiary_code=line["beneficiary_code"],
                    amount=int(line["amount"]),
                    currency=line["currency"],
                    paid_at=_parse_time(line["paid_at"]),
                )
            )
    except (TypeError, ValueError) as exc:
        raise GatewayError(f"settlement file line {reader.line_num}: {exc}") from exc
    return rows


def get_gateway() -> PaymentGateway:
    """The configured adapter (`PAYMENT_GATEWAY_CLASS`, default the national platform client)."""
    return import_string(settings.PAYMENT_GATEWAY_CLASS)()

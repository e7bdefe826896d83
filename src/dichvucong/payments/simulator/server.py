"""A small stdlib-only WSGI app that behaves like the national payment platform.

Endpoints (the merchant side, signed as described in `dichvucong.payments.wire`):
- `POST /api/payments` JSON create request (signed in the `signature` field) → 201 `{transaction_id, order_id,
  redirect_url, amount, currency, status}` (signed in `X-Signature`). Idempotent per merchant order.
- `GET /pay/<txn>` the payer's page with Success / Failure / Cancel buttons and the callback test controls;
  `POST /pay/<txn>` (`result`, `callback`) resolves it, sends the signed callback, redirects to the return URL.
- `GET /api/payments/<txn>?merchant_code=` status query (request signed over merchant_code + transaction_id).
- `GET /api/settlements/<YYYY-MM-DD>.csv?merchant_code=` the day's settlement file (request signed over
  merchant_code + day; response signed over its bytes).
Test controls (no signature, local use only):
- `GET /_control/transactions/<txn>` full state incl. every callback delivery;
- `POST /_control/transactions/<txn>` `{settlement_amount, exclude_from_settlement, paid_at, status}`;
- `POST /_control/transactions/<txn>/callback` `{mode, new_event}` sends the callback (again) now: late or replayed.
"""

import datetime
import html
import json
import logging
import re
import urllib.parse

from dichvucong.common.simulation import ServedApp
from dichvucong.payments import wire

from .state import CALLBACK_MODES, SimulatorState

logger = logging.getLogger(__name__)

DEFAULT_MERCHANT_CODE = "HUNGYEN-DVC"
DEFAULT_SECRET = "dev-only-payment-secret"  # the development default of settings.PAYMENT_SHARED_SECRET

_STATUS_TEXT = {
    200: "200 OK",
    201: "201 Created",
    303: "303 See Other",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    409: "409 Conflict",
}
_RESULTS = {"success": wire.GW_SUCCESS, "failure": wire.GW_FAILED, "cancel": wire.GW_CANCELLED}


class Response:
    def __init__(
        self, status: int, body: bytes | str = b"", content_type: str = "application/json", headers: dict | None = None
    ) -> None:
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.headers = {"Content-Type": content_type, **(headers or {})}


def json_response(status: int, data: dict, *, secret: str | None = None) -> Response:
    headers = {wire.SIGNATURE_HEADER: wire.sign_fields(data, secret)} if secret else {}
    return Response(status, json.dumps(data, ensure_ascii=False), "application/json; charset=utf-8", headers)


def error(status: int, code: str) -> Response:
    return json_response(status, {"error": code})


class SimulatorApp:
    """The WSGI callable. `base_url` is what redirect URLs start with."""

    def __init__(self, state: SimulatorState, base_url: str = "") -> None:
        self.state = state
        self.base_url = base_url
        self.routes = [
            ("POST", re.compile(r"^/api/payments$"), self.create_payment),
            ("GET", re.compile(r"^/api/payments/(?P<txn>[\w-]+)$"), self.query_status),
            ("GET", re.compile(r"^/api/settlements/(?P<day>\d{4}-\d{2}-\d{2})\.csv$"), self.settlement),
            ("GET", re.compile(r"^/pay/(?P<txn>[\w-]+)$"), self.pay_page),
            ("POST", re.compile(r"^/pay/(?P<txn>[\w-]+)$"), self.pay_choose),
            ("GET", re.compile(r"^/_control/transactions/(?P<txn>[\w-]+)$"), self.control_show),
            ("POST", re.compile(r"^/_control/transactions/(?P<txn>[\w-]+)$"), self.control_adjust),
            ("POST", re.compile(r"^/_control/transactions/(?P<txn>[\w-]+)/callback$"), self.control_callback),
            ("GET", re.compile(r"^/_control/health$"), lambda environ: json_response(200, {"status": "ok"})),
        ]

    def __call__(self, environ, start_response):
        try:
            response = self.dispatch(environ)
        except Exception:  # noqa: BLE001 - a simulator answers 500 rather than dying
            logger.exception("simulator error")
            response = Response(500, b'{"error": "internal"}')
        status = _STATUS_TEXT.get(response.status, f"{response.status} Status")
        start_response(
            status, [(k, v) for k, v in response.headers.items()] + [("Content-Length", str(len(response.body)))]
        )
        return [response.body]

    def dispatch(self, environ) -> Response:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        allowed = False
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match:
                allowed = True
                if route_method == method:
                    return handler(environ, **match.groupdict())
        return error(405 if allowed else 404, "method_not_allowed" if allowed else "not_found")

    # --- helpers ---------------------------------------------------------------------------------------------
    @staticmethod
    def _body(environ) -> bytes:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return environ["wsgi.input"].read(length) if length else b""

    @staticmethod
    def _query(environ) -> dict:
        return {k: v[-1] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}

    def _merchant_request_ok(self, environ, fields: dict) -> str | None:
        """The merchant's secret if the request's `X-Signature` matches `fields`, else None."""
        secret = self.state.merchants.get(fields.get("merchant_code", ""))
        if secret and wire.verify_fields(fields, environ.get("HTTP_X_SIGNATURE"), secret):
            return secret
        return None

    # --- merchant API ----------------------------------------------------------------------------------------
    def create_payment(self, environ) -> Response:
        try:
            data = json.loads(self._body(environ) or b"{}")
            fields = {name: data.get(name) for name in wire.CREATE_REQUEST_FIELDS}
            fields["amount"] = int(fields["amount"])
        except (ValueError, TypeError):
            return error(400, "malformed")
        secret = self.state.merchants.get(fields["merchant_code"] or "")
        if not secret or not wire.verify_fields(fields, data.get("signature"), secret):
            return error(401, "invalid_signature")
        if fields["amount"] <= 0 or fields["currency"] != wire.CURRENCY_VND or not fields["callback_url"]:
            return error(400, "invalid_request")
        try:
            txn, created = self.state.create(fields)
        except ValueError:
            return error(409, "order_conflict")
        body = {
            "transaction_id": txn.transaction_id,
            "order_id": txn.order_id,
            "redirect_url": f"{self.base_url}/pay/{txn.transaction_id}",
            "amount": txn.amount,
            "currency": txn.currency,
            "status": txn.status,
        }
        return json_response(201 if created else 200, body, secret=secret)

    def query_status(self, environ, txn: str) -> Response:
        merchant_code = self._query(environ).get("merchant_code", "")
        secret = self._merchant_request_ok(environ, {"merchant_code": merchant_code, "transaction_id": txn})
        if not secret:
            return error(401, "invalid_signature")
        transaction = self.state.get(txn)
        if transaction is None or transaction.merchant_code != merchant_code:
            return error(404, "not_found")
        return json_response(200, transaction.public_fields(), secret=secret)

    def settlement(self, environ, day: str) -> Response:
        merchant_code = self._query(environ).get("merchant_code", "")
        secret = self._merchant_request_ok(environ, {"merchant_code": merchant_code, "day": day})
        if not secret:
            return error(401, "invalid_signature")
        rows = self.state.settlement_rows(merchant_code=merchant_code, day=datetime.date.fromisoformat(day))
        lines = [",".join(wire.SETTLEMENT_COLUMNS)]
        lines += [",".join(_csv_cell(row[column]) for column in wire.SETTLEMENT_COLUMNS) for row in rows]
        body = ("\r\n".join(lines) + "\r\n").encode("utf-8")
        return Response(200, body, "text/csv; charset=utf-8", {wire.SIGNATURE_HEADER: wire.sign_bytes(body, secret)})

    # --- payer pages -----------------------------------------------------------------------------------------
    def pay_page(self, environ, txn: str) -> Response:
        transaction = self.state.get(txn)
        if transaction is None:
            return Response(404, "<p>Không tìm thấy giao dịch.</p>", "text/html; charset=utf-8")
        options = "".join(f'<option value="{m}">{m}</option>' for m in CALLBACK_MODES)
        done = transaction.status != wire.GW_PENDING
        page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Nền tảng thanh toán (mô phỏng)</title></head><body>
<h1>Nền tảng thanh toán quốc gia — môi trường mô phỏng</h1>
<p>Giao dịch <strong>{html.escape(transaction.transaction_id)}</strong>:
{html.escape(transaction.description)}</p>
<p>Số tiền: <strong>{transaction.amount:,} {html.escape(transaction.currency)}</strong>
— Trạng thái: {html.escape(transaction.status)}</p>
{
            "<p>Giao dịch đã kết thúc.</p>"
            if done
            else f'''<form method="post" action="/pay/{html.escape(txn)}">
<p><label for="callback">Kiểm thử: gửi thông báo kết quả (callback)</label>
<select id="callback" name="callback">{options}</select></p>
<button name="result" value="success">Thanh toán thành công</button>
<button name="result" value="failure">Thanh toán thất bại</button>
<button name="result" value="cancel">Hủy giao dịch</button></form>'''
        }
</body></html>"""
        return Response(200, page, "text/html; charset=utf-8")

    def pay_choose(self, environ, txn: str) -> Response:
        transaction = self.state.get(txn)
        if transaction is None:
            return error(404, "not_found")
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(self._body(environ).decode("utf-8")).items()}
        result = _RESULTS.get(form.get("result", ""))
        mode = form.get("callback", "normal")
        if result is None or mode not in CALLBACK_MODES:
            return error(400, "invalid_choice")
        try:
            self.state.resolve(transaction, result=result, mode=mode)
        except ValueError:
            return error(409, "not_pending")
        location = transaction.return_url or f"{self.base_url}/pay/{txn}"
        separator = "&" if "?" in location else "?"
        query = urllib.parse.urlencode({"order_id": transaction.order_id, "transaction_id": txn, "status": result})
        return Response(303, b"", "text/plain", {"Location": f"{location}{separator}{query}"})

    # --- test controls ---------------------------------------------------------------------------------------
    def control_show(self, environ, txn: str) -> Response:
        transaction = self.state.get(txn)
        return json_response(200, self.state.snapshot(transaction)) if transaction else error(404, "not_found")

    def control_adjust(self, environ, txn: str) -> Response:
        transaction = self.state.get(txn)
        if transaction is None:
            return error(404, "not_found")
        self.state.adjust(transaction, json.loads(self._body(environ) or b"{}"))
        return json_response(200, self.state.snapshot(transaction))

    def control_callback(self, environ, txn: str) -> Response:
        transaction = self.state.get(txn)
        if transaction is None:
            return error(404, "not_found")
        options = json.loads(self._body(environ) or b"{}")
        mode = options.get("mode", "normal")
        if mode not in CALLBACK_MODES or mode in ("none", "late", "duplicate"):
            return error(400, "invalid_mode")
        outcome = self.state.deliver(transaction, mode=mode, new_event=bool(options.get("new_event")))
        return json_response(200, {"response": outcome})


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


class RunningSimulator(ServedApp):
    """A simulator serving in a background thread (tests, `make simulators`)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        merchants: dict[str, str] | None = None,
        late_delay: float = 5.0,
    ) -> None:
        self.state = SimulatorState(
            merchants=merchants or {DEFAULT_MERCHANT_CODE: DEFAULT_SECRET}, late_delay=late_delay
        )
        self.app = SimulatorApp(self.state)
        super().__init__(self.app, host=host, port=port, name="payment-simulator")
        self.app.base_url = self.url


def serve_forever(*, host: str, port: int, merchants: dict[str, str], late_delay: float) -> None:
    simulator = RunningSimulator(host=host, port=port, merchants=merchants, late_delay=late_delay)
    logger.info("payment simulator on %s (merchants: %s)", simulator.url, ", ".join(merchants))
    simulator.serve_forever()

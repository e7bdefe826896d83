"""A small stdlib-only WSGI app that behaves like the postal carrier's public-service API (wire: `postal_wire`).

Carrier API (signed, `X-Postal-Signature`: HMAC-SHA256 hex over the raw body; a GET is signed over the path):
- `POST /api/shipments` `{reference, recipient_name, recipient_phone, address, callback_url}` → 201
  `{tracking_number, reference, status, created_at}`; the same reference again (not final) → 200, same shipment.
- `GET /api/shipments/<tracking_number>` → `{tracking_number, reference, status, occurred_at, reason}`.
Callback (the carrier → the app): `POST <callback_url>` `{event_id, tracking_number, reference, status,
occurred_at, reason, sent_at}` signed over the body.
Test controls (no signature, local use only):
- `GET /_control/shipments` (optional `?reference=`), `GET /_control/shipments/<tn>`: the shipments kept, with every
  callback delivery and the app's answer;
- `POST /_control/shipments/<tn>/deliver` `{occurred_at?, callback?}`, `.../fail` `{reason, occurred_at?, callback?}`:
  the post's outcome, sent as a signed callback unless `callback` is false (a missed callback, for the poll);
- `POST /_control/shipments/<tn>/callback` `{forged?}`: send the last event again (same `event_id`), or forged.
"""

import datetime
import json
import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

from dichvucong.common.simulation import ServedApp
from dichvucong.results import postal_wire as wire

logger = logging.getLogger(__name__)

DEFAULT_SECRET = "dev-only-postal-secret"  # the development default of settings.POSTAL_CARRIER_SECRET
VN_TZ = datetime.timezone(datetime.timedelta(hours=7))
_STATUS = {200: "200 OK", 201: "201 Created", 400: "400 Bad Request", 401: "401 Unauthorized", 404: "404 Not Found"}
_STATUS |= {405: "405 Method Not Allowed", 409: "409 Conflict", 500: "500 Internal Server Error"}
_PHONE = re.compile(r"^\+?\d{9,12}$")


def now_vn() -> str:
    return datetime.datetime.now(tz=VN_TZ).replace(microsecond=0).isoformat()


class PostalState:
    """Shipments kept in memory, thread-safe."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.shipments: dict[str, dict] = {}
        self.lock = threading.RLock()

    def create(self, fields: dict) -> tuple[dict, bool]:
        with self.lock:
            for shipment in self.shipments.values():
                if shipment["reference"] == fields["reference"] and shipment["status"] == wire.ACCEPTED:
                    return shipment, False
            tracking = f"EV{uuid.uuid4().int % 10**9:09d}VN"
            shipment = {
                **fields,
                "tracking_number": tracking,
                "status": wire.ACCEPTED,
                "created_at": now_vn(),
                "occurred_at": None,
                "reason": "",
                "last_event": None,
                "callbacks": [],
            }
            self.shipments[tracking] = shipment
            return shipment, True

    def public(self, shipment: dict) -> dict:
        keys = ("tracking_number", "reference", "status", "created_at", "occurred_at", "reason")
        return {key: shipment[key] for key in keys}

    def resolve(self, shipment: dict, *, status: str, occurred_at: str | None, reason: str) -> None:
        with self.lock:
            if shipment["status"] != wire.ACCEPTED:
                raise ValueError("already_final")
            shipment.update(status=status, occurred_at=occurred_at or now_vn(), reason=reason)
            shipment["last_event"] = {
                "event_id": uuid.uuid4().hex,
                "tracking_number": shipment["tracking_number"],
                "reference": shipment["reference"],
                "status": status,
                "occurred_at": shipment["occurred_at"],
                "reason": reason,
            }

    def send_callback(self, shipment: dict, *, forged: bool = False) -> int | str:
        with self.lock:
            event = dict(shipment["last_event"], sent_at=now_vn())
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        signature = wire.sign_bytes(body, ("forged-" if forged else "") + self.secret)
        outcome = _post(shipment["callback_url"], body, signature)
        with self.lock:
            shipment["callbacks"].append(
                {"event_id": event["event_id"], "at": event["sent_at"], "forged": forged, "response": outcome}
            )
        logger.info("callback %s for %s: %s", event["event_id"], shipment["tracking_number"], outcome)
        return outcome


def _post(url: str, body: bytes, signature: str) -> int | str:
    if not url.startswith(("http://", "https://")):
        return "invalid callback url"
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=body, method="POST", headers={"Content-Type": "application/json", wire.SIGNATURE_HEADER: signature}
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - scheme checked above
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError) as exc:
        return f"error: {exc}"


class PostalSimulatorApp:
    def __init__(self, state: PostalState) -> None:
        self.state = state
        tn = r"(?P<tracking>[\w-]+)"
        self.routes = [
            ("POST", re.compile(r"^/api/shipments$"), self.create),
            ("GET", re.compile(rf"^/api/shipments/{tn}$"), self.status),
            ("GET", re.compile(r"^/_control/shipments$"), self.control_list),
            ("GET", re.compile(rf"^/_control/shipments/{tn}$"), self.control_show),
            ("POST", re.compile(rf"^/_control/shipments/{tn}/(?P<outcome>deliver|fail)$"), self.control_outcome),
            ("POST", re.compile(rf"^/_control/shipments/{tn}/callback$"), self.control_callback),
            ("GET", re.compile(r"^/_control/health$"), lambda environ: self._json(200, {"status": "ok"})),
        ]

    def __call__(self, environ, start_response):
        try:
            status, body, headers = self.dispatch(environ)
        except Exception:  # noqa: BLE001 - a simulator answers 500 rather than dying
            logger.exception("postal simulator error")
            status, body, headers = 500, b'{"error": "internal"}', {}
        headers = {"Content-Type": "application/json; charset=utf-8", **headers, "Content-Length": str(len(body))}
        start_response(_STATUS.get(status, f"{status} Status"), list(headers.items()))
        return [body]

    def dispatch(self, environ):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        allowed = False
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match:
                allowed = True
                if route_method == method:
                    return handler(environ, **match.groupdict())
        return self._json(405 if allowed else 404, {"error": "method_not_allowed" if allowed else "not_found"})

    def _json(self, status: int, data: dict, *, signed: bool = False):
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        headers = {wire.SIGNATURE_HEADER: wire.sign_bytes(body, self.state.secret)} if signed else {}
        return status, body, headers

    @staticmethod
    def _body(environ) -> bytes:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return environ["wsgi.input"].read(length) if length else b""

    def _signed(self, environ, payload: bytes) -> bool:
        return wire.verify_bytes(payload, environ.get("HTTP_X_POSTAL_SIGNATURE"), self.state.secret)

    # --- carrier API -----------------------------------------------------------------------------------------
    def create(self, environ):
        raw = self._body(environ)
        if not self._signed(environ, raw):
            return self._json(401, {"error": "invalid_signature"})
        try:
            data = json.loads(raw)
            fields = {name: str(data.get(name) or "").strip() for name in wire.SHIPMENT_REQUEST_FIELDS}
        except (ValueError, AttributeError):
            return self._json(400, {"error": "malformed"})
        invalid = [name for name in ("reference", "recipient_name", "address") if not fields[name]]
        if not _PHONE.match(fields["recipient_phone"].replace(" ", "")):
            invalid.append("recipient_phone")
        if not fields["callback_url"].startswith(("http://", "https://")):
            invalid.append("callback_url")
        if len(fields["address"]) > 300 or "\x00" in "".join(fields.values()):
            invalid.append("address")
        if invalid:
            return self._json(400, {"error": "invalid_request", "fields": sorted(set(invalid))})
        shipment, created = self.state.create(fields)
        return self._json(201 if created else 200, self.state.public(shipment), signed=True)

    def status(self, environ, tracking: str):
        if not self._signed(environ, environ.get("PATH_INFO", "").encode("utf-8")):
            return self._json(401, {"error": "invalid_signature"})
        shipment = self.state.shipments.get(tracking)
        if shipment is None:
            return self._json(404, {"error": "not_found"})
        return self._json(200, self.state.public(shipment), signed=True)

    # --- test controls ---------------------------------------------------------------------------------------
    def control_list(self, environ):
        reference = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("reference", [None])[-1]
        with self.state.lock:
            rows = [s for s in self.state.shipments.values() if reference is None or s["reference"] == reference]
            return self._json(200, {"shipments": json.loads(json.dumps(rows))})

    def control_show(self, environ, tracking: str):
        shipment = self.state.shipments.get(tracking)
        if shipment is None:
            return self._json(404, {"error": "not_found"})
        with self.state.lock:
            return self._json(200, json.loads(json.dumps(shipment)))

    def control_outcome(self, environ, tracking: str, outcome: str):
        shipment = self.state.shipments.get(tracking)
        if shipment is None:
            return self._json(404, {"error": "not_found"})
        options = json.loads(self._body(environ) or b"{}")
        reason = str(options.get("reason") or "")
        if outcome == "fail" and not reason:
            return self._json(400, {"error": "reason_required"})
        status = wire.DELIVERED if outcome == "deliver" else wire.FAILED
        try:
            self.state.resolve(shipment, status=status, occurred_at=options.get("occurred_at"), reason=reason)
        except ValueError:
            return self._json(409, {"error": "already_final"})
        response = self.state.send_callback(shipment) if options.get("callback", True) else None
        return self._json(200, {"shipment": self.state.public(shipment), "response": response})

    def control_callback(self, environ, tracking: str):
        shipment = self.state.shipments.get(tracking)
        if shipment is None:
            return self._json(404, {"error": "not_found"})
        if shipment["last_event"] is None:
            return self._json(409, {"error": "no_outcome_yet"})
        options = json.loads(self._body(environ) or b"{}")
        return self._json(200, {"response": self.state.send_callback(shipment, forged=bool(options.get("forged")))})


class RunningPostalSimulator(ServedApp):
    """The simulator serving in a background thread (tests on port 0; `__main__` serves it in the foreground)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, secret: str = DEFAULT_SECRET) -> None:
        self.state = PostalState(secret)
        super().__init__(PostalSimulatorApp(self.state), host=host, port=port, name="postal-simulator")

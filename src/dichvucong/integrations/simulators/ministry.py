"""Simulator of a ministry's system reached through the generic JSON adapter (`MINISTRY_SYSTEMS`).

`python -m dichvucong.integrations.simulators.ministry --port 8768 --secret <shared secret>`

- `POST /transfers` (headers X-Timestamp, X-Signature: HMAC-SHA256 over `<timestamp>.<body>`, X-Idempotency-Key): a
  transfer is stored once (a replay is answered 200 again); a bad signature is 401.
- Admin: `GET /_control/transfers`, `POST /_control/answer {"transfer_id", "outcome", "note"}`: the ministry answers
  (a signed POST to the transfer's `callback_url`), `POST /_control/mode`.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request

from .base import RunningSimulator, SimulatorBase, json_response

DEFAULT_SECRET = "dev-only-ministry-secret"


def signed(secret: str, payload: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Timestamp": timestamp, "X-Signature": signature}


class MinistrySimulator(SimulatorBase):
    name = "ministry-simulator"

    def __init__(self, *, secret: str = DEFAULT_SECRET) -> None:
        super().__init__()
        self.secret = secret
        self._lock = threading.Lock()
        self.transfers: dict[str, dict] = {}
        self.keys: set[str] = set()
        self.duplicates = 0
        self.routes += [
            ("POST", re.compile(r"^/transfers$"), self.receive),
            ("GET", re.compile(r"^/_control/transfers$"), lambda e: json_response(200, list(self.transfers.values()))),
            ("POST", re.compile(r"^/_control/answer$"), self.control_answer),
        ]

    def receive(self, environ):
        body = self.body(environ)
        timestamp, signature = environ.get("HTTP_X_TIMESTAMP", ""), environ.get("HTTP_X_SIGNATURE", "")
        expected = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return json_response(401, {"error": "invalid_signature"})
        data = json.loads(body or b"{}")
        key = environ.get("HTTP_X_IDEMPOTENCY_KEY", "")
        with self._lock:
            if key and key in self.keys:
                self.duplicates += 1
                return json_response(200, {"status": "received", "duplicate": True})
            self.keys.add(key)
            self.transfers[data.get("transfer_id", "")] = data
        return json_response(200, {"status": "received"})

    def answer(self, transfer_id: str, outcome: str, note: str = "", *, url: str | None = None) -> tuple[int, str]:
        transfer = self.transfers.get(transfer_id)
        if transfer is None:
            return 404, "unknown transfer"
        body, headers = signed(self.secret, {"transfer_id": transfer_id, "outcome": outcome, "note": note})
        request = urllib.request.Request(url or transfer["callback_url"], data=body, method="POST", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def control_answer(self, environ):
        data = self.json_body(environ)
        status, body = self.answer(
            str(data.get("transfer_id", "")), str(data.get("outcome", "")), str(data.get("note", ""))
        )
        return json_response(200, {"status": status, "body": body})


def running(*, host: str = "127.0.0.1", port: int = 0, **options) -> RunningSimulator:
    return RunningSimulator(MinistrySimulator(**options), host=host, port=port)


def main() -> None:
    parser = argparse.ArgumentParser(description="Simulator of a ministry system (generic JSON adapter)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8768)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s ministry-simulator %(message)s")
    running(host=args.host, port=args.port, secret=args.secret).serve_forever()


if __name__ == "__main__":
    main()

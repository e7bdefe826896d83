"""Simulator of an SMS gateway (brandname SMS of a telecom operator).

`python -m dichvucong.integrations.simulators.sms --port 8767`

- `POST /api/sms {"to", "text", "sender"}` with `X-Api-Key`: 400 for a number that is not a Vietnamese mobile number
  or an empty text, else stored and 200 `{"status": "accepted", "id"}`; a replay of an `X-Idempotency-Key` already
  stored is answered 200 again without sending a second SMS.
- Admin: `GET /_control/messages?to=`, `POST /_control/mode` (slow, failing, down, out of order), `POST /_control/reset`.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import re
import threading
import time
import uuid

from .base import RunningSimulator, SimulatorBase, json_response

DEFAULT_API_KEY = "dev-only-sms-key"  # the development default of settings.SMS_API_KEY
PHONE = re.compile(r"^(?:\+?84|0)(3|5|7|8|9)\d{8}$")


class SmsSimulator(SimulatorBase):
    name = "sms-simulator"

    def __init__(self, *, api_key: str = DEFAULT_API_KEY) -> None:
        super().__init__()
        self.api_key = api_key
        self._lock = threading.Lock()
        self.messages: list[dict] = []
        self.keys: dict[str, str] = {}
        self.duplicates = 0
        self.routes += [
            ("POST", re.compile(r"^/api/sms$"), self.send),
            ("GET", re.compile(r"^/_control/messages$"), self.control_messages),
            ("POST", re.compile(r"^/_control/reset$"), self.control_reset),
        ]

    def send(self, environ):
        if not hmac.compare_digest(environ.get("HTTP_X_API_KEY", ""), self.api_key):
            return json_response(401, {"status": "error", "message": "invalid api key"})
        data = self.json_body(environ)
        to, text = str(data.get("to", "")).replace(" ", ""), str(data.get("text", ""))
        if not PHONE.match(to) or not text.strip():
            return json_response(400, {"status": "error", "message": "invalid number or empty text"})
        key = environ.get("HTTP_X_IDEMPOTENCY_KEY", "")
        with self._lock:
            if key and key in self.keys:
                self.duplicates += 1
                return json_response(200, {"status": "accepted", "id": self.keys[key], "duplicate": True})
            message_id = uuid.uuid4().hex
            self.messages.append(
                {"id": message_id, "to": to, "text": text, "sender": data.get("sender", ""), "at": time.time()}
            )
            if key:
                self.keys[key] = message_id
        return json_response(200, {"status": "accepted", "id": message_id})

    def control_messages(self, environ):
        to = self.query(environ).get("to")
        with self._lock:
            return json_response(200, [m for m in self.messages if not to or m["to"] == to])

    def control_reset(self, environ):
        with self._lock:
            self.messages, self.keys, self.duplicates = [], {}, 0
        self.behaviour.set("normal", 0)
        return json_response(200, {"status": "reset"})


def running(*, host: str = "127.0.0.1", port: int = 0, **options) -> RunningSimulator:
    return RunningSimulator(SmsSimulator(**options), host=host, port=port)


def main() -> None:
    parser = argparse.ArgumentParser(description="Simulator of an SMS gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sms-simulator %(message)s")
    running(host=args.host, port=args.port, api_key=args.api_key).serve_forever()


if __name__ == "__main__":
    main()

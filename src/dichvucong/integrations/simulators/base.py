"""What the simulators share: a threaded WSGI server whose admin endpoint (`POST /_control/mode`) makes it slow,
failing (503), down (connections dropped without an answer) or answering out of order; JSON helpers."""

from __future__ import annotations

import json
import logging
import random
import re
import time
import urllib.parse
from wsgiref.simple_server import ServerHandler

from dichvucong.common.simulation import QuietHandler, ServedApp

logger = logging.getLogger(__name__)

MODES = ("normal", "slow", "failing", "down", "out_of_order")
_STATUS_TEXT = {200: "200 OK", 201: "201 Created", 400: "400 Bad Request", 401: "401 Unauthorized",
                404: "404 Not Found", 405: "405 Method Not Allowed", 409: "409 Conflict",
                500: "500 Internal Server Error", 503: "503 Service Unavailable"}  # fmt: skip


class Response:
    def __init__(self, status: int, body: bytes | str = b"", content_type: str = "application/json", headers=None):
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.headers = {"Content-Type": content_type, **(headers or {})}


def json_response(status: int, data) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False), "application/json; charset=utf-8")


class Behaviour:
    """The failure mode the admin endpoint sets (thread-safe enough: plain attribute writes)."""

    def __init__(self) -> None:
        self.mode = "normal"
        self.delay = 0.0
        self.requests = 0

    def set(self, mode: str, delay: float | None = None) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        if delay is not None:
            self.delay = max(0.0, float(delay))

    def after_handling(self) -> None:
        """Called once the request was handled, before answering: `slow` waits `delay`, `out_of_order` a random
        part of it (so concurrent requests are answered in another order than they came)."""
        if self.mode == "slow":
            time.sleep(self.delay)
        elif self.mode == "out_of_order":
            time.sleep(random.uniform(0, self.delay or 0.2))  # noqa: S311

    def as_dict(self) -> dict:
        return {"mode": self.mode, "delay": self.delay, "requests": self.requests}


class SimulatorBase:
    """A WSGI app: `routes` of (method, regex, handler); `/_control/...` always answers, whatever the mode."""

    name = "simulator"

    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.base_url = ""
        self.routes: list[tuple[str, re.Pattern, object]] = [
            ("GET", re.compile(r"^/_control/health$"), lambda environ: json_response(200, {"status": "ok"})),
            ("POST", re.compile(r"^/_control/mode$"), self.control_mode),
            ("GET", re.compile(r"^/_control/mode$"), lambda environ: json_response(200, self.behaviour.as_dict())),
        ]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        control = path.startswith("/_control/")
        try:
            if not control:
                self.behaviour.requests += 1
            if not control and self.behaviour.mode == "failing":
                response = json_response(503, {"error_code": 503, "message": "Hệ thống đang bảo trì (mô phỏng)"})
            else:
                response = self.dispatch(environ)
                if not control:
                    self.behaviour.after_handling()
        except Exception:  # noqa: BLE001 - a simulator answers 500 rather than dying
            logger.exception("%s error", self.name)
            response = json_response(500, {"error_code": 500, "message": "internal"})
        status = _STATUS_TEXT.get(response.status, f"{response.status} Status")
        headers = list(response.headers.items()) + [("Content-Length", str(len(response.body)))]
        start_response(status, headers)
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
        return json_response(405 if allowed else 404, {"error": "method_not_allowed" if allowed else "not_found"})

    @staticmethod
    def body(environ) -> bytes:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return environ["wsgi.input"].read(length) if length else b""

    def json_body(self, environ):
        return json.loads(self.body(environ) or b"{}")

    @staticmethod
    def query(environ) -> dict:
        return {k: v[-1] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}

    def control_mode(self, environ) -> Response:
        data = self.json_body(environ)
        try:
            self.behaviour.set(str(data.get("mode", "normal")), data.get("delay"))
        except (ValueError, TypeError):
            return json_response(400, {"error": "invalid_mode", "modes": list(MODES)})
        return json_response(200, self.behaviour.as_dict())


class _Handler(QuietHandler):
    """Drops the connection without an answer while the simulator is `down` (except for `/_control/`)."""

    def handle(self):
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536 or not self.parse_request():
            return
        app = self.server.get_app()
        if app.behaviour.mode == "down" and not self.path.startswith("/_control/"):
            self.close_connection = True
            return
        handler = ServerHandler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self
        handler.run(app)


class RunningSimulator(ServedApp):
    """A simulator app served in a background thread (tests, `make run`): `.url`, `.app`, `.stop()`."""

    def __init__(self, app: SimulatorBase, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        super().__init__(app, host=host, port=port, name=app.name, handler_class=_Handler)
        app.base_url = self.url

    def serve_forever(self) -> None:
        logger.info("%s on %s", self.app.name, self.url)
        super().serve_forever()

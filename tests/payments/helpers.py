"""Helpers of the payments tests: plain HTTP calls to the simulator, a callback recorder."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CallbackRecorder:
    """A merchant endpoint that only records what the platform POSTs to it (headers and raw body)."""

    def __init__(self) -> None:
        recorder = self
        self.received: list[tuple[dict, bytes]] = []
        self.event = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.received.append((dict(self.headers.items()), body))
                recorder.event.set()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait(self, count: int, timeout: float = 5.0) -> None:
        deadline = threading.Event()
        for _ in range(int(timeout / 0.05)):
            if len(self.received) >= count:
                return
            deadline.wait(0.05)
        raise AssertionError(f"expected {count} callbacks, got {len(self.received)}")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(method: str, url: str, *, form: dict | None = None, json_body: dict | None = None):
    """A plain HTTP call (the payer's browser or a test control). Returns (status, headers, body bytes)."""
    data, headers = None, {}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def pay_at_simulator(redirect_url: str, *, result: str = "success", callback: str = "normal"):
    """What the citizen does on the platform's page: open it, press a button. Returns the redirect Location."""
    status, _, page = http("GET", redirect_url)
    assert status == 200 and "Thanh toán thành công".encode() in page
    status, headers, _ = http("POST", redirect_url, form={"result": result, "callback": callback})
    assert status == 303, status
    return headers["Location"]


def simulator_control(simulator, transaction_id: str, *, changes: dict | None = None, callback: dict | None = None):
    base = f"{simulator.url}/_control/transactions/{transaction_id}"
    if changes is not None:
        return json.loads(http("POST", base, json_body=changes)[2])
    if callback is not None:
        return json.loads(http("POST", base + "/callback", json_body=callback)[2])
    return json.loads(http("GET", base)[2])

"""What every local simulator of an external system shares (payments, national portal, SMS, ministry, post): a
threaded WSGI server that logs at debug level, served in a background thread (tests on port 0) or in the foreground
(`python -m ...`)."""

from __future__ import annotations

import logging
import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger(__name__)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        logger.debug("%s - %s", self.address_string(), format % args)


class ServedApp:
    """`app` served on `host:port` (0: a free port): `.url`, `.port`, `.start()` in a thread, `.stop()`,
    `.serve_forever()` in the foreground."""

    def __init__(self, app, *, host: str, port: int, name: str, handler_class=QuietHandler) -> None:
        self.server = make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=handler_class)
        self.port = self.server.server_port
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def serve_forever(self) -> None:
        try:
            self.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.server.server_close()

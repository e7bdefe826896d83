"""The database unreachable (issue 12, item 5): pages answer a Vietnamese 503 page, the API a JSON 503, both with
Retry-After, never Django's bare English "Server Error (500)". A real server process is started with a database URL
where nothing listens (a closed port on 127.0.0.1): no mock."""

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
SERVER = """
import sys, django
from wsgiref.simple_server import make_server, WSGIRequestHandler
class Quiet(WSGIRequestHandler):
    def log_message(self, *args): pass
django.setup()
from django.core.wsgi import get_wsgi_application
server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dead_db_server():
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "dichvucong.settings",
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/nowhere",
        "DB_CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SERVER], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        port = int(process.stdout.readline().strip())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(timeout=10)


def _get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/tra-cuu/", "/ho-so/cua-toi/"])
def test_pages_answer_a_vietnamese_503_with_retry_after(dead_db_server, path):
    status, headers, body = _get(dead_db_server + path, Cookie="sessionid=abcdefghijklmnop")
    assert status == 503, body[:300]
    assert int(headers["Retry-After"]) > 0
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="vi">' in body and "Hệ thống tạm thời gián đoạn" in body
    assert "Server Error" not in body


@pytest.mark.parametrize("path", ["/api/v1/procedures/", "/api/v1/agencies/", "/api/v1/me/", "/api/v1/dossiers/"])
def test_api_answers_json_503_with_retry_after(dead_db_server, path):
    status, headers, body = _get(dead_db_server + path, Authorization="Token 0123456789abcdef")
    assert status == 503, body[:300]
    assert int(headers["Retry-After"]) > 0
    data = json.loads(body)
    assert data["code"] == "service_unavailable" and "cơ sở dữ liệu" in data["detail"]

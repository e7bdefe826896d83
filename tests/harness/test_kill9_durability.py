"""kill -9 of the server under a concurrent submission load (issue 12): every acknowledged (201) dossier is stored,
a retried submission (same Idempotency-Key) never makes a second dossier, the dossier codes have no gap, and after
`uploads_cleanup` no file on disk is without its row (nor a row without its file).

A real server process (threaded WSGI, the project's settings) serves the test's PostgreSQL database; client threads
upload a file and submit a dossier in a loop, retrying each logical submission with its key until it is
acknowledged; the process is killed with SIGKILL three times mid-load and restarted. PostgreSQL only (the SQLite test
database lives in the test process)."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.db import connection

from dichvucong.accounts.services import api_token_issue
from tests.dossiers.factories import FORM, PDF, department, make_procedure, offer
from tests.factories import CitizenFactory
from tests.harness.report import record

SRC = Path(__file__).resolve().parents[2] / "src"
KILLS = int(os.environ.get("DCV_HARNESS_KILLS", "3"))
CLIENTS = int(os.environ.get("DCV_HARNESS_CLIENTS", "6"))
SECONDS_BETWEEN_KILLS = float(os.environ.get("DCV_HARNESS_KILL_EVERY", "3"))
SERVER = """
import django
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
class Quiet(WSGIRequestHandler):
    def log_message(self, *args): pass
class Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True
django.setup()
from django.core.wsgi import get_wsgi_application
server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Threaded, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""

pytestmark = [pytest.mark.postgres_only]


class Server:
    def __init__(self, env):
        self.env = env
        self.process = None
        self.url = ""

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SERVER], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self.url = f"http://127.0.0.1:{int(self.process.stdout.readline())}"

    def kill9(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def _retry(call, outcome):
    """Call until a whole answer below 500 comes (connection refused or reset, or a body cut short, while the
    server is down: retry)."""
    while True:
        try:
            response = call()
            if response.status_code < 500:
                response.data = response.json()
                return response
            outcome["5xx"] += 1
        except (requests.RequestException, ValueError):
            pass
        outcome["retries"] += 1
        time.sleep(0.2)


def _submit_until_acknowledged(server, token, body, key, outcome):
    """One logical submission as a well-behaved client makes it: each file uploaded (retried until acknowledged),
    then the dossier POSTed with its Idempotency-Key, the SAME request retried until acknowledged."""
    headers = {"Authorization": f"Token {token}"}
    uploads = []
    for name in ("giay.pdf", "giay2.pdf"):
        response = _retry(
            lambda name=name: requests.post(
                f"{server.url}/api/v1/uploads/", headers=headers, files={"file": (name, PDF)}, timeout=20
            ),
            outcome,
        )
        assert response.status_code == 201, response.text
        uploads.append(response.data["id"])
    payload = {**body, "attachments": uploads}
    response = _retry(
        lambda: requests.post(
            f"{server.url}/api/v1/dossiers/", json=payload, headers={**headers, "Idempotency-Key": key}, timeout=20
        ),
        outcome,
    )
    assert response.status_code == 201, response.text
    if response.headers.get("Idempotent-Replayed") == "true":
        outcome["replayed"] += 1
    return response.data["code"]


@pytest.mark.django_db(transaction=True)
def test_kill9_under_concurrent_submissions_loses_nothing(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the server process shares the test database)")
    from dichvucong.dossiers.models import Dossier, Upload
    from dichvucong.dossiers.uploads import orphan_files_cleanup

    agency = department("000.00.04.H31", "Sở Tư pháp")
    procedure = make_procedure()
    offer(procedure, agency)
    citizen = CitizenFactory()
    _token, token = api_token_issue(user=citizen, name="harness")
    media = tmp_path / "media"
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "dichvucong.settings",
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "MEDIA_ROOT": str(media),
        "DB_CONN_MAX_AGE": "0",
    }
    server = Server(env)
    server.start()
    body = {"procedure": procedure.code, "agency": agency.code, "form_data": FORM}
    stop = threading.Event()
    acknowledged: dict[str, str] = {}
    outcome = Counter()
    lock = threading.Lock()

    def client():
        while not stop.is_set():
            key = uuid.uuid4().hex
            code = _submit_until_acknowledged(server, token, body, key, outcome)
            with lock:
                outcome["logical"] += 1
                if code:
                    acknowledged[key] = code

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(KILLS):
            time.sleep(SECONDS_BETWEEN_KILLS)
            server.kill9()
            outcome["kills"] += 1
            server.start()
        time.sleep(SECONDS_BETWEEN_KILLS)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        stop.set()
        server.kill9()

    stored = {d.idempotency_key: d.code for d in Dossier.objects.filter(created_by=citizen)}
    lost = [code for key, code in acknowledged.items() if stored.get(key) != code]
    per_key = Counter(Dossier.objects.filter(created_by=citizen).values_list("idempotency_key", flat=True))
    duplicates = [key for key, count in per_key.items() if count > 1]
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in stored.values())
    gaps = sorted(set(range(1, len(numbers) + 1)) - set(numbers))
    files_before = sum(1 for path in media.rglob("*") if path.is_file())
    settings.MEDIA_ROOT = media
    settings.UPLOAD_ORPHAN_GRACE_HOURS = 0
    orphans_removed = orphan_files_cleanup()
    on_disk = {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}
    rows = set(Upload.objects.values_list("file", flat=True))
    orphans_left = on_disk - rows
    missing_files = rows - on_disk
    figures = {
        "clients": CLIENTS,
        "kills": outcome["kills"],
        "logical_submissions": outcome["logical"],
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost": len(lost),
        "duplicates": len(duplicates),
        "code_gaps": len(gaps),
        "client_retries": outcome["retries"],
        "replayed_after_a_lost_answer": outcome["replayed"],
        "5xx": outcome["5xx"],
        "files_before_cleanup": files_before,
        "orphan_files_removed": orphans_removed,
        "orphan_files_left": len(orphans_left),
        "rows_without_file": len(missing_files),
    }
    record("kill9_durability", figures)
    assert outcome["kills"] == KILLS
    assert acknowledged, figures
    assert not lost and not duplicates and not gaps, figures
    assert len(stored) == len(acknowledged) == outcome["logical"], figures
    assert not orphans_left and not missing_files, figures

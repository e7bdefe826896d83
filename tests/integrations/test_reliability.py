"""Reliability of the outbox against the national portal simulator, with real workers:

- a long outage (OUTBOX_OUTAGE_SECONDS, 60 s by default; the production settings ride out hours, see
  docs/adr/0009-integration-outbox.md): nothing lost, each update delivered exactly once and in order per dossier;
- a Celery worker (RabbitMQ) killed with SIGKILL in the middle of a delivery: another worker delivers it again and
  the receiver stores it once (PostgreSQL: the worker is another process on the test database);
- a slow or dead portal never slows a web request.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.services import dossier_accept, dossier_start_processing
from dichvucong.integrations import outbox
from dichvucong.integrations.models import MessageStatus, OutboxAttempt, OutboxMessage, Target
from tests.factories import AgencyFactory, DossierFactory, ProcedureFactory, officers_at

SRC = Path(__file__).resolve().parents[2] / "src"
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
OUTAGE_SECONDS = float(os.environ.get("OUTBOX_OUTAGE_SECONDS", "60"))


def wait_until(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def portal_pending() -> int:
    return OutboxMessage.objects.filter(target=Target.NATIONAL_PORTAL).exclude(status=MessageStatus.DELIVERED).count()


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def thread_worker(settings):
    """The embedded default's in-process worker, sweeping every 0.3 s, quick retries (ceiling 2 s). On SQLite the
    test database is in memory, shared by the threads with table locks instead of waits: there the test's own thread
    plays the worker (`tick`), same code, one connection."""
    settings.INTEGRATIONS_DELIVERY = "thread" if on_postgresql() else "manual"
    settings.INTEGRATIONS_SWEEP_SECONDS = 0.3
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 0.2
    settings.INTEGRATIONS_RETRY_CEILING_SECONDS = 2
    settings.INTEGRATIONS_MAX_ATTEMPTS = 10_000
    settings.INTEGRATIONS_TIMEOUT_SECONDS = 10
    worker = outbox.InProcessWorker.get() if on_postgresql() else None
    yield worker
    settings.INTEGRATIONS_DELIVERY = "manual"  # the thread stops at its next wake-up
    if worker is not None:
        worker.wake()
        worker._thread.join(timeout=30)


def tick() -> None:
    if not on_postgresql():
        outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])


def wait_delivered(timeout: float) -> bool:
    return wait_until(lambda: tick() or portal_pending() == 0, timeout=timeout)


@pytest.mark.django_db(transaction=True)
def test_a_long_outage_loses_nothing_and_delivers_each_update_once_in_order(portal, thread_worker):
    portal.app.behaviour.set("down")
    agency = AgencyFactory.department()
    procedure = ProcedureFactory(agencies=[agency.code])
    officers = officers_at(agency)
    dossiers = []
    started = time.monotonic()
    for _ in range(8):
        dossier = DossierFactory(agency=agency, procedure=procedure, officers=officers)
        dossier = dossier_accept(actor=officers[Role.RECEPTION], dossier=dossier)
        dossier_start_processing(actor=officers[Role.RECEPTION], dossier=dossier)
        dossiers.append(dossier)
    expected = 3 * len(dossiers)
    assert portal_pending() == expected
    while time.monotonic() - started < OUTAGE_SECONDS:
        tick()
        time.sleep(0.3)
    # Still down: nothing delivered, nothing lost, the worker kept trying (backoff capped at 2 s).
    assert portal_pending() == expected and portal.app.received == []
    heads = OutboxMessage.objects.filter(target=Target.NATIONAL_PORTAL, attempts__gt=0)
    assert heads.count() >= len(dossiers)
    assert min(heads.values_list("attempts", flat=True)) >= 3
    portal.app.behaviour.set("normal")
    assert wait_delivered(timeout=120), portal_pending()
    stats = portal.app.stats()
    assert stats["received"] == expected and stats["out_of_order"] == 0
    for dossier in dossiers:
        packets = [r["packet"] for r in portal.app.received if r["packet"]["MaHoSo"] == dossier.code]
        assert [p["TrangThaiHoSo"] for p in packets] == [1, 2, 4]
    keys = [r["idempotency_key"] for r in portal.app.received]
    assert len(set(keys)) == expected


@pytest.mark.django_db(transaction=True)
def test_a_slow_or_dead_portal_never_slows_a_web_request(portal, thread_worker, client):
    if not on_postgresql():
        pytest.skip("needs the worker thread next to the request (PostgreSQL test database)")
    from tests.factories import auth_client

    agency = AgencyFactory.department()
    officers = officers_at(agency)
    api = auth_client(officers[Role.RECEPTION])
    for mode in ("slow", "down"):
        portal.app.behaviour.set(mode, 4.0)
        dossier = DossierFactory(agency=agency, officers=officers)
        started = time.monotonic()
        response = api.post(
            reverse("api:dossier-actions", kwargs={"reference": dossier.code}), {"action": "accept"}, format="json"
        )
        elapsed = time.monotonic() - started
        assert response.status_code in (200, 201), response.content
        assert elapsed < 2.0, f"{mode}: the request took {elapsed:.2f} s"
    # the worker (not the request) meets the dead portal: it is left down until the worker has failed once
    assert wait_until(lambda: OutboxAttempt.objects.filter(ok=False).exists(), timeout=60)
    portal.app.behaviour.set("normal")
    assert wait_delivered(timeout=60)


# --- a Celery worker killed mid-delivery (RabbitMQ) -----------------------------------------------------------------


def _broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False


def _database_url() -> str:
    db = django_settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, portal_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "dichvucong.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "INTEGRATIONS_DELIVERY": "celery",
        "INTEGRATIONS_LEASE_SECONDS": "3",
        "INTEGRATIONS_RETRY_BASE_SECONDS": "0.5",
        "INTEGRATIONS_RETRY_CEILING_SECONDS": "2",
        "NATIONAL_PORTAL_URL": portal_url,
        "NATIONAL_PORTAL_TOKEN": django_settings.NATIONAL_PORTAL_TOKEN,
    }
    command = [sys.executable, "-m", "celery", "-A", "dichvucong", "worker", "-Q", queue, "-P", "solo",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not _broker_up(), reason="RabbitMQ is not running on 127.0.0.1:5672 (.ci/run starts it)")
def test_a_worker_killed_mid_delivery_redelivers_without_duplicate_at_the_receiver(portal):
    if connection.vendor != "postgresql":
        pytest.skip("the worker is another process: it needs the test database on PostgreSQL")
    from celery import Celery

    queue = f"outbox-test-{uuid.uuid4().hex[:8]}"
    producer = Celery("outbox-test", broker=BROKER)
    agency = AgencyFactory.department()
    officers = officers_at(agency)
    dossier = DossierFactory(agency=agency, officers=officers)
    dossier_accept(actor=officers[Role.RECEPTION], dossier=dossier)
    messages = list(OutboxMessage.objects.filter(dossier=dossier, target=Target.NATIONAL_PORTAL).order_by("pk"))
    assert len(messages) == 2
    portal.app.behaviour.set("slow", 30.0)  # stores the packet, then keeps the worker waiting for the answer
    first = _start_worker(queue, portal.url)
    second = None
    try:
        for message in messages:
            producer.send_task("integrations.deliver", args=[message.pk], queue=queue)
        assert wait_until(lambda: len(portal.app.received) == 1, timeout=60), "the worker never reached the portal"
        os.kill(first.pid, signal.SIGKILL)  # mid-delivery: sent, not yet recorded
        first.wait(timeout=10)
        head = OutboxMessage.objects.get(pk=messages[0].pk)
        assert head.status == MessageStatus.PENDING and head.attempts == 0 and head.locked_until is not None
        portal.app.behaviour.set("normal")
        second = _start_worker(queue, portal.url)
        delivered = wait_until(
            lambda: (
                OutboxMessage.objects.filter(dossier=dossier, target=Target.NATIONAL_PORTAL)
                .exclude(status=MessageStatus.DELIVERED)
                .count()
                == 0
            ),
            timeout=90,
        )
        assert delivered, list(OutboxMessage.objects.filter(dossier=dossier).values("status", "attempts", "last_error"))
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)
    stats = portal.app.stats()
    assert stats["received"] == 2 and stats["duplicates"] == 1 and stats["out_of_order"] == 0
    assert [r["packet"]["TrangThaiHoSo"] for r in portal.app.received] == [1, 2]
    head = OutboxMessage.objects.get(pk=messages[0].pk)
    assert head.attempts == 1 and list(head.attempt_rows.values_list("ok", flat=True)) == [True]

"""The transactional outbox (docs/adr/0009-integration-outbox.md).

- `enqueue(...)` writes a message in the caller's transaction (the dossier registry's in-transaction effects call it):
  it exists exactly when the change that caused it was committed. Once committed, `dispatch` tells a worker.
- `deliver_message(pk)` is what a worker does with one message: claim it with a lease (a conditional UPDATE, so two
  workers never send it at once), refuse while an older message of the same `ordering_key` (a dossier and a target)
  is still pending (per-dossier order), send it outside any transaction, then record the attempt: delivered, retried
  after an exponential backoff with a ceiling, or dead with the last error (permanent refusal, or too many attempts).
  A worker killed mid-delivery leaves a lease that expires: the message is sent again with the same idempotency key,
  and the receiver drops the replay.
- Workers: Celery (`INTEGRATIONS_DELIVERY=celery`, RabbitMQ in production: task `integrations.deliver` per message
  and the sweep `integrations.deliver_due` on beat), an in-process thread in the embedded default (`thread`), or
  nobody (`manual`: tests call `deliver_due()`). None of them runs inside a web request.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from .models import MessageStatus, OutboxAttempt, OutboxMessage, Target
from .transports import TRANSPORTS, DeliveryError

logger = logging.getLogger(__name__)

DELIVERED, RETRY, DEAD, BLOCKED, LOCKED, NOT_DUE, GONE = (
    "delivered",
    "retry",
    "dead",
    "blocked",
    "locked",
    "not_due",
    "gone",
)


def _setting(name: str, default):
    return getattr(settings, name, default)


def lease_seconds() -> float:
    return float(_setting("INTEGRATIONS_LEASE_SECONDS", 120))


def backoff_seconds(attempts: int) -> float:
    """Delay before the next try after `attempts` failed ones: base·2^(n-1), at most the ceiling, ±10 % jitter."""
    base = float(_setting("INTEGRATIONS_RETRY_BASE_SECONDS", 10))
    ceiling = float(_setting("INTEGRATIONS_RETRY_CEILING_SECONDS", 3600))
    delay = min(base * (2 ** max(attempts - 1, 0)), ceiling)
    return delay * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not security


def enqueue(
    *,
    target: str,
    kind: str,
    payload: dict,
    dossier=None,
    destination: str = "",
    subscription=None,
    ordering_key: str = "",
) -> OutboxMessage:
    """Write a message in the current transaction; a worker is told once it commits."""
    return enqueue_many(
        [
            {
                "target": target,
                "kind": kind,
                "payload": payload,
                "dossier": dossier,
                "destination": destination,
                "subscription": subscription,
                "ordering_key": ordering_key,
            }
        ]
    )[0]


def enqueue_many(messages: list[dict]) -> list[OutboxMessage]:
    """`enqueue` for several messages (the keyword arguments of `enqueue` each) in one INSERT, in list order."""
    rows = []
    for m in messages:
        target, dossier, subscription = m["target"], m.get("dossier"), m.get("subscription")
        ordering_key = m.get("ordering_key") or ""
        if not ordering_key:
            scope = f"d{dossier.pk}" if dossier is not None else "global"
            sub = f":s{subscription.pk}" if subscription is not None else ""
            ordering_key = f"{target}{sub}:{scope}"
        rows.append(
            OutboxMessage(
                target=target,
                kind=m["kind"],
                payload=m["payload"],
                dossier=dossier,
                destination=(m.get("destination") or "")[:500],
                subscription=subscription,
                ordering_key=ordering_key,
                idempotency_key=uuid.uuid4().hex,
            )
        )
    if not rows:
        return []
    rows = OutboxMessage.objects.bulk_create(rows) if len(rows) > 1 else [_create_one(rows[0])]
    transaction.on_commit(lambda pks=[r.pk for r in rows]: dispatch(pks))
    return rows


def _create_one(message: OutboxMessage) -> OutboxMessage:
    message.save(force_insert=True)
    return message


# --- one delivery --------------------------------------------------------------------------------------------------


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def _blocked(message: OutboxMessage) -> bool:
    return OutboxMessage.objects.filter(
        ordering_key=message.ordering_key, status=MessageStatus.PENDING, pk__lt=message.pk
    ).exists()


def _claim(pk: int) -> tuple[str, OutboxMessage | None]:
    now = timezone.now()
    message = OutboxMessage.objects.filter(pk=pk).select_related("subscription").first()
    if message is None or message.status != MessageStatus.PENDING:
        return GONE, None
    if message.next_attempt_at > now:
        return NOT_DUE, message
    if message.locked_until and message.locked_until > now:
        return LOCKED, message
    if _blocked(message):
        return BLOCKED, message
    lease = now + timedelta(seconds=lease_seconds())
    claimed = (
        OutboxMessage.objects.filter(pk=pk, status=MessageStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_until=lease)
    )
    if not claimed:
        return LOCKED, message
    message.locked_until = lease
    return "claimed", message


def deliver_message(pk: int) -> str:
    """Try to deliver one message now (see the module docstring); returns what happened."""
    outcome, message = _claim(pk)
    if outcome != "claimed":
        return outcome
    started = time.monotonic()
    at = timezone.now()
    error, status_code, permanent = "", None, False
    try:
        status_code = TRANSPORTS[message.target](message)
    except DeliveryError as exc:
        error, status_code, permanent = str(exc)[:4000], exc.status_code, exc.permanent
    except Exception as exc:  # noqa: BLE001 - a bug in a transport must not kill the worker; it is recorded
        logger.exception("outbox transport crashed on message %s", pk)
        error = f"lỗi nội bộ khi gửi: {exc!r}"[:4000]
    duration = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        current = OutboxMessage.objects.select_for_update().get(pk=pk)
        if current.status != MessageStatus.PENDING or current.locked_until != message.locked_until:
            # Our lease expired and another worker took the message over: record the try, decide nothing.
            OutboxAttempt.objects.create(
                message=current, at=at, duration_ms=duration, ok=not error, status_code=status_code,
                error=error or "lease expired", worker=_worker_name(),
            )  # fmt: skip
            return LOCKED
        current.attempts += 1
        current.locked_until = None
        if not error:
            current.status = MessageStatus.DELIVERED
            current.delivered_at = timezone.now()
            current.last_error = ""
            outcome = DELIVERED
        elif permanent or current.attempts >= int(_setting("INTEGRATIONS_MAX_ATTEMPTS", 48)):
            current.status = MessageStatus.DEAD
            current.last_error = error
            outcome = DEAD
        else:
            current.last_error = error
            current.next_attempt_at = timezone.now() + timedelta(seconds=backoff_seconds(current.attempts))
            outcome = RETRY
        current.save(update_fields=["attempts", "locked_until", "status", "delivered_at", "last_error",
                                    "next_attempt_at", "updated_at"])  # fmt: skip
        OutboxAttempt.objects.create(
            message=current, at=at, duration_ms=duration, ok=not error, status_code=status_code, error=error,
            worker=_worker_name(),
        )  # fmt: skip
    if outcome in (DELIVERED, DEAD):
        successor = (
            OutboxMessage.objects.filter(ordering_key=message.ordering_key, status=MessageStatus.PENDING, pk__gt=pk)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if successor is not None:
            dispatch([successor])
    return outcome


def due_heads(limit: int = 500, *, targets=None) -> list[int]:
    """The oldest pending message of each ordering key, if it is due and not leased (what a sweep delivers);
    `targets`: only those targets (a worker per target)."""
    now = timezone.now()
    pending = OutboxMessage.objects.filter(status=MessageStatus.PENDING)
    if targets:
        pending = pending.filter(target__in=list(targets))
    heads = pending.values("ordering_key").annotate(first=Min("id")).values_list("first", flat=True)
    return list(
        OutboxMessage.objects.filter(pk__in=heads, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(*, limit: int = 500, rounds: int = 1000, targets=None) -> dict[str, int]:
    """Deliver what is due, in this process, until nothing more is (manual mode, the thread worker, commands).
    With `targets` naming e-mail, SMS or webhooks, the due fan-outs (which write those messages) are delivered first
    (not counted)."""
    if targets and Target.FANOUT not in targets and {Target.EMAIL, Target.SMS, Target.WEBHOOK} & set(targets):
        deliver_due(limit=limit, rounds=rounds, targets=[Target.FANOUT])
    counts: dict[str, int] = {}
    for _ in range(rounds):
        heads = due_heads(limit, targets=targets)
        if not heads:
            break
        progress = False
        for pk in heads:
            outcome = deliver_message(pk)
            counts[outcome] = counts.get(outcome, 0) + 1
            progress = progress or outcome in (DELIVERED, DEAD)
        if not progress:
            break
    return counts


# --- telling a worker ----------------------------------------------------------------------------------------------


def delivery_mode() -> str:
    mode = _setting("INTEGRATIONS_DELIVERY", "")
    if mode:
        return mode
    return "celery" if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER else "thread"


def dispatch(pks: list[int]) -> None:
    """Hand committed messages to the workers (never delivers in the caller's thread)."""
    mode = delivery_mode()
    if mode == "celery":
        from celery import current_app

        for pk in pks:
            try:
                current_app.send_task("integrations.deliver", args=[pk])
            except Exception:  # noqa: BLE001 - broker down: the beat sweep picks the message up later
                logger.warning("outbox: broker unreachable, message %s waits for the sweep", pk)
    elif mode == "thread":
        InProcessWorker.get().wake()


class InProcessWorker:
    """The embedded default's worker: one daemon thread per process that delivers what is due, woken after each
    commit that wrote messages and every `INTEGRATIONS_SWEEP_SECONDS` for retries."""

    _instance: InProcessWorker | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._event = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)
        self._thread.start()

    @classmethod
    def get(cls) -> InProcessWorker:
        with cls._lock:
            if cls._instance is None or not cls._instance._thread.is_alive():
                cls._instance = cls()
            return cls._instance

    def wake(self) -> None:
        self._event.set()

    def _run(self) -> None:
        while True:
            self._event.wait(timeout=float(_setting("INTEGRATIONS_SWEEP_SECONDS", 10)))
            self._event.clear()
            if delivery_mode() != "thread":
                return  # the settings changed (tests): this process has no in-process worker any more
            try:
                close_old_connections()
                deliver_due()
            except Exception:  # noqa: BLE001 - keep the worker alive; the next round retries
                logger.exception("outbox worker round failed")
            finally:
                connection.close()

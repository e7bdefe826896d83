"""Celery tasks of the integration platform (`celery -A dichvucong worker`, `celery -A dichvucong beat`)."""

from celery import shared_task

from . import outbox


@shared_task(name="integrations.deliver", bind=True, acks_late=True, reject_on_worker_lost=True)
def deliver(self, message_id: int) -> str:
    """Deliver one outbox message (acks late: a worker killed mid-delivery leaves the task to another one; the
    message's lease and idempotency key keep the receiver from a duplicate)."""
    outcome = outbox.deliver_message(message_id)
    if outcome == outbox.LOCKED:
        # Another worker holds it, or one died holding it: look again once the lease may have expired.
        self.apply_async(args=[message_id], countdown=max(1.0, outbox.lease_seconds() / 2))
    return outcome


@shared_task(name="integrations.deliver_due")
def deliver_due() -> int:
    """Beat: hand every due head of queue (retries, messages whose task was lost) to the workers."""
    heads = outbox.due_heads()
    outbox.dispatch(heads)
    return len(heads)


@shared_task(name="integrations.pull_national_portal")
def pull_national_portal() -> dict:
    from .inbound import national_portal_pull

    return national_portal_pull()


@shared_task(name="integrations.sync_catalog")
def sync_catalog() -> int:
    from .services import catalog_sync

    return len(catalog_sync(actor="integrations"))

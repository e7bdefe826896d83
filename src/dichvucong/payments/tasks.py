"""Background work of the payments context (Celery; eager in the embedded default).

Schedule `payments.poll_pending` every few minutes with beat, e.g.
`CELERY_BEAT_SCHEDULE = {"payments-poll": {"task": "payments.poll_pending", "schedule": 300}}`.
"""

from celery import shared_task

from .services import payment_poll_pending


@shared_task(name="payments.poll_pending")
def poll_pending_payments() -> dict[str, int]:
    """Query the platform about pending payments whose callback never came."""
    return payment_poll_pending()

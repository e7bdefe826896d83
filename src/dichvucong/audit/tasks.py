"""Background work of the audit context (Celery beat: settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .checkpoints import audit_checkpoint


@shared_task(name="audit.checkpoint")
def audit_checkpoint_task() -> int:
    """Anchor the chain's head outside the database (hourly); returns the chain's length."""
    return audit_checkpoint().length

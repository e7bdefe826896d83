"""Background work of the monitoring context (Celery beat: settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import monthly_drafts_generate


@shared_task(name="monitoring.generate_monthly_drafts")
def generate_monthly_drafts_task() -> int:
    """Each agency's draft report of the month, from the 20th (daily, early morning)."""
    return monthly_drafts_generate()

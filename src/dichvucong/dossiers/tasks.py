"""Background work of the dossiers context (schedule `dossiers.uploads_cleanup` hourly with Celery beat)."""

from celery import shared_task

from .uploads import uploads_cleanup


@shared_task(name="dossiers.uploads_cleanup")
def uploads_cleanup_task() -> int:
    """Remove expired, unused uploads and their files."""
    return uploads_cleanup()

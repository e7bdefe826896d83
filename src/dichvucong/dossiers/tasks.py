"""Background work of the dossiers context (Celery beat schedules them: settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .uploads import orphan_files_cleanup, uploads_cleanup


@shared_task(name="dossiers.uploads_cleanup")
def uploads_cleanup_task() -> int:
    """Remove expired, unused uploads and their files, then files no row names (a crash mid-upload) (hourly)."""
    return uploads_cleanup() + orphan_files_cleanup()


@shared_task(name="dossiers.flag_deadlines")
def flag_deadlines_task() -> dict[str, int]:
    """Flag dossiers due soon or overdue and notify their officers (every morning and early afternoon)."""
    from .deadline_alerts import deadlines_flag

    return deadlines_flag()

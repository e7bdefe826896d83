"""Background tasks of the workflows context."""

from celery import shared_task


@shared_task(name="workflows.activate_due_processes")
def activate_due_processes() -> int:
    """Daily: approved process versions whose `active_from` has come become active (the previous one retires)."""
    from .services import processes_activate_due

    return processes_activate_due(actor="celery")

"""Background tasks of the catalog context."""

from celery import shared_task


@shared_task(name="catalog.apply_due_versions")
def apply_due_versions() -> int:
    """Daily: decisions published in advance reach the live procedures on their effective date (idempotent)."""
    from .services import versions_apply_due

    return versions_apply_due(actor="celery")

"""Background tasks of the reorganisation context."""

from celery import shared_task


@shared_task(name="reorg.apply_due_plans")
def apply_due_plans() -> list[str]:
    """Daily: approved plans take effect on their date; a plan stopped half-way resumes (idempotent)."""
    from .services import plans_apply_due

    return plans_apply_due(actor="celery")

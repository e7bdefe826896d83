"""Any change to the decision table (services, admin, shell, fixtures) rebuilds the cached calendar."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import invalidate_calendar_cache
from .models import CalendarDecision, CalendarException


@receiver([post_save, post_delete], sender=CalendarException)
@receiver([post_save, post_delete], sender=CalendarDecision)
def _calendar_changed(sender, **kwargs) -> None:
    invalidate_calendar_cache()
    transaction.on_commit(invalidate_calendar_cache)

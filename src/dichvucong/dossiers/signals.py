"""Sent after commit whenever a dossier changes status (national portal sync, notifications, rollups listen)."""

from django.dispatch import Signal

#: kwargs: dossier, action, from_status, to_status, actor
dossier_status_changed = Signal()

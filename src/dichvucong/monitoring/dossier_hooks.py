"""Monitoring keeps its rollups current in the transaction of every dossier transition (docs/adr/0015-monitoring-rollups.md)."""

from dichvucong.dossiers.registry import LifecycleEvent, registry
from dichvucong.dossiers.state_machine import TRANSITIONS

from .rollups import refresh_dossier

#: Every history action `dossiers.services.record_event` publishes (the transitions, the counter reception, the
#: internal step and draft saves) and those other contexts add through `dossier_transition`.
EVENTS = sorted({*TRANSITIONS, "receive", "step", "save_draft"})


@registry.on(*(f"dossier.{name}" for name in EVENTS))
def keep_rollups_current(event: LifecycleEvent) -> None:
    refresh_dossier(event.dossier, created=event.created)


@registry.on("result.issued")
def count_electronic_result(event: LifecycleEvent) -> None:
    refresh_dossier(event.dossier)

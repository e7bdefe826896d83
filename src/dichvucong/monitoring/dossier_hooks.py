"""Monitoring keeps its rollups current in the transaction of every dossier transition (docs/adr/0015-monitoring-rollups.md).

`dossier.*`: every history row `dossiers.services.record_event` writes (the transitions, the counter reception, the
internal steps, draft saves, and the actions other contexts add: a reorganisation's carry-over `reorganised`, the
post's `result_back_to_desk`, ...); `result.issued` (electronic results); `payment.paid` (a payment confirmed
without a `pay` transition of the dossier). Refreshing a fact that did not change writes nothing.
"""

from dichvucong.dossiers.registry import LifecycleEvent, registry

from .rollups import refresh_dossier


@registry.on("dossier.*", "result.issued", "payment.paid")
def keep_rollups_current(event: LifecycleEvent) -> None:
    refresh_dossier(event.dossier, created=event.created)

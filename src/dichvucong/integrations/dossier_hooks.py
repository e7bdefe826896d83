"""What the integration platform adds to the dossier lifecycle (dossiers.registry, ADR 0005): every history row of a
dossier writes, in the same transaction, its outbox messages — the QCVN 120 dossier packet to the National Public
Service Portal, the applicant's notifications, the agency's webhooks — and every step of the internal process the
progress packet. A worker delivers them after the commit (docs/adr/0009-integration-outbox.md)."""

from __future__ import annotations

from dichvucong.dossiers.registry import LifecycleEvent, registry
from dichvucong.dossiers.state_machine import TRANSITIONS, national_status
from dichvucong.workflows.models import ActionKind

from . import fanout, notifications, outbox
from .models import Target
from .packets import dossier_packet, progress_packet
from .qcvn120 import DOSSIER_PACKET, PROGRESS_PACKET

#: Every history action `dossiers.services.record_event` writes (transitions, counter receipt, workflow steps).
HISTORY_ACTIONS = sorted({*TRANSITIONS, "receive", "mark_processed", "step", "save_draft"})


@registry.on(*(f"dossier.{action}" for action in HISTORY_ACTIONS))
def dossier_changed(event: LifecycleEvent) -> None:
    dossier = event.dossier
    if national_status(dossier.status) is None or not dossier.code:
        return  # drafts are never synchronised nor notified
    messages = []
    if event.action != "step":
        messages.append(
            {
                "target": Target.NATIONAL_PORTAL,
                "kind": DOSSIER_PACKET,
                "payload": dossier_packet(dossier, created=event.created),
                "dossier": dossier,
            }
        )
    # The applicant's notifications and the agency's webhooks: one fan-out message the worker resolves (preference,
    # templates, subscriptions read there, ADR 0024); then the other contexts' deferred effects (the wallet).
    messages.append(fanout.fanout_message(event, notification=notifications.EVENT_OF_ACTION.get(event.action)))
    messages += fanout.deferred_messages(event, registry.take_deferred(event))
    outbox.enqueue_many(messages)  # packet, fan-out and deferred effects in one INSERT, in this order


registry.set_deferrer(fanout.enqueue_deferred)  # deferred effects of the events the hook above does not write


@registry.on(*(f"step.{kind}" for kind in ActionKind.values))
def process_step(event: LifecycleEvent) -> None:
    dossier = event.dossier
    dossier.refresh_from_db(fields=["status", "due_at", "current_step"])
    if national_status(dossier.status) is None or not dossier.code:
        return
    step = event.data.get("step")
    unit = ""
    if step is not None:
        other = getattr(step, "other_agency", None)
        unit = other.name if other is not None else dossier.agency.name
    packet = progress_packet(
        dossier,
        actor=event.actor,
        step_name=getattr(step, "name", "") or event.action,
        unit=unit,
        note=event.note,
        title=str(step.get_role_display()) if hasattr(step, "get_role_display") else "",
    )
    outbox.enqueue(target=Target.NATIONAL_PORTAL, kind=PROGRESS_PACKET, payload=packet, dossier=dossier)

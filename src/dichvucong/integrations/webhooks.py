"""Webhooks: the systems an agency subscribes receive its dossiers' events, signed (HMAC-SHA256 over
`<timestamp>.<body>`, header `X-DVC-Signature: sha256=<hex>`), through the outbox (retried, attempts kept)."""

from __future__ import annotations

from django.utils import timezone

from dichvucong.dossiers.state_machine import national_status

from . import outbox
from .models import Target, WebhookSubscription

#: The events a subscription may choose (empty choice: all of them).
EVENTS = (
    "dossier.submit",
    "dossier.receive",
    "dossier.accept",
    "dossier.request_supplement",
    "dossier.supplement",
    "dossier.refuse",
    "dossier.withdraw",
    "dossier.start_processing",
    "dossier.request_payment",
    "dossier.pay",
    "dossier.apologize",
    "dossier.mark_processed",
    "dossier.deliver",
    "dossier.stop",
    "dossier.step",
)


def event_payload(event) -> dict:
    dossier = event.dossier
    return {
        "event": event.name,
        "dossier": dossier.code,
        "procedure": dossier.procedure.code,
        "agency": dossier.agency.code,
        "status": dossier.status,
        "national_status": national_status(dossier.status),
        "from_status": event.from_status,
        "note": event.note,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "at": timezone.now().isoformat(),
    }


def fan_out(event) -> list:
    return outbox.enqueue_many(webhook_messages(event))


def webhook_messages(event) -> list[dict]:
    """The outbox messages (`outbox.enqueue` arguments) of the agency's subscriptions that want `event`."""
    if not event.dossier.code:
        return []
    subscriptions = [s for s in WebhookSubscription.objects.filter(agency_id=event.dossier.agency_id, active=True)]
    wanted = [s for s in subscriptions if s.wants(event.name)]
    if not wanted:
        return []
    payload = event_payload(event)
    return [
        {
            "target": Target.WEBHOOK,
            "kind": event.name,
            "payload": payload,
            "dossier": event.dossier,
            "subscription": s,
            "destination": s.url,
        }
        for s in wanted
    ]

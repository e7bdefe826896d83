"""Work the outbox worker does for a dossier event instead of the request (docs/adr/0024-submission-in-twelve.md).

- **Fan-out** (`Target.FANOUT`): the transaction of a dossier's change writes one message per lifecycle event with
  what it knows in hand (the notification's template context and the webhook payload as of the change, the
  applicant's addresses); the worker reads the applicant's channel preference, the edited templates and the agency's
  webhook subscriptions at delivery and writes one message per e-mail, SMS and subscription. Their idempotency keys
  derive from the fan-out's (`<key>:email`, `<key>:sms`, `<key>:w<subscription>`): a fan-out delivered twice (lease
  expired, worker killed) writes them once. The fan-outs of a dossier are delivered in order (ordering key
  `fanout:d<id>`), so its e-mails and webhooks are written, and therefore sent, in the order of its events.
- **Deferred effects** (`Target.LOCAL`, `registry.on(..., deferred=True)`): one message per deferred handler of the
  event, in the same INSERT; the worker reads the dossier again and calls the handler (idempotent by its own
  constraint), retried like any message.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.registry import LifecycleEvent, registry

from . import notifications, outbox, webhooks
from .models import Channel, NotificationPreference, NotificationTemplate, OutboxMessage, Target, WebhookSubscription
from .transports import DeliveryError


def _addresses(dossier: Dossier) -> tuple[str, str]:
    owner = dossier.owner if dossier.owner_id else None
    email = dossier.applicant_email or (owner.email if owner else "")
    phone = dossier.applicant_phone or (getattr(owner, "phone", "") if owner else "")
    return email or "", phone or ""


def fanout_message(event: LifecycleEvent, *, notification: str | None) -> dict:
    """The fan-out message (`outbox.enqueue` arguments) of a dossier event: no query (the dossier, its procedure,
    agency and owner are in hand; a payment request's amount is read as before)."""
    dossier = event.dossier
    email, phone = _addresses(dossier) if notification else ("", "")
    context = None
    if notification and (email or phone):  # as of the change (strings: the status label is a lazy translation)
        context = {k: str(v) for k, v in notifications.dossier_context(dossier, note=event.note).items()}
    return {
        "target": Target.FANOUT,
        "kind": event.name[:60],
        "dossier": dossier,
        "payload": {
            "event": event.name,
            "notification": notification or "",
            "owner": dossier.owner_id,
            "agency": dossier.agency_id,
            "email": email,
            "phone": phone,
            "context": context,
            "webhook": webhooks.event_payload(event),
        },
    }


def deferred_messages(event: LifecycleEvent, keys: list[str]) -> list[dict]:
    actor = event.actor
    user = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return [
        {
            "target": Target.LOCAL,
            "kind": key,
            "dossier": event.dossier,
            "payload": {
                "event": event.name,
                "actor": user,
                "actor_label": "" if user else str(actor or ""),
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.note,
            },
        }
        for key in keys
    ]


def enqueue_deferred(event: LifecycleEvent, keys: list[str]) -> None:
    """The registry's deferrer: the deferred handlers of an event no outbox-writing effect took."""
    outbox.enqueue_many(deferred_messages(event, keys))


# --- delivery (the worker) ------------------------------------------------------------------------------------------


def deliver_fanout(message: OutboxMessage) -> None:
    payload = message.payload
    rows = []
    notification = payload.get("notification")
    if notification and payload.get("context") is not None:
        owner = payload.get("owner")
        pref = NotificationPreference.objects.filter(user_id=owner).first() if owner else None
        edited = {r.channel: (r.subject, r.body) for r in NotificationTemplate.objects.filter(event=notification)}
        for channel, address in ((Channel.EMAIL, payload.get("email")), (Channel.SMS, payload.get("phone"))):
            if not address or (pref is not None and not getattr(pref, channel)):
                continue
            subject, body = edited.get(channel) or notifications.DEFAULTS[(notification, channel)]
            content = {"event": notification, "body": notifications.render(body, payload["context"])}
            if channel == Channel.EMAIL:
                content["subject"] = notifications.render(subject, payload["context"]).replace("\n", " ")[:200]
            else:
                content["text"] = content.pop("body")[:459]  # 3 SMS segments
            target = Target.EMAIL if channel == Channel.EMAIL else Target.SMS
            rows.append(_child(message, target, f"notification.{notification}", content, address, None, channel))
    if message.dossier_id is not None:  # the webhook payload names the dossier (drafts are never sent)
        event = payload["event"]
        for s in WebhookSubscription.objects.filter(agency_id=payload.get("agency"), active=True):
            if s.wants(event):
                rows.append(_child(message, Target.WEBHOOK, event, payload["webhook"], s.url, s, f"w{s.pk}"))
    if not rows:
        return None
    with transaction.atomic():
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)  # a second delivery writes nothing
        keys = [r.idempotency_key for r in rows]
        transaction.on_commit(
            lambda: outbox.dispatch(
                list(OutboxMessage.objects.filter(idempotency_key__in=keys).order_by("pk").values_list("pk", flat=True))
            )
        )
    return None


def _child(parent, target, kind, payload, destination, subscription, suffix) -> OutboxMessage:
    sub = f":s{subscription.pk}" if subscription is not None else ""
    scope = f"d{parent.dossier_id}" if parent.dossier_id is not None else "global"
    return OutboxMessage(
        target=target,
        kind=kind[:60],
        payload=payload,
        dossier_id=parent.dossier_id,
        destination=(destination or "")[:500],
        subscription=subscription,
        ordering_key=f"{target}{sub}:{scope}",
        idempotency_key=f"{parent.idempotency_key}:{suffix}"[:64],
    )


def deliver_local(message: OutboxMessage) -> None:
    payload = message.payload
    dossier = Dossier.objects.filter(pk=message.dossier_id).select_related("owner", "procedure", "agency").first()
    if dossier is None:
        raise DeliveryError("hồ sơ không còn", permanent=True)
    actor = payload.get("actor")
    if actor is not None:
        actor = get_user_model().objects.filter(pk=actor).first()
    event = LifecycleEvent(
        payload["event"],
        dossier=dossier,
        actor=actor or payload.get("actor_label") or None,
        from_status=payload.get("from_status", ""),
        to_status=payload.get("to_status", ""),
        note=payload.get("note", ""),
        replayed=True,
    )
    handler = registry.deferred_handler(message.kind)
    if handler is None:
        raise DeliveryError(f"không có xử lý nội bộ «{message.kind}»", permanent=True)
    handler(event)
    return None

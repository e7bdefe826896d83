"""Writing to the audit log. Every service that changes state calls `audit_record` inside its transaction."""

import json

from django.db import models, transaction
from django.utils import timezone

from .keys import audit_keys
from .models import AuditChainHead, AuditEntry


def _normalise(value):
    """Store only JSON scalars/containers so the stored value hashes identically after a database round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before=None,
    after=None,
) -> AuditEntry:
    """Append one row (actor, action, object, time, before/after summary) chained to the previous row."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "code", None) or getattr(obj, "uuid", None) or obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    keys = audit_keys()
    head = _lock_head()
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:100],
        object_repr=object_repr[:300],
        before=_normalise(before),
        after=_normalise(after),
        prev_hash=head.last_hash,
        key_id=keys.current_id,
    )
    entry.hash = entry.compute_hash(keys.current)
    entry.save()
    AuditChainHead.objects.filter(pk=head.pk).update(last_hash=entry.hash, length=models.F("length") + 1)
    return entry

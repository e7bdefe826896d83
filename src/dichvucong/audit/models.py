"""Append-only audit log; each row carries the hash of the previous one, so editing or deleting a row breaks
the chain and `manage.py audit_verify` finds it.

The hash is an HMAC-SHA256 keyed with a secret that lives OUTSIDE the database (`AUDIT_HMAC_KEYS`, see
`audit/keys.py`): someone with write access to the database alone cannot recompute a valid chain after changing or
deleting a row (a "re-chained" log). Rows written before the key existed (`key_id` empty) carry a plain SHA-256 and
are only protected by the checkpoints (`audit/checkpoints.py`).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models


class AuditChainHead(models.Model):
    """One row: the hash of the last entry. Locked (SELECT ... FOR UPDATE) while appending, so the chain is
    linear even with concurrent writers."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    length = models.BigIntegerField(default=0)


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only")

    def delete(self):
        raise TypeError("The audit log is append-only")


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    #: Which key of `AUDIT_HMAC_KEYS` sealed this row ("" = an unkeyed row from before the keyed chain).
    key_id = models.CharField(max_length=32, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "bản ghi nhật ký"
        verbose_name_plural = "nhật ký kiểm toán"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only")

    def compute_hash(self, key: bytes | None = None) -> str:
        """The row's seal: HMAC-SHA256 with `key` (the key named by `key_id`), or SHA-256 for an unkeyed row."""
        return compute_entry_hash(
            prev_hash=self.prev_hash,
            key=key,
            payload={
                "at": self.at.isoformat(timespec="microseconds"),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "before": self.before,
                "after": self.after,
                **({"key_id": self.key_id} if self.key_id else {}),
            },
        )


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def compute_entry_hash(*, prev_hash: str, payload: dict, key: bytes | None = None) -> str:
    message = (prev_hash + "|" + canonical_json(payload)).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()

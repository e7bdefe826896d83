"""The keys of the audit chain, from the environment, never from the database.

`AUDIT_HMAC_KEYS` is a comma-separated list of `key_id:secret` pairs; the FIRST one seals new rows and signs new
checkpoints, the others still verify older rows. Rotation: put a new pair first, keep the old ones as long as rows
sealed with them exist (they are never re-sealed: the log is append-only). Secrets must be long random strings
(≥ 32 characters in production, `settings_guard.py`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class AuditKeys:
    current_id: str
    secrets: dict[str, bytes]

    def get(self, key_id: str) -> bytes | None:
        return self.secrets.get(key_id)

    @property
    def current(self) -> bytes:
        return self.secrets[self.current_id]


def parse_keys(value: str) -> AuditKeys:
    pairs = [item.strip() for item in (value or "").split(",") if item.strip()]
    secrets: dict[str, bytes] = {}
    for pair in pairs:
        key_id, _, secret = pair.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not key_id or not secret or len(key_id) > 32:
            raise ImproperlyConfigured("AUDIT_HMAC_KEYS: each entry is key_id:secret (key_id up to 32 characters)")
        secrets.setdefault(key_id, secret.encode("utf-8"))
    if not secrets:
        raise ImproperlyConfigured("AUDIT_HMAC_KEYS must hold at least one key_id:secret")
    return AuditKeys(current_id=pairs[0].partition(":")[0].strip(), secrets=secrets)


def audit_keys() -> AuditKeys:
    return parse_keys(getattr(settings, "AUDIT_HMAC_KEYS", ""))

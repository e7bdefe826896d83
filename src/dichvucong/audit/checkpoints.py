"""Anchoring the audit chain OUTSIDE the database: signed checkpoints of its head.

`audit_checkpoint()` (hourly by Celery beat, task `audit.checkpoint`; or `manage.py audit_checkpoint`) appends one line
to `AUDIT_CHECKPOINT_DIR/checkpoints.jsonl`: the chain's length, the id and hash of its last row, the time, and an
HMAC-SHA256 signature with the current audit key (`AUDIT_HMAC_KEYS`) over those and the previous line's signature
(the checkpoints form a chain of their own). Put that folder on storage the database's administrators cannot write
(another host, a write-once bucket, a log shipper): then even someone holding BOTH the database and the audit key
cannot rewrite history before the last checkpoint without `audit_verify` noticing, because the row at each
checkpoint must still carry the hash the checkpoint recorded, at the same position in the chain.
"""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .keys import AuditKeys, audit_keys
from .models import AuditChainHead, AuditEntry, canonical_json, compute_entry_hash

FILE_NAME = "checkpoints.jsonl"


@dataclass
class Checkpoint:
    at: str
    length: int
    last_id: int
    last_hash: str
    key_id: str
    prev_signature: str
    signature: str = ""

    def signed_part(self) -> dict:
        data = asdict(self)
        data.pop("signature")
        return data


def checkpoint_path() -> Path:
    return Path(getattr(settings, "AUDIT_CHECKPOINT_DIR", Path(settings.VAR_DIR) / "audit")) / FILE_NAME


def sign(checkpoint: Checkpoint, key: bytes) -> str:
    return compute_entry_hash(prev_hash="checkpoint", payload=checkpoint.signed_part(), key=key)


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    path = path or checkpoint_path()
    if not path.exists():
        return []
    checkpoints = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            checkpoints.append(Checkpoint(**json.loads(line)))
    return checkpoints


def audit_checkpoint(*, path: Path | None = None) -> Checkpoint:
    """Append a signed checkpoint of the current head (the chain's length, its last row's id and hash)."""
    path = path or checkpoint_path()
    keys = audit_keys()
    head = AuditChainHead.objects.filter(pk=1).first()
    length, last_hash = (head.length, head.last_hash) if head else (0, "0" * 64)
    last_id = AuditEntry.objects.filter(hash=last_hash).values_list("id", flat=True).first() or 0
    previous = read_checkpoints(path)
    checkpoint = Checkpoint(
        at=timezone.now().isoformat(timespec="seconds"),
        length=length,
        last_id=last_id,
        last_hash=last_hash,
        key_id=keys.current_id,
        prev_signature=previous[-1].signature if previous else "",
    )
    checkpoint.signature = sign(checkpoint, keys.current)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(canonical_json(asdict(checkpoint)) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def checkpoint_signature_problems(checkpoints: list[Checkpoint], keys: AuditKeys) -> list[str]:
    problems, previous = [], ""
    for number, checkpoint in enumerate(checkpoints, start=1):
        key = keys.get(checkpoint.key_id)
        if key is None:
            problems.append(f"mốc kiểm tra số {number}: khóa «{checkpoint.key_id}» không có trong AUDIT_HMAC_KEYS")
        elif sign(checkpoint, key) != checkpoint.signature:
            problems.append(f"mốc kiểm tra số {number}: chữ ký không hợp lệ (tệp mốc đã bị sửa)")
        if checkpoint.prev_signature != previous:
            problems.append(f"mốc kiểm tra số {number}: không nối tiếp mốc trước (mốc bị xoá hoặc chèn)")
        previous = checkpoint.signature
    return problems

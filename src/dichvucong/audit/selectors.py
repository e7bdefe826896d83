"""Reading and verifying the audit chain (and its checkpoints outside the database, audit/checkpoints.py)."""

from dataclasses import dataclass

from .checkpoints import checkpoint_path, checkpoint_signature_problems, read_checkpoints
from .keys import audit_keys
from .models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    reason: str


def audit_chain_verify(*, batch_size: int = 2000, checkpoints_file=None) -> list[ChainProblem]:
    """Recompute every seal in order (HMAC with the row's key, SHA-256 for rows from before the keyed chain);
    report rows whose content, link or key no longer matches; then hold the chain to the signed checkpoints."""
    keys = audit_keys()
    checkpoints = read_checkpoints(checkpoints_file or checkpoint_path())
    problems = [ChainProblem(0, reason) for reason in checkpoint_signature_problems(checkpoints, keys)]
    by_id = {checkpoint.last_id: checkpoint for checkpoint in checkpoints if checkpoint.last_id}
    matched: set[int] = set()
    expected_prev = "0" * 64
    count = 0
    last_id = 0
    keyed_seen = False
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            count += 1
            if entry.prev_hash != expected_prev:
                problems.append(ChainProblem(entry.id, "liên kết tới bản ghi trước bị sai (bản ghi bị xoá hoặc chèn)"))
            if entry.key_id:
                keyed_seen = True
                key = keys.get(entry.key_id)
                if key is None:
                    problems.append(ChainProblem(entry.id, f"khóa «{entry.key_id}» không có trong AUDIT_HMAC_KEYS"))
                elif entry.compute_hash(key) != entry.hash:
                    problems.append(
                        ChainProblem(entry.id, "nội dung bản ghi đã bị sửa (hoặc chuỗi bị tính lại không có khóa)")
                    )
            elif keyed_seen:
                problems.append(
                    ChainProblem(entry.id, "bản ghi không có khóa nằm sau bản ghi có khóa (chuỗi bị tính lại)")
                )
            elif entry.compute_hash() != entry.hash:
                problems.append(ChainProblem(entry.id, "nội dung bản ghi đã bị sửa"))
            checkpoint = by_id.get(entry.id)
            if checkpoint is not None:
                matched.add(entry.id)
                if checkpoint.last_hash != entry.hash or checkpoint.length != count:
                    problems.append(
                        ChainProblem(entry.id, "không khớp mốc kiểm tra ngoài cơ sở dữ liệu (lịch sử đã bị viết lại)")
                    )
            expected_prev = entry.hash
            last_id = entry.id
    for checkpoint in checkpoints:
        if checkpoint.last_id and checkpoint.last_id not in matched:
            problems.append(ChainProblem(checkpoint.last_id, "bản ghi tại mốc kiểm tra không còn (bản ghi bị xoá)"))
    if checkpoints and count < checkpoints[-1].length:
        problems.append(ChainProblem(last_id, "chuỗi ngắn hơn mốc kiểm tra gần nhất (bản ghi cuối bị xoá)"))
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != expected_prev or head.length != count):
        problems.append(ChainProblem(last_id, "bản ghi cuối chuỗi bị xoá hoặc đầu chuỗi không khớp"))
    return problems

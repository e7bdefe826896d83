"""Reading and verifying the audit chain."""

from dataclasses import dataclass

from .models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    reason: str


def audit_chain_verify(*, batch_size: int = 2000) -> list[ChainProblem]:
    """Recompute every hash in order; report rows whose content or link no longer matches."""
    problems: list[ChainProblem] = []
    expected_prev = "0" * 64
    count = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            count += 1
            if entry.prev_hash != expected_prev:
                problems.append(ChainProblem(entry.id, "liên kết tới bản ghi trước bị sai (bản ghi bị xoá hoặc chèn)"))
            if entry.compute_hash() != entry.hash:
                problems.append(ChainProblem(entry.id, "nội dung bản ghi đã bị sửa"))
            expected_prev = entry.hash
            last_id = entry.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != expected_prev or head.length != count):
        problems.append(ChainProblem(last_id, "bản ghi cuối chuỗi bị xoá hoặc đầu chuỗi không khớp"))
    return problems

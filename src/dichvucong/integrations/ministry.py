"""Ministry transfer through a generic JSON adapter: a handling officer sends a processing dossier (its current
step) to a ministry's system (`MINISTRY_SYSTEMS`), through the outbox (`POST <url>/transfers`, HMAC-signed); the
ministry answers at `POST /api/v1/integrations/ministry/<system>/results/` (signed with the same secret) and the
dossier's current step says so."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_any_role
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services import dossier_set_current_step
from dichvucong.dossiers.state_machine import Status

from . import outbox
from .models import MinistryTransfer, Target, TransferStatus

OUTCOMES = {"approved": "chấp thuận", "rejected": "không chấp thuận", "returned": "trả lại, yêu cầu làm rõ"}
HANDLERS = (Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER)


def system_config(code: str) -> dict:
    system = settings.MINISTRY_SYSTEMS.get(code)
    if not system:
        raise NotFoundError("Hệ thống bộ, ngành không được cấu hình.", code="unknown_ministry_system")
    return system


@transaction.atomic
def ministry_transfer(*, actor, dossier: Dossier, system: str, note: str = "") -> MinistryTransfer:
    config = system_config(system)
    if not user_has_any_role(actor, HANDLERS, agency=dossier.agency):
        raise PermissionDeniedError("Chỉ cán bộ xử lý của cơ quan mới chuyển hồ sơ.", code="permission_denied")
    if dossier.status != Status.PROCESSING:
        raise ConflictError("Chỉ hồ sơ đang xử lý mới chuyển được sang bộ, ngành.", code="invalid_transition")
    name = config.get("name") or system
    transfer = MinistryTransfer.objects.create(
        dossier=dossier, system=system, system_name=name, note=note[:2000], sent_by=actor
    )
    base = getattr(settings, "PUBLIC_BASE_URL", "") or settings.PAYMENT_PUBLIC_BASE_URL
    outbox.enqueue(
        target=Target.MINISTRY,
        kind="ministry.transfer",
        dossier=dossier,
        destination=system,
        payload={
            "transfer_id": str(transfer.uuid),
            "dossier": dossier.code,
            "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
            "agency": {"code": dossier.agency.code, "name": dossier.agency.name},
            "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number},
            "step": dossier.current_step,
            "note": note,
            "callback_url": f"{base.rstrip('/')}/api/v1/integrations/ministry/{system}/results/",
        },
    )
    dossier_set_current_step(actor=actor, dossier=dossier, step=f"Chờ kết quả từ {name}", note=note)
    audit_record(actor=actor, action="ministry_transfer.send", obj=transfer, after={"system": system})
    return transfer


@transaction.atomic
def ministry_result(*, system: str, transfer_id: str, outcome: str, note: str = "") -> MinistryTransfer:
    system_config(system)
    if outcome not in OUTCOMES:
        raise ValidationFailed("Kết quả không hợp lệ.", code="invalid_outcome", fields={"outcome": list(OUTCOMES)})
    transfer = (
        MinistryTransfer.objects.select_for_update().filter(uuid=transfer_id, system=system).first()
        if _is_uuid(transfer_id)
        else None
    )
    if transfer is None:
        raise NotFoundError("Không tìm thấy yêu cầu chuyển hồ sơ.", code="transfer_not_found")
    if transfer.status == TransferStatus.ANSWERED:
        if transfer.outcome == outcome:
            return transfer  # the ministry's retry of the same answer
        raise ConflictError("Yêu cầu này đã có kết quả khác.", code="already_answered")
    transfer.status, transfer.outcome = TransferStatus.ANSWERED, outcome
    transfer.result_note, transfer.answered_at = note[:2000], timezone.now()
    transfer.save()
    dossier = transfer.dossier
    if dossier.status == Status.PROCESSING:
        dossier_set_current_step(
            actor=f"ministry:{system}",
            dossier=dossier,
            step=f"Đã có kết quả từ {transfer.system_name}: {OUTCOMES[outcome]}",
            note=note,
        )
    audit_record(
        actor=f"ministry:{system}", action="ministry_transfer.result", obj=transfer, after={"outcome": outcome}
    )
    return transfer


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True

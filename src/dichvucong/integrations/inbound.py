"""Dossiers submitted on the National Public Service Portal, brought into the one-stop system.

Two ways in: the pull (`national_portal_pull`, beat every minute: `LayDanhSachHoSo` from the stored cursor) and the
push (`POST /api/v1/integrations/national-portal/dossiers/`, HMAC-signed by the platform). Both call
`inbound_import`, which either imports the dossier completely or records why not, nothing in between:

1. the packet is checked against the `HoSoDVCQG` field list (`malformed`);
2. a national code already imported is refused (`duplicate_national_code`);
3. every file is fetched from the portal and sniffed like an upload (`attachment_rejected`, `attachment_unreachable`)
   before anything is written;
4. the applicant is matched by CCCD to a citizen account (one is opened for a CCCD the system has not seen: the
   portal authenticated that citizen with VNeID);
5. the dossier is created through `dossiers.submission.dossier_create` as an online submission of that citizen
   (unknown procedure or agency, procedure not offered online there, invalid form: the submission's own refusal);
   from there it follows the normal process, and its updates flow back to the portal under its national code.
"""

from __future__ import annotations

import json
import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from dichvucong.accounts.models import User, UserKind
from dichvucong.accounts.services import user_register_citizen
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import DomainError
from dichvucong.dossiers.state_machine import Origin
from dichvucong.dossiers.submission import dossier_create
from dichvucong.dossiers.uploads import check_upload_file, upload_create

from . import qcvn120
from .models import InboundDossier, InboundStatus, OutboxMessage, SyncCursor, Target

logger = logging.getLogger(__name__)

PULL_CURSOR = "national_portal.pull"
MAX_STORED_PAYLOAD = 20_000


class Rejected(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _stored(payload) -> dict:
    """What is kept of a refused packet (bounded: a forged push must not fill the database)."""
    if not isinstance(payload, dict):
        return {"raw": str(payload)[:2000]}
    text = json.dumps(payload, ensure_ascii=False)
    return payload if len(text) <= MAX_STORED_PAYLOAD else {"truncated": text[:MAX_STORED_PAYLOAD]}


def inbound_reject(*, national_code: str, source: str, code: str, reason: str, payload) -> InboundDossier:
    row = InboundDossier.objects.create(
        national_code=str(national_code or "")[:60].replace("\x00", ""),
        source=source,
        status=InboundStatus.REJECTED,
        reason_code=code,
        reason=reason[:4000].replace("\x00", ""),
        payload=_stored(payload),
    )
    audit_record(actor="national_portal", action="inbound.reject", obj=row, after={"code": code, "reason": reason})
    return row


def _fetch(url: str) -> bytes:
    base = settings.NATIONAL_PORTAL_URL.rstrip("/")
    if not url.startswith(base + "/"):
        raise Rejected("attachment_unreachable", f"Tệp không nằm trên Cổng DVCQG: {url[:200]}")
    request = urllib.request.Request(  # noqa: S310 - the portal's own address, checked above
        url, headers={"Authorization": f"Bearer {settings.NATIONAL_PORTAL_TOKEN}"}
    )
    limit = settings.NATIONAL_PORTAL_MAX_FILE_BYTES
    try:
        with urllib.request.urlopen(request, timeout=settings.INTEGRATIONS_TIMEOUT_SECONDS) as response:  # noqa: S310
            content = response.read(limit + 1)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise Rejected("attachment_unreachable", f"Không tải được tệp {url[:200]}: {exc}") from None
    if len(content) > limit:
        raise Rejected("attachment_rejected", f"Tệp {url[:200]} vượt quá {limit // (1024 * 1024)} MB.")
    return content


def _files(packet: dict) -> list[ContentFile]:
    files = []
    for entry in packet["TepDinhKem"]:
        content = ContentFile(_fetch(entry["DuongDan"]), name=entry["TenTep"])
        try:
            check_upload_file(content)
        except DomainError as exc:
            raise Rejected("attachment_rejected", f"Tệp «{entry['TenTep']}»: {exc.detail}") from None
        content.seek(0)
        files.append(content)
    return files


def _citizen(packet: dict) -> User:
    number = packet["SoCCCD"].strip()
    user = User.objects.filter(id_number=number).first()
    if user is not None:
        if user.kind == UserKind.STAFF or not user.is_active:
            raise Rejected("applicant_not_citizen", "Số CCCD thuộc một tài khoản không phải công dân.")
        return user
    return user_register_citizen(
        actor="national_portal",
        username=f"vneid-{number}",
        password=secrets.token_urlsafe(24),
        full_name=packet["ChuHoSo"],
        id_number=number,
        phone=packet.get("SoDienThoai") or "",
        email=packet.get("Email") or "",
        address=packet.get("DiaChi") or "",
        skip_password_validation=True,
    )


def inbound_import(packet, *, source: str) -> InboundDossier:
    """Import one dossier of the portal, or record why it was refused (see the module docstring)."""
    national_code = packet.get("MaHoSoQG", "") if isinstance(packet, dict) else ""
    try:
        errors = qcvn120.validate(qcvn120.INBOUND_DOSSIER, packet)
        if errors:
            raise Rejected("malformed", "Gói tin hồ sơ không hợp lệ: " + "; ".join(errors))
        if InboundDossier.objects.filter(national_code=national_code, status=InboundStatus.IMPORTED).exists():
            raise Rejected("duplicate_national_code", f"Hồ sơ {national_code} đã được tiếp nhận trước đó.")
        files = _files(packet)
        return _import(packet, files=files, source=source)
    except Rejected as exc:
        return inbound_reject(
            national_code=national_code, source=source, code=exc.code, reason=exc.reason, payload=packet
        )
    except DomainError as exc:
        reason = exc.detail + (f" ({json.dumps(exc.fields, ensure_ascii=False)})" if exc.fields else "")
        return inbound_reject(national_code=national_code, source=source, code=exc.code, reason=reason, payload=packet)
    except IntegrityError:
        return inbound_reject(
            national_code=national_code,
            source=source,
            code="duplicate_national_code",
            reason=f"Hồ sơ {national_code} đã được tiếp nhận trước đó.",
            payload=packet,
        )


@transaction.atomic
def _import(packet: dict, *, files: list[ContentFile], source: str) -> InboundDossier:
    citizen = _citizen(packet)
    uploads = [upload_create(actor=citizen, file=f) for f in files]
    dossier = dossier_create(
        actor=citizen,
        procedure_code=packet["MaTTHC"],
        agency_code=packet["MaCoQuan"],
        applicant={
            "full_name": packet["ChuHoSo"],
            "id_number": packet["SoCCCD"],
            "phone": packet.get("SoDienThoai") or "",
            "email": packet.get("Email") or "",
            "address": packet.get("DiaChi") or "",
        },
        form_data=packet.get("DuLieuBieuMau") or {},
        attachments=[{"upload": str(u.uuid)} for u in uploads],
        channel="online",
        origin=Origin.NATIONAL_PORTAL,
        summary=packet.get("TrichYeuHoSo") or "",
        idempotency_key=f"dvcqg:{packet['MaHoSoQG']}",
    ).dossier
    row = InboundDossier.objects.create(
        national_code=packet["MaHoSoQG"],
        source=source,
        status=InboundStatus.IMPORTED,
        payload=_stored(packet),
        dossier=dossier,
    )
    # The dossier's first packet (written by its submission, in this transaction) goes back under the national code.
    for message in OutboxMessage.objects.filter(dossier=dossier, target=Target.NATIONAL_PORTAL):
        message.payload["MaHoSo"] = packet["MaHoSoQG"]
        message.save(update_fields=["payload"])
    audit_record(actor="national_portal", action="inbound.import", obj=row, after={"dossier": dossier.code})
    return row


def national_portal_pull(*, limit: int = 50, pages: int = 20) -> dict[str, int]:
    """Pull the dossiers submitted on the portal since the stored cursor (the cursor advances page by page)."""
    counts = {"imported": 0, "rejected": 0}
    cursor, _ = SyncCursor.objects.get_or_create(name=PULL_CURSOR, defaults={"value": "0"})
    position = cursor.value or "0"
    for _ in range(pages):
        url = f"{settings.NATIONAL_PORTAL_URL.rstrip('/')}/api/qcvn120/LayDanhSachHoSo?cursor={position}&limit={limit}"
        request = urllib.request.Request(  # noqa: S310 - settings
            url, headers={"Authorization": f"Bearer {settings.NATIONAL_PORTAL_TOKEN}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.INTEGRATIONS_TIMEOUT_SECONDS) as response:  # noqa: S310
                page = json.loads(response.read())
        except (urllib.error.URLError, OSError, TimeoutError, ValueError) as exc:
            logger.warning("national portal pull failed: %s", exc)
            counts["error"] = 1
            break
        for item in page.get("items", []):
            row = inbound_import(item, source="pull")
            counts[row.status] += 1
        next_position = str(page.get("next_cursor", position))
        SyncCursor.objects.filter(pk=cursor.pk).update(value=next_position)
        if next_position == position or not page.get("items"):
            break
        position = next_position
    return counts

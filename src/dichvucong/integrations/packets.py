"""QCVN 120 packets built from our dossiers (what `dossier_hooks` writes to the outbox), and the catalogue packet."""

from __future__ import annotations

from django.utils import timezone

from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import NATIONAL_CHANNEL, national_status
from dichvucong.payments.models import FeeAssessment
from dichvucong.results.models import ElectronicResult, ResultStatus

from .models import InboundDossier, InboundStatus
from .qcvn120 import format_time

CITIZEN, ORGANISATION = 1, 2


def national_code(dossier: Dossier) -> str:
    """The code the portal knows the dossier by: its own for a dossier submitted there, else ours."""
    code = (
        InboundDossier.objects.filter(dossier=dossier, status=InboundStatus.IMPORTED)
        .values_list("national_code", flat=True)
        .first()
    )
    return code or dossier.code or ""


def dossier_packet(dossier: Dossier, *, created: bool = False) -> dict:
    """`DongBoHoSoMC`: the whole dossier as it is now (a full snapshot, so a later packet supersedes an earlier).

    `created`: the dossier was created in this transaction (submission, counter reception): it has no fee, no
    supplement request, no result and was not imported from the portal, so none of them is read."""
    procedure = dossier.procedure
    organisation = dossier.applicant_kind not in ("", "citizen")
    files = [
        {"TepDinhKemId": str(a.uuid), "TenTepDinhKem": a.original_name[:255], "DuongDanTaiTepTin": ""}
        for a in dossier.attachments.all()
    ]
    fees = []
    assessment = (
        None
        if created
        else FeeAssessment.objects.filter(dossier=dossier).prefetch_related("lines").order_by("-id").first()
    )
    if assessment is not None:
        fees = [
            {
                "TenPhiLePhi": line.name[:300],
                "MaPhiLePhi": str(line.fee_rule_id or ""),
                "HinhThucThu": 2 if dossier.channel == "online" else 1,
                "Gia": int(line.amount),
                "LoaiPhiLePhi": 2 if "lệ phí" in line.name.lower() else 1,
            }
            for line in assessment.lines.all()
        ]
    supplements = [
        {
            "MaHoSoBoSung": str(s.uuid),
            "NgayYeuCau": format_time(s.requested_at),
            "NoiDungBoSung": ("; ".join(str(i) for i in s.items) or s.note or "Bổ sung hồ sơ")[:2000],
            "NgayBoSung": format_time(s.supplemented_at),
        }
        for s in ([] if created else dossier.supplement_requests.all())
    ]
    results = [
        {"TenGiayTo": r.title[:300], "MaGiayToKetQua": r.number, "DuongDanTepTinKetQua": ""}
        for r in ([] if created else ElectronicResult.objects.filter(dossier=dossier, status=ResultStatus.ISSUED))
    ]
    return {
        "MaHoSo": (dossier.code or "") if created else national_code(dossier),
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name[:500],
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name[:300],
        "ChuHoSo": (dossier.applicant_organisation if organisation and dossier.applicant_organisation else None)
        or dossier.applicant_name,
        "LoaiDoiTuong": ORGANISATION if organisation else CITIZEN,
        "MaDoiTuong": (dossier.applicant_tax_code if organisation else dossier.applicant_id_number) or "",
        "SoDienThoai": dossier.applicant_phone or "",
        "Email": dossier.applicant_email or "",
        "TrichYeuHoSo": (dossier.summary or procedure.name)[:500],
        "NgayTiepNhan": format_time(dossier.accepted_at or dossier.received_at or dossier.submitted_at),
        "NgayHenTra": format_time(dossier.due_at),
        "TrangThaiHoSo": national_status(dossier.status),
        "NgayTra": format_time(dossier.returned_at),
        "HinhThuc": NATIONAL_CHANNEL[dossier.channel],
        "NgayKetThucXuLy": format_time(dossier.finished_at),
        "DonViXuLy": dossier.agency.name[:300],
        "TaiLieuNop": files,
        "DanhSachLePhi": fees,
        "DanhSachHoSoBoSung": supplements,
        "DanhSachGiayToKetQua": results,
    }


def progress_packet(dossier: Dossier, *, actor, step_name: str, unit: str, note: str, title: str = "") -> dict:
    """`CapNhatTienDoHoSoMC`: one step of the internal process."""
    now = timezone.now()
    return {
        "MaHoSo": national_code(dossier),
        "NguoiXuLy": (getattr(actor, "display_name", "") or str(actor or "Hệ thống"))[:200],
        "ChucDanh": title[:200],
        "ThoiDiemXuLy": format_time(now),
        "PhongBanXuLy": (unit or dossier.agency.name)[:300],
        "NoiDungXuLy": (f"{step_name}: {note}" if note else step_name)[:2000] or "Xử lý hồ sơ",
        "TrangThai": national_status(dossier.status),
        "NgayBatDau": format_time(now),
        "NgayKetThucTheoQuyDinh": format_time(dossier.due_at),
    }


def catalog_packet(procedure, agencies) -> dict:
    """`DongBoTTHC`: a procedure's online level (levels 3/4 ↔ một phần/toàn trình) and the agencies offering it."""
    return {
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name[:500],
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name[:300],
        "MucDo": int(procedure.online_level),
        "ToanTrinh": int(procedure.online_level) >= 4,
        "CoQuanThucHien": [{"MaCoQuan": a.code, "TenCoQuan": a.name} for a in agencies],
    }

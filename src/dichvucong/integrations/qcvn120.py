"""The QCVN 120:2019/BTTTT packets exchanged with the National Public Service Portal (Cổng DVCQG): field lists and
validation, standard library only, so the portal's simulator and our client read the same list.

Field lists: ../shared/design/MISSION.md ("National status codes"): the dossier packet `DongBoHoSoMC`, the progress
packet `CapNhatTienDoHoSoMC`; dates `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh. The catalogue packet `DongBoTTHC` carries a
procedure's code, name, field and online level (NĐ 43/2011 levels 2-4 and the NĐ 42/2022 mode). The inbound dossier
(`HoSoDVCQG`) is what the portal offers to the one-stop system: its national code, procedure, receiving agency,
applicant and files.
"""

from __future__ import annotations

import datetime
import re

VN_TZ = datetime.timezone(datetime.timedelta(hours=7))
DATE_FORMAT = "%Y%m%d%H%M%S"
_DATE = re.compile(r"^\d{14}$")

DOSSIER_PACKET = "DongBoHoSoMC"
PROGRESS_PACKET = "CapNhatTienDoHoSoMC"
CATALOG_PACKET = "DongBoTTHC"
INBOUND_DOSSIER = "HoSoDVCQG"

STR, INT, DATE, LIST, DICT, BOOL = "str", "int", "date", "list", "dict", "bool"


def field(kind: str, *, required: bool = True, choices=None, max_length: int | None = None, item=None):
    return {"kind": kind, "required": required, "choices": choices, "max_length": max_length, "item": item}


NATIONAL_STATUSES = tuple(range(1, 11))
CHANNELS = (1, 2, 3)

_FILE_ITEM = {
    "TepDinhKemId": field(STR),
    "TenTepDinhKem": field(STR, max_length=255),
    "DuongDanTaiTepTin": field(STR, required=False),
}
_FEE_ITEM = {
    "TenPhiLePhi": field(STR),
    "MaPhiLePhi": field(STR, required=False),
    "HinhThucThu": field(INT, choices=(1, 2)),  # 1 trực tiếp, 2 trực tuyến
    "Gia": field(INT),
    "LoaiPhiLePhi": field(INT, choices=(1, 2)),  # 1 phí, 2 lệ phí
}
_SUPPLEMENT_ITEM = {
    "MaHoSoBoSung": field(STR),
    "NgayYeuCau": field(DATE),
    "NoiDungBoSung": field(STR),
    "NgayBoSung": field(DATE, required=False),
}
_RESULT_ITEM = {
    "TenGiayTo": field(STR),
    "MaGiayToKetQua": field(STR),
    "DuongDanTepTinKetQua": field(STR, required=False),
}

FIELDS: dict[str, dict[str, dict]] = {
    DOSSIER_PACKET: {
        "MaHoSo": field(STR, max_length=40),
        "MaTTHC": field(STR, max_length=30),
        "TenTTHC": field(STR, max_length=500),
        "MaLinhVuc": field(STR, max_length=30),
        "TenLinhVuc": field(STR, max_length=300),
        "ChuHoSo": field(STR, max_length=300),
        "LoaiDoiTuong": field(INT, choices=(1, 2)),  # 1 công dân, 2 tổ chức, doanh nghiệp
        "MaDoiTuong": field(STR, required=False, max_length=14),
        "SoDienThoai": field(STR, required=False, max_length=20),
        "Email": field(STR, required=False, max_length=254),
        "TrichYeuHoSo": field(STR, max_length=500),
        "NgayTiepNhan": field(DATE),
        "NgayHenTra": field(DATE, required=False),
        "TrangThaiHoSo": field(INT, choices=NATIONAL_STATUSES),
        "NgayTra": field(DATE, required=False),
        "HinhThuc": field(INT, choices=CHANNELS),
        "NgayKetThucXuLy": field(DATE, required=False),
        "DonViXuLy": field(STR, max_length=300),
        "TaiLieuNop": field(LIST, item=_FILE_ITEM),
        "DanhSachLePhi": field(LIST, item=_FEE_ITEM),
        "DanhSachHoSoBoSung": field(LIST, item=_SUPPLEMENT_ITEM),
        "DanhSachGiayToKetQua": field(LIST, item=_RESULT_ITEM),
    },
    PROGRESS_PACKET: {
        "MaHoSo": field(STR, max_length=40),
        "NguoiXuLy": field(STR, max_length=200),
        "ChucDanh": field(STR, required=False, max_length=200),
        "ThoiDiemXuLy": field(DATE),
        "PhongBanXuLy": field(STR, max_length=300),
        "NoiDungXuLy": field(STR, max_length=2000),
        "TrangThai": field(INT, choices=NATIONAL_STATUSES),
        "NgayBatDau": field(DATE),
        "NgayKetThucTheoQuyDinh": field(DATE, required=False),
    },
    CATALOG_PACKET: {
        "MaTTHC": field(STR, max_length=30),
        "TenTTHC": field(STR, max_length=500),
        "MaLinhVuc": field(STR, max_length=30),
        "TenLinhVuc": field(STR, max_length=300),
        "MucDo": field(INT, choices=(1, 2, 3, 4)),
        "ToanTrinh": field(BOOL),
        "CoQuanThucHien": field(LIST, item={"MaCoQuan": field(STR), "TenCoQuan": field(STR)}),
    },
    INBOUND_DOSSIER: {
        "MaHoSoQG": field(STR, max_length=40),
        "MaTTHC": field(STR, max_length=30),
        "MaCoQuan": field(STR, max_length=20),
        "ChuHoSo": field(STR, max_length=200),
        "SoCCCD": field(STR, max_length=12),
        "SoDienThoai": field(STR, required=False, max_length=20),
        "Email": field(STR, required=False, max_length=254),
        "DiaChi": field(STR, required=False, max_length=300),
        "TrichYeuHoSo": field(STR, required=False, max_length=500),
        "NgayNop": field(DATE),
        "DuLieuBieuMau": field(DICT, required=False),
        "TepDinhKem": field(
            LIST,
            item={
                "TenTep": field(STR, max_length=255),
                "DuongDan": field(STR, max_length=1000),
                "MaThanhPhan": field(STR, required=False),
            },
        ),
    },
}


def format_time(value: datetime.datetime | datetime.date | None) -> str:
    """`yyyyMMddHHmmss` in Asia/Ho_Chi_Minh ("" for None); a date is its midnight."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=VN_TZ)
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_time(text: str) -> datetime.datetime:
    if not _DATE.match(text or ""):
        raise ValueError(f"not yyyyMMddHHmmss: {text!r}")
    return datetime.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN_TZ)


def _check(value, spec: dict, path: str, errors: list[str]) -> None:
    kind = spec["kind"]
    if value is None or value == "":
        if spec["required"] and kind not in (LIST, DICT):
            errors.append(f"{path}: bắt buộc")
        if value is None and kind in (LIST,) and spec["required"]:
            errors.append(f"{path}: bắt buộc (danh sách, có thể rỗng)")
        return
    if kind == STR:
        if not isinstance(value, str):
            errors.append(f"{path}: phải là chuỗi")
        elif "\x00" in value:
            errors.append(f"{path}: chứa ký tự NUL")
        elif spec["max_length"] and len(value) > spec["max_length"]:
            errors.append(f"{path}: dài quá {spec['max_length']} ký tự")
    elif kind == INT:
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: phải là số nguyên")
        elif spec["choices"] and value not in spec["choices"]:
            errors.append(f"{path}: giá trị {value} không thuộc {list(spec['choices'])}")
    elif kind == BOOL:
        if not isinstance(value, bool):
            errors.append(f"{path}: phải là true/false")
    elif kind == DATE:
        try:
            parse_time(value if isinstance(value, str) else "")
        except ValueError:
            errors.append(f"{path}: ngày giờ phải theo định dạng yyyyMMddHHmmss")
    elif kind == DICT:
        if not isinstance(value, dict):
            errors.append(f"{path}: phải là đối tượng")
    elif kind == LIST:
        if not isinstance(value, list):
            errors.append(f"{path}: phải là danh sách")
            return
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                errors.append(f"{path}[{index}]: phải là đối tượng")
                continue
            _check_fields(item, spec["item"], f"{path}[{index}]", errors)


def _check_fields(data: dict, fields: dict, prefix: str, errors: list[str]) -> None:
    for name, spec in fields.items():
        _check(data.get(name), spec, f"{prefix}.{name}" if prefix else name, errors)
    unknown = sorted(set(data) - set(fields))
    for name in unknown:
        errors.append(f"{prefix + '.' if prefix else ''}{name}: trường không có trong danh mục trường của gói tin")


def validate(packet_type: str, data) -> list[str]:
    """The reasons `data` is not a valid `packet_type` packet (empty: valid)."""
    fields = FIELDS.get(packet_type)
    if fields is None:
        return [f"loại gói tin không hỗ trợ: {packet_type}"]
    if not isinstance(data, dict):
        return ["gói tin phải là một đối tượng JSON"]
    errors: list[str] = []
    _check_fields(data, fields, "", errors)
    return errors

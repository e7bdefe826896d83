"""Plain data for the forms of Circular 01/2018/TT-VPCP: the renderers know nothing of the dossier model.

Times are aware datetimes (printed in Asia/Ho_Chi_Minh) or dates. `lookup_url` is what the QR code and the printed
link point at; leave it empty to use the site-relative `/tra-cuu/?code=<code>` (pass an absolute URL built with
`lookup_url(code, base_url=...)` so that a phone can open it).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

LOOKUP_PATH = "/tra-cuu/"


def lookup_url(code: str, *, base_url: str = "") -> str:
    """The public lookup address of a dossier, e.g. https://dichvucong.hungyen.gov.vn/tra-cuu/?code=000.00.04.H31-..."""
    return f"{base_url.rstrip('/')}{LOOKUP_PATH}?{urlencode({'code': code})}"


@dataclass(frozen=True)
class DocumentLine:
    """One document received (Mẫu 01 "Thành phần hồ sơ"): numbers of originals and copies."""

    name: str
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True, kw_only=True)
class FormBase:
    """What every form carries: the dossier, the applicant, the issuing agency, the header and the QR target."""

    code: str
    applicant_name: str
    agency_name: str  # e.g. "Bộ phận Tiếp nhận và Trả kết quả - Sở Tư pháp" or the agency itself
    parent_agency_name: str = ""  # cơ quan chủ quản, printed above the agency name
    procedure_name: str = ""
    applicant_id: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    place: str = "Hưng Yên"  # địa danh of the date line
    issued_at: datetime.date | datetime.datetime | None = None  # defaults to today
    number: str = ""  # "Số: ..." of the form, if the agency numbers them
    lookup_url: str = ""

    def qr_target(self) -> str:
        return self.lookup_url or lookup_url(self.code)


@dataclass(frozen=True, kw_only=True)
class ReceiptData(FormBase):
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (two copies: kept at the desk, given to the applicant)."""

    documents: list[DocumentLine] = field(default_factory=list)
    sets: int = 1
    processing_days: Decimal | int = 0
    processing_time: str = ""  # the catalogue's wording ("4 giờ làm việc", "Trong ngày"); default: N ngày làm việc
    received_at: datetime.datetime | None = None
    due_at: datetime.date | datetime.datetime | None = None
    collect_at: str = ""  # where the result is collected ("Bộ phận Một cửa ..." or "qua dịch vụ bưu chính")
    book_number: str = ""  # "Quyển số ..., số thứ tự ..." of the tracking book (Mẫu 06)
    officer_name: str = ""


@dataclass(frozen=True, kw_only=True)
class SupplementRequestData(FormBase):
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    received_at: datetime.datetime | None = None
    items: list[str] = field(default_factory=list)
    reason: str = ""
    officer_name: str = ""
    officer_phone: str = ""


@dataclass(frozen=True, kw_only=True)
class RefusalData(FormBase):
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    reason: str
    officer_name: str = ""


@dataclass(frozen=True, kw_only=True)
class ApologyData(FormBase):
    """Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (issued at most once, before the deadline)."""

    received_at: datetime.datetime | None = None
    due_at: datetime.date | datetime.datetime | None = None
    reason: str
    new_due_at: datetime.date | datetime.datetime
    signer_name: str = ""
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"


@dataclass(frozen=True)
class HandOver:
    """One row of Mẫu 05: a hand-over of the dossier between agencies/units."""

    agency: str
    at: datetime.datetime
    giver: str
    receiver: str
    result: str = ""  # "early" | "on_time" | "late" (workdays.deadlines.timeliness) or free text
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ControlSlipData(FormBase):
    """Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    receipt_number: str = ""  # the Mẫu 01 it is attached to (defaults to the dossier code)
    handling_agency: str = ""
    coordinating_agencies: str = ""
    hand_overs: list[HandOver] = field(default_factory=list)


@dataclass(frozen=True)
class TrackingBookRow:
    """One dossier in the tracking book (Mẫu 06)."""

    code: str
    procedure_name: str
    applicant_name: str
    received_at: datetime.datetime
    due_at: datetime.date | datetime.datetime | None = None
    sets: int = 1
    applicant_address: str = ""
    applicant_phone: str = ""
    handling_agency: str = ""
    forwarded_at: datetime.datetime | None = None
    result_received_at: datetime.datetime | None = None
    returned_at: datetime.datetime | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class TrackingBookData:
    """Mẫu 06: Sổ theo dõi hồ sơ of one agency over a period."""

    agency_name: str
    period_start: datetime.date
    period_end: datetime.date
    rows: list[TrackingBookRow] = field(default_factory=list)
    parent_agency_name: str = ""
    book_number: str = ""
    place: str = "Hưng Yên"
    issued_at: datetime.date | None = None

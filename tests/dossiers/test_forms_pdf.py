"""PDF forms of Circular 01/2018/TT-VPCP (Mẫu 01-06) and the Excel tracking book: text, layout, QR link."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape

from dichvucong.dossiers.forms_pdf import (
    ApologyData,
    ControlSlipData,
    DocumentLine,
    HandOver,
    ReceiptData,
    RefusalData,
    SupplementRequestData,
    TrackingBookData,
    TrackingBookRow,
    lookup_url,
    render_apology,
    render_control_slip,
    render_receipt,
    render_refusal,
    render_supplement_request,
    render_tracking_book,
    render_tracking_book_xlsx,
)
from dichvucong.pdf import fonts as fonts_module
from dichvucong.pdf.fonts import PdfFontMissing, font_files

CODE = "000.00.04.H31-240304-0001"
URL = lookup_url(CODE, base_url="https://dichvucong.hungyen.gov.vn")
NAME = "Nguyễn Văn An"
AGENCY = "Bộ phận Tiếp nhận và Trả kết quả - Sở Tư pháp"
PROCEDURE = "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


COMMON = {
    "code": CODE,
    "applicant_name": NAME,
    "agency_name": AGENCY,
    "parent_agency_name": "UBND tỉnh Hưng Yên",
    "procedure_name": PROCEDURE,
    "applicant_id": "033090001234",
    "applicant_address": "xã Lạc Đạo, huyện Văn Lâm",
    "applicant_phone": "0912000111",
    "issued_at": datetime.date(2024, 3, 4),
    "lookup_url": URL,
}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    """Without any whitespace: a phrase wrapped over two lines of a narrow cell still matches."""
    return "".join(text.split())


def assert_in_text(text: str, *expected: str) -> None:
    flat = squeeze(text)
    for item in expected:
        assert squeeze(item) in flat, item


def links_of(pdf: bytes) -> list[str]:
    uris = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                uris.append(action.get_object()["/URI"])
    return uris


def has_image(pdf: bytes) -> bool:
    """Every copy of a form carries the QR code (an image on each page for the two-copy receipt)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return sum(len(page.images) for page in pages) >= len(pages)


def page_size(pdf: bytes, index: int = 0) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[index].mediabox
    return round(float(box.width)), round(float(box.height))


def assert_common(pdf: bytes, *labels: str) -> str:
    text = text_of(pdf)
    assert CODE in text and NAME in text  # unbroken, with their diacritics
    assert_in_text(
        text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ TƯ PHÁP", URL, *labels
    )
    assert URL in links_of(pdf)
    assert has_image(pdf)
    return text


def receipt_data(**overrides) -> ReceiptData:
    values = {
        **COMMON,
        "documents": [
            DocumentLine("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", originals=1),
            DocumentLine("Bản chụp Căn cước công dân", copies=1),
        ],
        "sets": 1,
        "processing_days": Decimal("10"),
        "received_at": local(2024, 3, 4, 9, 5),
        "due_at": local(2024, 3, 18, 9, 5),
        "collect_at": "Trung tâm Phục vụ hành chính công tỉnh",
        "book_number": "Quyển số: 01/2024, số thứ tự: 15",
        "officer_name": "Trần Thị Hương",
    }
    return ReceiptData(**{**values, **overrides})


class TestReceipt:
    def test_two_a5_copies_with_code_applicant_documents_and_dates(self):
        pdf = render_receipt(receipt_data())
        text = assert_common(
            pdf,
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Liên 1",
            "Liên 2",
            "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
            "Bản chụp Căn cước công dân",
            "10 ngày làm việc",
            "09 giờ 05 phút, ngày 04 tháng 03 năm 2024",
            "09 giờ 05 phút, ngày 18 tháng 03 năm 2024",
            "Quyển số: 01/2024",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "Trần Thị Hương",
            PROCEDURE,
        )
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
        assert page_size(pdf) == (round(A5[0]), round(A5[1]))
        assert text.count(CODE) >= 2
        assert PdfReader(io.BytesIO(pdf)).metadata.subject == CODE

    def test_half_days_and_relative_lookup_url(self):
        pdf = render_receipt(receipt_data(processing_days=Decimal("0.5"), lookup_url=""))
        assert_in_text(text_of(pdf), "0,5 ngày làm việc")
        assert lookup_url(CODE) in links_of(pdf)
        assert lookup_url(CODE) == "/tra-cuu/?code=000.00.04.H31-240304-0001"

    def test_markup_in_data_is_printed_not_interpreted(self):
        assert_in_text(
            text_of(render_receipt(receipt_data(applicant_name="Lê <b>Bình</b> & Cộng sự"))), "Lê <b>Bình</b> & Cộng sự"
        )


def test_supplement_request():
    pdf = render_supplement_request(
        SupplementRequestData(
            **COMMON,
            received_at=local(2024, 3, 4, 9, 5),
            items=["Bản sao Giấy khai sinh có chứng thực"],
            reason="Thiếu giấy tờ chứng minh nơi sinh",
            officer_name="Trần Thị Hương",
            officer_phone="02213555666",
        )
    )
    assert_common(
        pdf,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Bản sao Giấy khai sinh có chứng thực",
        "Thiếu giấy tờ chứng minh nơi sinh",
        "NGƯỜI HƯỚNG DẪN",
        "02213555666",
        "ngày 04 tháng 03 năm 2024",
    )
    assert page_size(pdf) == (round(A5[0]), round(A5[1]))


def test_refusal():
    pdf = render_refusal(
        RefusalData(
            **COMMON, reason="Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp", officer_name="Trần Thị Hương"
        )
    )
    assert_common(
        pdf,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    )


def test_apology_has_reason_and_new_date():
    pdf = render_apology(
        ApologyData(
            **COMMON,
            received_at=local(2024, 3, 4, 9, 5),
            due_at=local(2024, 3, 18, 9, 5),
            reason="Cần xác minh thông tin tại cơ quan công an nơi cư trú",
            new_due_at=local(2024, 3, 25, 9, 5),
            signer_name="Phạm Văn Đức",
            signer_title="GIÁM ĐỐC",
        )
    )
    assert_common(
        pdf,
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi",
        "Cần xác minh thông tin tại cơ quan công an nơi cư trú",
        "ngày 25 tháng 03 năm 2024",
        "ngày 18 tháng 03 năm 2024",
        "GIÁM ĐỐC",
        "Phạm Văn Đức",
    )


def test_control_slip_lists_each_hand_over_with_its_result():
    pdf = render_control_slip(
        ControlSlipData(
            **COMMON,
            handling_agency="Phòng Hành chính tư pháp",
            hand_overs=[
                HandOver("Bộ phận Một cửa", local(2024, 3, 4, 9, 30), "Trần Thị Hương", "Lê Minh Tuấn", "early"),
                HandOver(
                    "Phòng Hành chính tư pháp", local(2024, 3, 12, 15, 0), "Lê Minh Tuấn", "Phạm Văn Đức", "on_time"
                ),
                HandOver(
                    "Lãnh đạo Sở", local(2024, 3, 19, 8, 0), "Phạm Văn Đức", "Trần Thị Hương", "late", "Chờ ký số"
                ),
            ],
        )
    )
    text = assert_common(
        pdf,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Phòng Hành chính tư pháp",
        "Lê Minh Tuấn",
        "09:30 04/03/2024",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Chờ ký số",
    )
    assert_in_text(text, "Người giao", "Người nhận")
    assert page_size(pdf) == (round(landscape(A5)[0]), round(landscape(A5)[1]))


def test_control_slip_results_stay_vietnamese_on_an_english_page():
    with translation.override("en"):
        pdf = render_control_slip(
            ControlSlipData(
                **COMMON,
                hand_overs=[
                    HandOver("Bộ phận Một cửa", local(2024, 3, 4, 9, 30), "Trần Thị Hương", "Lê Minh Tuấn", "on_time")
                ],
            )
        )
    assert_common(pdf, "Đúng hạn")


def book_data(rows: int = 3) -> TrackingBookData:
    return TrackingBookData(
        agency_name="Sở Tư pháp",
        parent_agency_name="UBND tỉnh Hưng Yên",
        period_start=datetime.date(2024, 3, 1),
        period_end=datetime.date(2024, 3, 31),
        book_number="01/2024",
        rows=[
            TrackingBookRow(
                code=f"000.00.04.H31-240304-{n:04d}",
                procedure_name=PROCEDURE,
                applicant_name=NAME if n == 1 else f"Trần Thị Bình {n}",
                received_at=local(2024, 3, 4, 9, n % 60),
                due_at=local(2024, 3, 18, 9, 0),
                applicant_address="Văn Lâm",
                applicant_phone="0912000111",
                handling_agency="Phòng Hành chính tư pháp",
                returned_at=local(2024, 3, 15, 10, 0) if n == 1 else None,
            )
            for n in range(1, rows + 1)
        ],
    )


class TestTrackingBook:
    def test_pdf_is_a4_landscape_with_every_row_over_several_pages(self):
        pdf = render_tracking_book(book_data(rows=40))
        text = text_of(pdf)
        assert page_size(pdf) == (round(landscape(A4)[0]), round(landscape(A4)[1]))
        assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
        assert "000.00.04.H31-240304-0001" in text and "000.00.04.H31-240304-0040" in text and NAME in text
        assert_in_text(
            text,
            "SỔ THEO DÕI HỒ SƠ",
            "Từ ngày 01/03/2024 đến ngày 31/03/2024",
            "Tổng số hồ sơ: 40",
            "10:00 15/03/2024",
            "Chuyển hồ sơ đến cơ quan giải quyết",
        )

    def test_excel_has_a_header_row_and_one_row_per_dossier(self):
        workbook = load_workbook(io.BytesIO(render_tracking_book_xlsx(book_data(rows=3))))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert rows[1][0] == "SỔ THEO DÕI HỒ SƠ"
        header = rows[3]
        assert header[:3] == ("TT", "Mã hồ sơ", "Tên thủ tục hành chính")
        body = rows[4:]
        assert [row[1] for row in body] == [f"000.00.04.H31-240304-{n:04d}" for n in (1, 2, 3)]
        assert body[0][4] == NAME
        assert body[0][3] == 1
        assert body[0][7] == "09:01 04/03/2024"
        assert body[0][11] == "10:00 15/03/2024"


class TestFonts:
    def test_a_font_with_every_vietnamese_letter_is_found(self):
        files = font_files()
        assert files["family"] in {"Liberation Serif", "DejaVu Serif"}
        assert files["regular"].is_file() and files["bold"].is_file()

    def test_missing_fonts_give_a_clear_error(self, monkeypatch, tmp_path):
        monkeypatch.setattr(fonts_module, "SYSTEM_FONT_DIRS", [str(tmp_path)])
        fonts_module.font_files.cache_clear()
        try:
            with pytest.raises(PdfFontMissing) as error:
                fonts_module.font_files()
            assert error.value.code == "pdf_font_missing"
            assert "fonts-dejavu-core" in error.value.detail
        finally:
            fonts_module.font_files.cache_clear()

    def test_a_configured_folder_is_searched_first(self, settings, tmp_path):
        source = font_files()
        (tmp_path / "DejaVuSerif.ttf").write_bytes(source["regular"].read_bytes())
        (tmp_path / "DejaVuSerif-Bold.ttf").write_bytes(source["bold"].read_bytes())
        settings.PDF_FONT_DIRS = [str(tmp_path)]
        fonts_module.font_files.cache_clear()
        try:
            files = fonts_module.font_files()
            if files["family"] == "DejaVu Serif":
                assert files["regular"] == tmp_path / "DejaVuSerif.ttf"
        finally:
            fonts_module.font_files.cache_clear()

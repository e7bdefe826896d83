"""The national header of the forms (Mẫu 01-05) and of the result: the agency names are never broken inside a word
group ("HƯNG / YÊN" was), the managing agency is abbreviated as Decree 30/2020 allows ("UBND TỈNH HƯNG YÊN"), long
names wrap between their word groups; read back with `pdftotext -layout`."""

import datetime
import re
import subprocess

import pytest
from reportlab.lib.units import mm

from dichvucong.dossiers.forms_pdf import (
    ApologyData,
    ControlSlipData,
    ReceiptData,
    RefusalData,
    SupplementRequestData,
    render_apology,
    render_control_slip,
    render_receipt,
    render_refusal,
    render_supplement_request,
)
from dichvucong.pdf.layout import header_lines, styles

from .test_forms_pdf import COMMON, local, receipt_data

PROVINCE = "Ủy ban nhân dân tỉnh Hưng Yên"
LONG_AGENCY = "Bộ phận Tiếp nhận và Trả kết quả - Sở Lao động - Thương binh và Xã hội tỉnh Hưng Yên"


def layout_lines(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(line.split()) for line in text.decode().splitlines()]


def assert_readable_header(pdf: bytes) -> list[str]:
    lines = layout_lines(pdf)
    # abbreviated where the column is narrow (A5 portrait, A4), in full where it fits (Mẫu 05, A5 landscape)
    assert any(re.search(r"(UBND|ỦY BAN NHÂN DÂN) TỈNH HƯNG YÊN", line) for line in lines), lines[:8]
    assert not any(line.endswith("HƯNG") or line.startswith("YÊN") for line in lines), lines[:8]
    return lines


def bold_font() -> str:
    return f"{styles()['header'].fontName}-Bold"


class TestHeaderLines:
    def test_a_name_that_fits_stays_whole(self):
        assert header_lines("SỞ TƯ PHÁP", font=bold_font(), size=9, width=50 * mm) == (["SỞ TƯ PHÁP"], 9)

    def test_the_managing_agency_is_abbreviated_before_anything_is_wrapped(self):
        lines, size = header_lines(
            PROVINCE.upper(), font=styles()["header"].fontName, size=8, width=45 * mm, abbreviate=True
        )
        assert (lines, size) == (["UBND TỈNH HƯNG YÊN"], 8)

    def test_a_slightly_long_name_shrinks_a_little_instead_of_wrapping(self):
        font = bold_font()
        lines, size = header_lines(
            "SỞ TƯ PHÁP TỈNH HƯNG YÊN", font=font, size=10, width=0.9 * _width("SỞ TƯ PHÁP TỈNH HƯNG YÊN", font, 10)
        )
        assert lines == ["SỞ TƯ PHÁP TỈNH HƯNG YÊN"] and 8.5 <= size < 10

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("ỦY BAN NHÂN DÂN THỊ XÃ MỸ HÀO TỈNH HƯNG YÊN", ["ỦY BAN NHÂN DÂN", "THỊ XÃ MỸ HÀO", "TỈNH HƯNG YÊN"]),
            ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ - SỞ TƯ PHÁP", ["BỘ PHẬN TIẾP NHẬN", "VÀ TRẢ KẾT QUẢ", "SỞ TƯ PHÁP"]),
            (
                "CẢNH SÁT PHÒNG CHÁY VÀ CHỮA CHÁY TỈNH HƯNG YÊN",
                ["CẢNH SÁT PHÒNG CHÁY", "VÀ CHỮA CHÁY", "TỈNH HƯNG YÊN"],
            ),
        ],
    )
    def test_long_names_wrap_between_word_groups(self, name, expected):
        lines, size = header_lines(name, font=bold_font(), size=8, width=45 * mm)
        assert (lines, size) == (expected, 8)


def _width(text, font, size):
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, font, size)


HEADED = {**COMMON, "parent_agency_name": PROVINCE}


@pytest.mark.parametrize(
    "pdf",
    [
        pytest.param(lambda: render_receipt(receipt_data(parent_agency_name=PROVINCE)), id="mau-01"),
        pytest.param(
            lambda: render_supplement_request(
                SupplementRequestData(
                    **HEADED,
                    received_at=local(2024, 3, 4, 9, 5),
                    items=["Bản sao giấy khai sinh"],
                    officer_name="Trần Thị Hương",
                )
            ),
            id="mau-02",
        ),
        pytest.param(
            lambda: render_refusal(RefusalData(**HEADED, reason="Không thuộc thẩm quyền", officer_name="Hương")),
            id="mau-03",
        ),
        pytest.param(
            lambda: render_apology(
                ApologyData(
                    **HEADED,
                    received_at=local(2024, 3, 4, 9, 5),
                    due_at=local(2024, 3, 18, 9, 5),
                    reason="Cần xác minh",
                    new_due_at=local(2024, 3, 25, 9, 5),
                    signer_title="GIÁM ĐỐC",
                    signer_name="Vũ Đức Thắng",
                )
            ),
            id="mau-04",
        ),
        pytest.param(lambda: render_control_slip(ControlSlipData(**HEADED, receipt_number="01")), id="mau-05"),
    ],
)
def test_every_form_keeps_the_province_on_one_line_and_writes_dates_for_people(pdf):
    lines = assert_readable_header(pdf())
    assert any("Hưng Yên, ngày 04 tháng 03 năm 2024" in line for line in lines)
    assert not any(re.search(r"\b\d{4}-\d\d-\d\d\b", line) for line in lines)


def test_a_long_agency_name_wraps_between_its_word_groups_on_the_receipt():
    data: ReceiptData = receipt_data(
        parent_agency_name=PROVINCE, agency_name=LONG_AGENCY, issued_at=datetime.date(2024, 3, 4)
    )
    lines = assert_readable_header(render_receipt(data))

    head = "\n".join(lines[:8])
    assert "TỈNH HƯNG YÊN" in head.replace("CỘNG HÒA", "")
    for group in ("BỘ PHẬN TIẾP NHẬN", "THƯƠNG BINH VÀ XÃ HỘI"):
        assert group in head, head

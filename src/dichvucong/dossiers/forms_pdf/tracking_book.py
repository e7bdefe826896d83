"""Mẫu 06 of Circular 01/2018/TT-VPCP: the tracking book (Sổ theo dõi hồ sơ) of an agency over a period.

A4 landscape PDF (one row per dossier, header repeated on every page) and the same register as an Excel workbook.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from dichvucong.pdf.layout import build_pdf, esc, frame_width, grid, header, short_datetime, styles, title

from .data import TrackingBookData, TrackingBookRow

BOOK_TITLE = "SỔ THEO DÕI HỒ SƠ"
COLUMNS = [  # (label, width in mm for the PDF, width in characters for Excel)
    ("TT", 8, 5),
    ("Mã hồ sơ", 42, 28),
    ("Tên thủ tục hành chính", 31, 40),
    ("Số lượng hồ sơ (bộ)", 11, 8),
    ("Tên cá nhân, tổ chức", 24, 24),
    ("Địa chỉ, số điện thoại", 26, 30),
    ("Cơ quan chủ trì giải quyết", 24, 24),
    ("Nhận hồ sơ", 17, 17),
    ("Hẹn trả kết quả", 17, 17),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 17, 17),
    ("Nhận kết quả từ cơ quan giải quyết", 17, 17),
    ("Trả kết quả cho cá nhân, tổ chức", 17, 17),
    ("Ghi chú", 0, 20),  # PDF: the rest of the width
]


def _period(data: TrackingBookData) -> str:
    return f"Từ ngày {data.period_start:%d/%m/%Y} đến ngày {data.period_end:%d/%m/%Y}"


def _cells(index: int, row: TrackingBookRow) -> list[str]:
    contact = ", ".join(part for part in (row.applicant_address, row.applicant_phone) if part)
    return [
        str(index),
        row.code,
        row.procedure_name,
        str(row.sets),
        row.applicant_name,
        contact,
        row.handling_agency,
        short_datetime(row.received_at),
        short_datetime(row.due_at),
        short_datetime(row.forwarded_at),
        short_datetime(row.result_received_at),
        short_datetime(row.returned_at),
        row.note,
    ]


def render_tracking_book(data: TrackingBookData) -> bytes:
    """Mẫu 06 as an A4 landscape PDF."""
    pagesize = landscape(A4)
    style, width = styles(9), frame_width(pagesize)
    story = [
        header(
            parent_agency_name=data.parent_agency_name,
            agency_name=data.agency_name,
            place=data.place,
            issued_at=data.issued_at,
            number=data.book_number,
            width=width,
            style=style,
        )
    ]
    story += title(
        BOOK_TITLE,
        style,
        f"{esc(_period(data))}" + (f"<br/>Quyển số: {esc(data.book_number)}" if data.book_number else ""),
    )
    widths = [label_width * mm for _, label_width, _ in COLUMNS[:-1]]
    widths.append(max(width - sum(widths), 14 * mm))
    rows = [[Paragraph(f"<b>{esc(label)}</b>", style["small_center"]) for label, _, _ in COLUMNS]]
    for index, row in enumerate(data.rows, start=1):
        rows.append([Paragraph(esc(value), style["small"]) for value in _cells(index, row)])
    story.append(grid(rows, widths))
    story.append(Spacer(1, 4))
    story.append(Paragraph(f"Tổng số hồ sơ: {len(data.rows)}", style["left"]))
    return build_pdf(
        story,
        pagesize=pagesize,
        title_text=f"{BOOK_TITLE} - {data.agency_name}",
        subject=_period(data),
        author=data.agency_name,
    )


def render_tracking_book_xlsx(data: TrackingBookData) -> bytes:
    """Mẫu 06 as an Excel workbook: title rows, a header row, one row per dossier (times as text, local time)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi ho so"
    last_column = get_column_letter(len(COLUMNS))
    for row_number, text in enumerate((data.agency_name.upper(), BOOK_TITLE, _period(data)), start=1):
        sheet.append([text])
        sheet.merge_cells(f"A{row_number}:{last_column}{row_number}")
        sheet.cell(row=row_number, column=1).font = Font(bold=row_number < 3, size=13 if row_number == 2 else 11)
        sheet.cell(row=row_number, column=1).alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([label for label, _, _ in COLUMNS])
    header_row = sheet.max_row
    for index, row in enumerate(data.rows, start=1):
        cells = _cells(index, row)
        sheet.append([index, *cells[1:3], row.sets, *cells[4:]])
    for row_cells in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell in row_cells:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.row == header_row:
                cell.font = Font(bold=True)
    for column_index, (_, _, chars) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column_index)].width = chars
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

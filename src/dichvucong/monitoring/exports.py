"""Spreadsheet (and PDF) renderings of the reports: what the page and `?format=xlsx|pdf` download.

The spreadsheet is laid out like an official annex: a title, the period and scope, a header row, one row per group
and a totals row whose counts are `=SUM(...)` formulas over the rows above (shares are formulas too)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph

from dichvucong.pdf import layout

COLUMN_LABELS = {
    "key": gettext_lazy("Mã"),
    "label": gettext_lazy("Nhóm"),
    "total": gettext_lazy("Tổng số TTHC"),
    "level_1": gettext_lazy("Mức độ 1"),
    "level_2": gettext_lazy("Mức độ 2"),
    "level_3": gettext_lazy("Mức độ 3"),
    "level_4": gettext_lazy("Mức độ 4"),
    "online_full": gettext_lazy("Toàn trình"),
    "online_partial": gettext_lazy("Một phần"),
    "share_level_4": gettext_lazy("Tỷ lệ mức độ 4 (%)"),
    "received_total": gettext_lazy("Tổng số tiếp nhận"),
    "received_counter": gettext_lazy("Trực tiếp"),
    "received_online": gettext_lazy("Trực tuyến"),
    "received_online_partial": gettext_lazy("Trực tuyến một phần (mức 3)"),
    "received_online_full": gettext_lazy("Trực tuyến toàn trình (mức 4)"),
    "received_postal": gettext_lazy("Bưu chính"),
    "received_national_portal": gettext_lazy("Trong đó: qua Cổng DVC quốc gia"),
    "resolved_total": gettext_lazy("Đã giải quyết"),
    "resolved_early": gettext_lazy("Trước hạn"),
    "resolved_on_time": gettext_lazy("Đúng hạn"),
    "resolved_late": gettext_lazy("Quá hạn"),
    "in_progress_total": gettext_lazy("Đang giải quyết"),
    "in_progress_late": gettext_lazy("Đang giải quyết quá hạn"),
    "returned": gettext_lazy("Từ chối, trả lại"),
    "withdrawn": gettext_lazy("Rút hồ sơ"),
    "stopped": gettext_lazy("Dừng xử lý"),
    "share_online": gettext_lazy("Tỷ lệ trực tuyến (%)"),
    "share_on_time": gettext_lazy("Tỷ lệ đúng hạn (%)"),
    "paid_online": gettext_lazy("Thanh toán trực tuyến"),
    "paid_desk": gettext_lazy("Nộp phí tại Bộ phận một cửa"),
    "share_paid_online": gettext_lazy("Tỷ lệ thanh toán trực tuyến (%)"),
}

#: Shares recomputed in the totals row from the summed columns: (numerator columns, denominator column).
SHARE_FORMULAS = {
    "share_online": (("received_online",), "received_total"),
    "share_on_time": (("resolved_early", "resolved_on_time"), "resolved_total"),
    "share_level_4": (("level_4",), "total"),
    "share_paid_online": (("paid_online",), ("paid_online", "paid_desk")),
}
THIN = Side(style="thin", color="999999")


def report_xlsx(report, *, sheet_title: str = "Báo cáo") -> bytes:
    """`report` has `title`, `params`, `columns`, `rows`, `totals` (dicts by column name)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    columns = ["key", "label", *report.columns]
    ws.cell(row=1, column=1, value=report.title).font = Font(bold=True, size=13)
    period = ", ".join(f"{k}: {v}" for k, v in report.params.items() if v)
    ws.cell(row=2, column=1, value=period)
    header_row = 4
    for index, name in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=index, value=str(COLUMN_LABELS.get(name, name)))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        ws.column_dimensions[get_column_letter(index)].width = 40 if name == "label" else 14
    first = header_row + 1
    for offset, row in enumerate(report.rows):
        for index, name in enumerate(columns, start=1):
            ws.cell(row=first + offset, column=index, value=row.get(name))
    last = first + len(report.rows) - 1
    total_row = last + 1
    letters = {name: get_column_letter(i) for i, name in enumerate(columns, start=1)}
    ws.cell(row=total_row, column=1, value="")
    ws.cell(row=total_row, column=2, value=str(report.totals.get("label", _("Tổng cộng")))).font = Font(bold=True)
    for name in report.columns:
        column = letters[name]
        if name in SHARE_FORMULAS:
            parts, whole = SHARE_FORMULAS[name]
            whole = (whole,) if isinstance(whole, str) else whole
            numerator = "+".join(f"{letters[p]}{total_row}" for p in parts)
            denominator = "+".join(f"{letters[w]}{total_row}" for w in whole)
            value = f'=IF(({denominator})=0,"",ROUND(100*({numerator})/({denominator}),2))'
        elif report.rows and report.totals.get(name) == sum((r.get(name) or 0) for r in report.rows):
            value = f"=SUM({column}{first}:{column}{last})"
        else:
            # not additive over the rows (a procedure counted in several groups, "as of" stocks by month)
            value = report.totals.get(name)
        cell = ws.cell(row=total_row, column=columns.index(name) + 1, value=value)
        cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=first, column=3)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def table_xlsx(title: str, headers: list[str], rows: list[list], *, params: dict | None = None) -> bytes:
    """A plain table (targets, scorecard, plan items)."""
    wb = Workbook()
    ws = wb.active
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    if params:
        ws.cell(row=2, column=1, value=", ".join(f"{k}: {v}" for k, v in params.items() if v))
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(index)].width = 18
    for offset, row in enumerate(rows, start=5):
        for index, value in enumerate(row, start=1):
            ws.cell(row=offset, column=index, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- PDF (laid out like an official report: national header, title, the annex table, signature) ---------------------


def report_pdf(report, *, agency_name: str = "", number: str = "") -> bytes:
    """The report as an administrative document (Decree 30/2020 layout) with its table in landscape A4."""
    styles = layout.styles(9)
    pagesize = landscape(A4)
    width = layout.frame_width(pagesize)
    columns = ["label", *report.columns]
    head = [Paragraph(f"<b>{layout.esc(COLUMN_LABELS.get(c, c))}</b>", styles["small_center"]) for c in columns]

    def cell(value):
        return Paragraph(layout.esc("–" if value is None else value), styles["small"])

    rows = [head] + [[cell(row.get(c)) for c in columns] for row in report.rows]
    rows.append(
        [
            Paragraph(
                f"<b>{layout.esc(report.totals.get(c, '') if c != 'label' else report.totals.get('label', ''))}</b>",
                styles["small"],
            )
            for c in columns
        ]
    )
    first = width * 0.2
    other = (width - first) / (len(columns) - 1)
    story = [
        layout.header(
            parent_agency_name="Ủy ban nhân dân tỉnh",
            agency_name=agency_name or "Sở Thông tin và Truyền thông",
            place="Hưng Yên",
            issued_at=None,
            number=number,
            width=width,
            style=styles,
        ),
        *layout.title(
            str(report.title).upper(),
            styles,
            layout.esc(", ".join(f"{k}: {v}" for k, v in report.params.items() if v)),
        ),
        layout.grid(rows, [first] + [other] * (len(columns) - 1)),
    ]
    return layout.build_pdf(
        story,
        pagesize=pagesize,
        title_text=str(report.title),
        subject=str(report.params.get("scope", "")),
        author="dichvucong",
    )

"""Spreadsheet (and PDF) renderings of the reports: what the page and `?format=xlsx|pdf` download.

The spreadsheet is laid out like an official annex: a title, the period and scope, a header row, one row per group
and a totals row whose counts are `=SUM(...)` formulas over the rows above (shares are formulas too)."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph, Spacer

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
            parent_agency_name=f"Ủy ban nhân dân tỉnh {settings.PROVINCE_NAME}",
            agency_name=agency_name or "Sở Thông tin và Truyền thông",
            place=settings.PROVINCE_NAME,
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
        Spacer(1, 10),
        _signatures(width, styles),
    ]
    return layout.build_pdf(
        story,
        pagesize=pagesize,
        title_text=str(report.title),
        subject=str(report.params.get("scope", "")),
        author="dichvucong",
    )


def document_pdf(
    title: str,
    sections: list[tuple[str, list[str], list[list]]],
    *,
    subtitle: str = "",
    agency_name: str = "",
    number: str = "",
    notes: list[str] = (),
    landscape_page: bool = True,
) -> bytes:
    """A report as an administrative document (Decree 30/2020: quốc hiệu, tiêu ngữ, the reporting agency, the number
    and date line, the title) followed by its tables, each under its heading, and the signature blocks.

    `sections`: (heading, column headers, rows); a row whose first cell starts with "Tổng" is set in bold."""
    styles = layout.styles(9.5)
    pagesize = landscape(A4) if landscape_page else A4
    width = layout.frame_width(pagesize)
    story = [
        layout.header(
            parent_agency_name=f"Ủy ban nhân dân tỉnh {settings.PROVINCE_NAME}",
            agency_name=agency_name or "Sở Thông tin và Truyền thông",
            place=settings.PROVINCE_NAME,
            issued_at=None,
            number=number,
            width=width,
            style=styles,
        ),
        *layout.title(str(title).upper(), styles, layout.esc(subtitle)),
    ]
    for heading, headers, rows in sections:
        if heading:
            story.append(Paragraph(f"<b>{layout.esc(heading)}</b>", styles["left"]))
            story.append(Spacer(1, 3))
        if not rows:
            story.append(Paragraph(layout.esc(_("Không có số liệu.")), styles["small"]))
            story.append(Spacer(1, 6))
            continue
        head = [Paragraph(f"<b>{layout.esc(h)}</b>", styles["small_center"]) for h in headers]
        body = []
        for row in rows:
            bold = bool(row) and str(row[0] or "").startswith("Tổng")
            body.append(
                [
                    Paragraph(
                        (f"<b>{layout.esc(_cell_text(v))}</b>" if bold else layout.esc(_cell_text(v))),
                        styles["small"],
                    )
                    for v in row
                ]
            )
        first = width * (0.3 if len(headers) <= 6 else 0.2)
        other = (width - first) / max(len(headers) - 1, 1)
        story.append(layout.grid([head, *body], [first] + [other] * (len(headers) - 1)))
        story.append(Spacer(1, 8))
    for note in notes:
        story.append(Paragraph(layout.esc(note), styles["body"]))
    story.append(Spacer(1, 10))
    story.append(_signatures(width, styles))
    return layout.build_pdf(story, pagesize=pagesize, title_text=str(title), subject=subtitle, author="dichvucong")


def _signatures(width, styles):
    return layout.signature_blocks(
        [("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", ""), (layout.DEFAULT_SIGNER_TITLE, "(Ký, ghi rõ họ tên)", "")],
        width=width,
        style=styles,
    )


def _cell_text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return layout.number_text(round(value, 2))
    return str(value)


def _period(params: dict) -> str:
    parts = []
    if params.get("from") and params.get("to"):
        parts.append(_("Từ %(a)s đến %(b)s") % {"a": params["from"], "b": params["to"]})
    if params.get("scope"):
        parts.append(str(params["scope"]))
    return "; ".join(parts)


def targets_pdf(data: dict, *, scope_label: str = "") -> bytes:
    """The plan's targets, the agencies against their tier's targets and the items (Phụ lục 04-07), late first."""
    from .targets import RAG_LABELS

    plan = data["plan"]
    targets = [
        [
            t["label"],
            t["tier"] or "–",
            t["target"],
            t["deadline"],
            t["actual"],
            t["actual_now"],
            RAG_LABELS[t["status"]],
        ]
        for t in data["targets"]
    ]
    items = [
        [
            i["agency_name"],
            i["annex"],
            f"{i['procedure']} {i['procedure_name']}",
            i["stage_label"],
            i["online_due"],
            str(_("Chậm")) if i.get("late") else RAG_LABELS[i["status"]],
        ]
        for i in data["items"]
    ]
    return document_pdf(
        _("Báo cáo tình hình thực hiện chỉ tiêu Kế hoạch %(n)s") % {"n": plan["number"]},
        [
            (
                _("I. Chỉ tiêu của kế hoạch"),
                [_("Chỉ tiêu"), _("Cấp"), _("Giá trị"), _("Thời hạn"), _("Thực hiện"), _("Hiện nay"), _("Đánh giá")],
                targets,
            ),
            (
                _("II. Thủ tục đăng ký cung cấp trực tuyến (Phụ lục 04-07)"),
                [_("Cơ quan"), _("Phụ lục"), _("Thủ tục"), _("Tiến độ"), _("Hạn trực tuyến"), _("Đánh giá")],
                items,
            ),
        ],
        subtitle="; ".join(
            p for p in (plan.get("title", ""), _("Số liệu đến ngày %(d)s") % {"d": data["as_of"]}, scope_label) if p
        ),
    )


def scorecard_pdf(data: dict) -> bytes:
    """The QĐ 766 indicators (formula, maximum, rate, points), the total and the ranking of the agencies."""
    indicators = [[i["label"], i["formula"], i["max_points"], i["rate"], i["points"]] for i in data["indicators"]]
    indicators.append([str(_("Tổng điểm")), "", data["max_points"], data["score"], data["points"]])
    ranking = [[r["label"], r["rank"], r["max_points"], r["score"], r["points"]] for r in data["ranking"]]
    return document_pdf(
        data["title"],
        [
            (
                _("I. Các chỉ số"),
                [_("Chỉ số"), _("Công thức"), _("Điểm tối đa"), _("Tỷ lệ (%) / điểm chuẩn hóa"), _("Điểm")],
                indicators,
            ),
            (
                _("II. Xếp hạng cơ quan"),
                [_("Cơ quan"), _("Hạng"), _("Điểm tối đa"), _("Điểm chuẩn hóa (100)"), _("Điểm")],
                ranking,
            ),
        ],
        subtitle=_period(data["params"]),
    )


def waits_sections(data: dict) -> list[tuple[str, list[str], list[list]]]:
    steps = [
        [w["step"], w["agency"], w["month"], w["completed"], w["median_hours"], w["p90_hours"]] for w in data["steps"]
    ]
    now = [[w["step"], w["agency"], w["waiting"], w["overdue"], w["oldest_hours"]] for w in data["waiting_now"]]
    return [
        (
            _("I. Thời gian xử lý theo bước, cơ quan và tháng"),
            [_("Bước"), _("Cơ quan"), _("Tháng"), _("Số hồ sơ"), _("Trung vị (giờ)"), _("p90 (giờ)")],
            steps,
        ),
        (
            _("II. Hồ sơ đang chờ"),
            [_("Bước"), _("Cơ quan"), _("Đang chờ"), _("Quá hạn bước"), _("Lâu nhất (giờ)")],
            now,
        ),
    ]


def waits_pdf(data: dict, *, scope_label: str = "") -> bytes:
    return document_pdf(
        _("Báo cáo thời gian hồ sơ chờ tại các bước xử lý"),
        waits_sections(data),
        subtitle=_period({**data, "scope": scope_label}),
    )


def waits_xlsx(data: dict) -> bytes:
    sections = waits_sections(data)
    headers = [str(h) for h in sections[0][1]]
    rows = [list(r) for r in sections[0][2]]
    rows += [[], [str(h) for h in sections[1][1]]] + [list(r) for r in sections[1][2]]
    return table_xlsx(
        str(_("Thời gian hồ sơ chờ tại các bước xử lý")), headers, rows, params={"from": data["from"], "to": data["to"]}
    )


def monthly_pdf(report) -> bytes:
    """One agency's monthly report (its frozen figures): Phụ lục 01 (procedures), 02-03 (dossiers, by procedure)."""
    data = report.data
    dossier_cols = [c for c in DOSSIER_PDF_COLUMNS]
    by_procedure = data.get("dossiers_by_procedure", {})
    proc = data.get("procedures", {})
    proc_cols = ["total", "level_1", "level_2", "level_3", "level_4", "online_full", "online_partial", "share_level_4"]

    def rows_of(block, columns):
        out = [[r.get("label"), *[r.get(c) for c in columns]] for r in block.get("rows", [])]
        totals = block.get("totals") or {}
        if totals:
            out.append([str(_("Tổng cộng")), *[totals.get(c) for c in columns]])
        return out

    notes = [_("Nhận xét, giải trình: %(n)s") % {"n": report.note}] if report.note else []
    status = _("đã gửi") if report.status == "submitted" else _("dự thảo")
    return document_pdf(
        _("Báo cáo tình hình giải quyết thủ tục hành chính tháng %(m)s") % {"m": report.month.strftime("%m/%Y")},
        [
            (
                _("Phụ lục 01. Thủ tục hành chính theo mức độ dịch vụ công trực tuyến"),
                [_("Cơ quan"), *[str(COLUMN_LABELS[c]) for c in proc_cols]],
                rows_of(proc, proc_cols),
            ),
            (
                _("Phụ lục 02. Tình hình tiếp nhận, giải quyết hồ sơ"),
                [_("Cơ quan"), *[str(COLUMN_LABELS[c]) for c in dossier_cols]],
                rows_of(data.get("dossiers", {}), dossier_cols),
            ),
            (
                _("Phụ lục 03. Theo thủ tục hành chính"),
                [_("Thủ tục"), *[str(COLUMN_LABELS[c]) for c in dossier_cols]],
                rows_of(by_procedure, dossier_cols),
            ),
        ],
        subtitle=_("Số liệu đến ngày %(d)s; phiên bản %(v)s (%(s)s)")
        % {"d": data.get("to", ""), "v": report.version, "s": status},
        agency_name=report.agency.name,
        notes=notes,
    )


#: The columns of the dossier annex that fit a landscape page.
DOSSIER_PDF_COLUMNS = (
    "received_total",
    "received_counter",
    "received_online",
    "received_postal",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_total",
    "in_progress_late",
    "returned",
    "withdrawn",
    "share_online",
    "share_on_time",
)


def monthly_xlsx(report) -> bytes:
    """One agency's monthly report as a workbook (the dossier annex by procedure, totals as formulas)."""
    from .reports import DOSSIER_FIELDS, Report

    block = report.data.get("dossiers_by_procedure") or report.data.get("dossiers", {})
    sheet = Report(
        f"Báo cáo tháng {report.month:%m/%Y} – {report.agency.name} (phiên bản {report.version})",
        {"month": report.data.get("month"), "to": report.data.get("to"), "note": report.note},
        DOSSIER_FIELDS,
        block.get("rows", []),
        {"label": "Tổng cộng", **(block.get("totals") or {})},
    )
    return report_xlsx(sheet, sheet_title="Bao cao thang")

"""Sổ thu phí, lệ phí (the daily cash book): every fee the agency collected on one day, at the desk (cash, card at
the POS terminal, bank transfer) and online, with its receipt, cashier, method and reference, and the totals per
method and per budget code (chương, tiểu mục of the state budget index, Circular 324/2016/TT-BTC) that the
collecting unit remits to the State Treasury (Decree 11/2020/NĐ-CP; Circular 74/2022/TT-BTC art. 5: fees collected
in cash are deposited into the Treasury account; the book is the basis of the deposit and of the reconciliation).

A read: nothing here writes. Page, Excel and PDF are built from the same `CashBook`.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from dichvucong.common.money import format_vnd

from .models import DESK_METHODS, Payment, PaymentMethod, PaymentStatus

NO_CODE = "—"


@dataclass(frozen=True)
class CashBookRow:
    position: int
    payment: Payment
    receipt_no: str
    paid_at: datetime.datetime
    payer: str
    dossier_code: str
    method: str
    method_label: str
    reference: str
    cashier: str
    amount: int
    #: [(chương, tiểu mục, amount)] of the fee lines paid
    budget: tuple[tuple[str, str, int], ...]

    @property
    def desk(self) -> bool:
        return self.method in DESK_METHODS


@dataclass
class CashBook:
    agency: object
    day: datetime.date
    rows: list[CashBookRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.amount for row in self.rows)

    @property
    def desk_total(self) -> int:
        return sum(row.amount for row in self.rows if row.desk)

    @property
    def online_total(self) -> int:
        return sum(row.amount for row in self.rows if not row.desk)

    @property
    def by_method(self) -> list[tuple[str, str, int, int]]:
        """[(method, label, count, total)] in the order of `PaymentMethod`, methods with no payment left out."""
        counts, totals = defaultdict(int), defaultdict(int)
        for row in self.rows:
            counts[row.method] += 1
            totals[row.method] += row.amount
        return [(m.value, str(m.label), counts[m.value], totals[m.value]) for m in PaymentMethod if counts[m.value]]

    @property
    def by_budget_code(self) -> list[tuple[str, str, int, int]]:
        """[(chương, tiểu mục, desk amount, online amount)] sorted by code: what is remitted under each code."""
        desk, online = defaultdict(int), defaultdict(int)
        for row in self.rows:
            for chapter, subsection, amount in row.budget:
                (desk if row.desk else online)[(chapter, subsection)] += amount
        keys = sorted(set(desk) | set(online))
        return [
            (chapter, subsection, desk[(chapter, subsection)], online[(chapter, subsection)])
            for chapter, subsection in keys
        ]


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local (Asia/Ho_Chi_Minh) day as an aware half-open interval."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def budget_split(payment: Payment) -> tuple[tuple[str, str, int], ...]:
    """The payment's amount per budget code, from the fee lines assessed (exempt lines count nothing)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for line in payment.assessment.lines.all():
        if line.payable:
            totals[(line.budget_chapter or NO_CODE, line.budget_subsection or NO_CODE)] += line.payable
    return tuple((chapter, subsection, amount) for (chapter, subsection), amount in sorted(totals.items()))


def cash_book(*, agency, day: datetime.date) -> CashBook:
    """The agency's fees collected on `day` (local time), desk and online, in the order they were paid."""
    start, end = day_bounds(day)
    payments = (
        Payment.objects.filter(agency=agency, status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end)
        .select_related("dossier", "receipt", "cashier")
        .prefetch_related("assessment__lines")
        .order_by("paid_at", "pk")
    )
    book = CashBook(agency=agency, day=day)
    for position, payment in enumerate(payments, start=1):
        receipt = getattr(payment, "receipt", None)
        dossier = payment.dossier
        book.rows.append(
            CashBookRow(
                position=position,
                payment=payment,
                receipt_no=f"{receipt.series} {receipt.receipt_no}" if receipt else "",
                paid_at=timezone.localtime(payment.paid_at),
                payer=receipt.payer_name if receipt else (dossier.applicant_organisation or dossier.applicant_name),
                dossier_code=dossier.code or "",
                method=payment.method,
                method_label=str(PaymentMethod(payment.method).label),
                reference=payment.reference or payment.gateway_txn_id or "",
                cashier=(payment.cashier.full_name or payment.cashier.get_username()) if payment.cashier_id else "",
                amount=payment.amount,
                budget=budget_split(payment),
            )
        )
    return book


def _budget_text(row: CashBookRow) -> str:
    return "; ".join(f"{chapter}/{subsection}: {amount}" for chapter, subsection, amount in row.budget)


HEADERS = [
    "STT",
    "Biên lai",
    "Thời điểm",
    "Người nộp",
    "Mã hồ sơ",
    "Hình thức",
    "Số tham chiếu",
    "Người thu",
    "Số tiền (đồng)",
    "Chương/Tiểu mục: số tiền",
]


def _row_values(row: CashBookRow) -> list:
    return [
        row.position,
        row.receipt_no,
        row.paid_at.strftime("%d/%m/%Y %H:%M:%S"),
        row.payer,
        row.dossier_code,
        row.method_label,
        row.reference,
        row.cashier,
        row.amount,
        _budget_text(row),
    ]


def cash_book_xlsx(book: CashBook) -> bytes:
    """The book as an Excel workbook: the day's lines, the totals per method, the totals per budget code."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So thu"
    sheet.append(["SỔ THU PHÍ, LỆ PHÍ"])
    sheet.append([f"{book.agency.name} ({book.agency.code})", f"Ngày {book.day.strftime('%d/%m/%Y')}"])
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[4]:
        cell.font = bold
    for row in book.rows:
        sheet.append(_row_values(row))
    sheet.append(["", "", "", "", "", "", "", "Tổng cộng", book.total, ""])
    sheet["A1"].font = bold
    methods = workbook.create_sheet("Theo hinh thuc")
    methods.append(["Hình thức", "Số giao dịch", "Số tiền (đồng)"])
    for _method, label, count, total in book.by_method:
        methods.append([label, count, total])
    methods.append(["Thu tại quầy", sum(1 for r in book.rows if r.desk), book.desk_total])
    methods.append(["Thu trực tuyến", sum(1 for r in book.rows if not r.desk), book.online_total])
    codes = workbook.create_sheet("Muc luc ngan sach")
    codes.append(["Chương", "Tiểu mục", "Thu tại quầy (đồng)", "Thu trực tuyến (đồng)", "Cộng (đồng)"])
    for chapter, subsection, desk, online in book.by_budget_code:
        codes.append([chapter, subsection, desk, online, desk + online])
    for sheet_ in (sheet, methods, codes):
        for column in sheet_.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet_.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cash_book_pdf(book: CashBook) -> bytes:
    """The book as an A4 landscape PDF, signed by the cashier(s) and the chief accountant on paper."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from dichvucong.pdf.layout import build_pdf, esc, frame_width, grid, signature_blocks, styles, title

    pagesize = landscape(A4)
    style = styles(9.5)
    width = frame_width(pagesize)
    story = [
        Paragraph(f"<b>{esc(book.agency.name.upper())}</b>", style["left"]),
        *title("SỔ THU PHÍ, LỆ PHÍ", style, subtitle=f"Ngày {book.day.strftime('%d/%m/%Y')}"),
    ]
    cell = style["small"]
    rows = [[Paragraph(f"<b>{esc(h)}</b>", cell) for h in HEADERS]]
    for row in book.rows:
        values = _row_values(row)
        values[8] = format_vnd(row.amount)
        rows.append([Paragraph(esc(value), cell) for value in values])
    rows.append(
        [Paragraph("", cell)] * 7
        + [Paragraph("<b>Tổng cộng</b>", cell), Paragraph(esc(format_vnd(book.total)), cell), Paragraph("", cell)]
    )
    fractions = [0.04, 0.11, 0.1, 0.13, 0.13, 0.1, 0.1, 0.09, 0.08, 0.12]
    story.append(grid(rows, [width * f for f in fractions]))
    story.append(Spacer(1, 4 * mm))
    summary = [[Paragraph(f"<b>{esc(h)}</b>", cell) for h in ("Hình thức", "Số giao dịch", "Số tiền")]]
    for _method, label, count, total in book.by_method:
        summary.append([Paragraph(esc(label), cell), Paragraph(str(count), cell), Paragraph(format_vnd(total), cell)])
    story.append(grid(summary, [width * 0.3, width * 0.12, width * 0.15]))
    story.append(Spacer(1, 4 * mm))
    codes = [
        [Paragraph(f"<b>{esc(h)}</b>", cell) for h in ("Chương", "Tiểu mục", "Thu tại quầy", "Thu trực tuyến", "Cộng")]
    ]
    for chapter, subsection, desk, online in book.by_budget_code:
        codes.append(
            [
                Paragraph(esc(v), cell)
                for v in (chapter, subsection, format_vnd(desk), format_vnd(online), format_vnd(desk + online))
            ]
        )
    story.append(grid(codes, [width * 0.1, width * 0.1, width * 0.15, width * 0.15, width * 0.15]))
    story.append(Spacer(1, 6 * mm))
    story.append(
        signature_blocks(
            [
                ("NGƯỜI LẬP SỔ", "(Ký, ghi rõ họ tên)", ""),
                ("KẾ TOÁN TRƯỞNG", "(Ký, ghi rõ họ tên)", ""),
                ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)", ""),
            ],
            width=width,
            style=style,
        )
    )
    return build_pdf(
        story,
        pagesize=pagesize,
        title_text=f"Sổ thu phí, lệ phí {book.day.isoformat()}",
        subject=book.agency.code,
        author=book.agency.name,
    )

"""Electronic receipts (biên lai thu phí, lệ phí điện tử): gap-free numbering per agency and year, and the PDF.

The number is taken from the gap-free series `receipt/<agency id>/<year>` of `common.sequences`, in the same
transaction that records the payment, so a rolled-back payment gives its number back and the sequence has no holes
(Decree 11/2020 art. 9 and Decree 123/2020 art. 32: receipts are numbered consecutively within a series).
"""

import io
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import formats, timezone

from dichvucong.audit.services import audit_record
from dichvucong.common.money import format_vnd
from dichvucong.common.sequences import next_value
from dichvucong.pdf.layout import header_lines

from .models import Payment, Receipt

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path(__file__).resolve().parent / "fonts")


def number_key(agency_id: int, year: int) -> str:
    """The series of an agency's receipts in a calendar year."""
    return f"receipt/{agency_id}/{year}"


@transaction.atomic
def receipt_issue(*, actor, payment: Payment) -> Receipt:
    """Number and record the receipt of a paid payment (idempotent: the existing one is returned)."""
    existing = Receipt.objects.filter(payment=payment).first()
    if existing:
        return existing
    paid_at = timezone.localtime(payment.paid_at or timezone.now())
    number = next_value(number_key(payment.agency_id, paid_at.year))
    dossier = payment.dossier
    receipt = Receipt.objects.create(
        payment=payment,
        agency_id=payment.agency_id,
        year=paid_at.year,
        number=number,
        issued_at=paid_at,
        payer_name=dossier.applicant_organisation or dossier.applicant_name,
        payer_address=dossier.applicant_address,
        description=f"Phí, lệ phí hồ sơ {dossier.code}: {dossier.procedure.name}"[:600],
        amount=payment.amount,
        currency=payment.currency,
    )
    audit_record(
        actor=actor,
        action="receipt.issue",
        obj=receipt,
        after={
            "number": receipt.receipt_no,
            "agency": payment.agency_id,
            "amount": receipt.amount,
            "payment": str(payment.uuid),
        },
    )
    return receipt


@cache
def _fonts() -> tuple[str, str]:
    """Register a Unicode TrueType font (Vietnamese diacritics) once; returns (regular, bold) names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSerif.ttf", folder / "DejaVuSerif-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("ReceiptSerif", str(regular)))
            pdfmetrics.registerFont(TTFont("ReceiptSerif-Bold", str(bold)))
            return "ReceiptSerif", "ReceiptSerif-Bold"
    raise RuntimeError("DejaVuSerif.ttf not found: install fonts-dejavu-core")


def render_receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt as an A5 PDF: agency, series and number, payer, content, the fee lines (name, quantity, amount),
    total, transaction."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    width, height = A5
    pdf.setTitle(f"Biên lai {receipt.series} số {receipt.receipt_no}")
    pdf.setAuthor(receipt.agency.name)
    y = height - 18 * mm
    pdf.setFont(regular, 9)
    pdf.drawRightString(width - 12 * mm, y, f"Ký hiệu: {receipt.series}")
    pdf.drawRightString(width - 12 * mm, y - 5 * mm, f"Số: {receipt.receipt_no}")
    # the agency's name left of the series, whole, broken between word groups (never "HƯNG / YÊN")
    names, size = header_lines(receipt.agency.name.upper(), font=bold, size=10, width=width - 24 * mm - 45 * mm)
    pdf.setFont(bold, size)
    for index, line in enumerate(names):
        pdf.drawString(12 * mm, y - index * size * 1.3, line)
    y -= 20 * mm + max(0, len(names) - 2) * size * 1.3
    pdf.setFont(bold, 13)
    pdf.drawCentredString(width / 2, y, "BIÊN LAI THU PHÍ, LỆ PHÍ")
    pdf.setFont(regular, 9)
    pdf.drawCentredString(width / 2, y - 5 * mm, "(Biên lai điện tử)")
    y -= 16 * mm
    issued = formats.date_format(timezone.localtime(receipt.issued_at), "d/m/Y H:i")
    payment = receipt.payment
    lines = [
        ("Người nộp", receipt.payer_name),
        ("Địa chỉ", receipt.payer_address or "—"),
        ("Nội dung", receipt.description),
        ("Số tiền", format_vnd(receipt.amount)),
        ("Hình thức", payment.get_method_display()),
        ("Mã giao dịch", payment.gateway_txn_id or payment.reference or "—"),
        ("Thời điểm", issued),
    ]
    if payment.cashier_id:
        lines.append(("Người thu tiền", payment.cashier.full_name or payment.cashier.get_username()))
    for label, value in lines[:3]:
        y = _labelled(pdf, y, label, value, fonts=(regular, bold))
    y = _fee_lines(pdf, y, payment, fonts=(regular, bold), width=width)
    for label, value in lines[3:]:
        y = _labelled(pdf, y, label, value, fonts=(regular, bold))
    pdf.setFont(regular, 8)
    pdf.drawString(12 * mm, 14 * mm, f"Mã tra cứu: {receipt.uuid}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _labelled(pdf, y: float, label: str, value, *, fonts: tuple[str, str]) -> float:
    from reportlab.lib.units import mm

    regular, bold = fonts
    pdf.setFont(bold, 9)
    pdf.drawString(12 * mm, y, f"{label}:")
    pdf.setFont(regular, 9)
    for chunk in _wrap(str(value), 62):
        pdf.drawString(38 * mm, y, chunk)
        y -= 4.5 * mm
    return y - 2.5 * mm


def _fee_lines(pdf, y: float, payment: Payment, *, fonts: tuple[str, str], width: float) -> float:
    """The fee lines of the assessment paid: name, quantity (pages, copies), amount; an exemption with its reason."""
    from reportlab.lib.units import mm

    regular, bold = fonts
    lines = list(payment.assessment.lines.all()) if payment.assessment_id else []
    if not lines:
        return y
    right = width - 12 * mm
    pdf.setFont(bold, 8.5)
    pdf.drawString(12 * mm, y, "Khoản phí, lệ phí")
    pdf.drawRightString(right - 32 * mm, y, "Số lượng")
    pdf.drawRightString(right, y, "Thành tiền")
    y -= 1.5 * mm
    pdf.line(12 * mm, y, right, y)
    y -= 4 * mm
    pdf.setFont(regular, 8.5)
    for line in lines:
        name = line.name + (f" (miễn: {line.exemption_reason})" if line.exempt else "")
        chunks = _wrap(name, 44)
        pdf.drawRightString(right - 32 * mm, y, str(line.quantity))
        pdf.drawRightString(right, y, format_vnd(line.payable))
        for chunk in chunks:
            pdf.drawString(12 * mm, y, chunk)
            y -= 4 * mm
    pdf.line(12 * mm, y + 2.5 * mm, right, y + 2.5 * mm)
    return y - 3 * mm


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines or [""]

"""The result document as PDF (ReportLab, Vietnamese fonts of `dossiers.forms_pdf`), from a template and a dossier.

Layout of an administrative document (Decree 30/2020/NĐ-CP): national header with the agency, the number and the
place/date, the title, the body, the QR code of the public lookup with the dossier code, and the signature block.
The bottom margin of the last page is left empty for the visible PAdES stamps of the leader and the agency seal
(`signing.pdf_signing` puts them there, slots 0 and 1 from the right).
"""

import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dichvucong.dossiers.forms_pdf import lookup_url
from dichvucong.dossiers.forms_pdf.layout import QRCode, esc, grid, header, short_datetime, styles, title, vn_date

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 15 * mm, 38 * mm  # 38 mm: room for the signature stamps

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)?)\s*\}\}")
MISSING = "……"

#: The placeholders a template body may use (documented in the admin); `form.<field name>` reads the e-form.
PLACEHOLDERS = ("dossier_code", "result_number", "issued_date", "received_date", "procedure_name", "procedure_code",
                "agency_name", "applicant_name", "applicant_id_number", "applicant_address", "applicant_phone",
                "applicant_email", "applicant_organisation", "result_description", "form.<tên trường>")


@dataclass(frozen=True)
class TemplateText:
    title: str
    body: str
    subtitle: str = ""
    layout: str = "extract"


DEFAULT_TEMPLATE = TemplateText(
    title="KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    subtitle="{{ procedure_name }}",
    body=("{{ agency_name }} xác nhận đã giải quyết hồ sơ số {{ dossier_code }} "
          "(tiếp nhận {{ received_date }}) của:\n"
          "Ông/Bà: {{ applicant_name }}\n"
          "Số định danh cá nhân: {{ applicant_id_number }}\n"
          "Địa chỉ: {{ applicant_address }}\n"
          "Kết quả: {{ result_description }}\n"
          "Nội dung theo tờ khai của người nộp hồ sơ:"),
    layout="extract",
)


@dataclass(frozen=True)
class ResultContent:
    """Everything printed on the result: plain data, so the renderer knows nothing of the models."""

    code: str
    number: str
    title: str
    subtitle: str
    paragraphs: list[str]
    agency_name: str
    parent_agency_name: str
    place: str
    issued_on: object
    lookup: str
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    form_rows: list[tuple[str, str]] = field(default_factory=list)


def fill(text: str, values: dict) -> str:
    """Replace `{{ name }}` / `{{ form.field }}` by their values; unknown names print as dots, never as code."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        found = values.get("form", {}).get(name[5:]) if name.startswith("form.") else values.get(name)
        return str(found) if found not in (None, "") else MISSING

    return PLACEHOLDER.sub(value, text or "")


def public_lookup_url(code: str) -> str:
    base = getattr(settings, "PUBLIC_BASE_URL", "") or getattr(settings, "PAYMENT_PUBLIC_BASE_URL", "")
    return lookup_url(code, base_url=base or "")


def _form_value(field_def: dict, value) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def place() -> str:
    """Địa danh of the date line and the signatures' location."""
    return settings.PROVINCE_NAME


def content_for(dossier, template: TemplateText, *, number: str, issued_on, agency=None) -> ResultContent:
    """The text of the result of `dossier`, issued by `agency` (the processing agency; default the receiving one)."""
    procedure, agency = dossier.procedure, agency or dossier.agency
    values = {
        "dossier_code": dossier.code, "result_number": number, "issued_date": vn_date(issued_on),
        "received_date": short_datetime(dossier.received_at), "procedure_name": procedure.name,
        "procedure_code": procedure.code, "agency_name": agency.name, "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number, "applicant_address": dossier.applicant_address,
        "applicant_phone": dossier.applicant_phone, "applicant_email": dossier.applicant_email,
        "applicant_organisation": dossier.applicant_organisation,
        "result_description": procedure.result_description or procedure.name, "form": dossier.form_data or {},
    }
    rows = []
    if template.layout == "extract":
        for field_def in procedure.form_schema or []:
            value = (dossier.form_data or {}).get(field_def.get("name"))
            if value not in (None, ""):
                rows.append((str(field_def.get("label") or field_def.get("name")), _form_value(field_def, value)))
    paragraphs = [line for line in fill(template.body, values).splitlines() if line.strip()]
    return ResultContent(
        code=dossier.code, number=number, title=fill(template.title, values).upper(),
        subtitle=fill(template.subtitle, values), paragraphs=paragraphs, agency_name=agency.name,
        parent_agency_name=agency.parent.name if agency.parent_id else "", place=place(),
        issued_on=issued_on, lookup=public_lookup_url(dossier.code), form_rows=rows)


def render_result_pdf(content: ResultContent) -> bytes:
    """The unsigned result PDF (A4)."""
    style = styles(12)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                            bottomMargin=MARGIN_BOTTOM, title=f"{content.title} - {content.code}",
                            subject=content.code, author=content.agency_name, keywords=content.lookup,
                            creator="dichvucong")
    width = doc.width
    story = [header(parent_agency_name=content.parent_agency_name, agency_name=content.agency_name,
                    place=content.place, issued_at=content.issued_on, number=content.number, width=width,
                    style=style)]
    story += title(content.title, style, f"<b>{esc(content.subtitle)}</b>" if content.subtitle else "")
    story += [Paragraph(esc(line), style["body"]) for line in content.paragraphs]
    if content.form_rows:
        story.append(Spacer(1, 4))
        rows = [[Paragraph("<b>Nội dung</b>", style["small_center"]), Paragraph("<b>Thông tin</b>", style["small_center"])]]
        rows += [[Paragraph(esc(label), style["left"]), Paragraph(esc(value), style["left"])]
                 for label, value in content.form_rows]
        story.append(grid(rows, [width * 0.4, width * 0.6]))
    story.append(Spacer(1, 10))
    story.append(KeepTogether([_closing(content, style, width)]))
    doc.build(story)
    return buffer.getvalue()


def _closing(content: ResultContent, style: dict, width: float) -> Table:
    """QR code of the public lookup (left) and the signature block (right; the digital stamps go below it)."""
    left = [QRCode(content.lookup, size=24 * mm),
            Paragraph(f"Mã hồ sơ: <b>{esc(content.code)}</b>", style["small"]),
            Paragraph(f"Tra cứu: {esc(content.lookup)}", style["url"]),
            Paragraph("Văn bản điện tử có chữ ký số; kiểm tra chữ ký tại trang Xác thực chữ ký số.", style["url"])]
    right = [Paragraph(f"<b>{esc(content.signer_title)}</b>", style["center"]),
             Paragraph("<i>(Đã ký số)</i>", style["small_center"])]
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table

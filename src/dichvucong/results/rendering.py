"""The result document as PDF (ReportLab; the Vietnamese fonts and the layout of `dichvucong.pdf`), from a template
and a dossier.

Layout of an administrative document (Decree 30/2020/NĐ-CP): national header with the agency, the number and the
place/date, the title, the body, the QR code of the public lookup with the dossier code, and the signature block.
The bottom margin of the last page is left empty for the visible PAdES stamps of the leader and the agency seal
(`signing.pdf_signing` puts them there, slots 0 and 1 from the right).
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dichvucong.common.money import group_thousands
from dichvucong.common.search import fold_text
from dichvucong.dossiers.forms_pdf import lookup_url
from dichvucong.pdf.layout import (
    DEFAULT_SIGNER_TITLE,
    QRCode,
    esc,
    grid,
    header,
    place_name,
    short_datetime,
    signer_title_lines,
    styles,
    title,
    vn_date,
)

from .models import ResultDraft


def drafted_values(dossier) -> dict:
    """The values the specialist drafted for the fields no data source fills (`drafting.py`)."""
    return {k: str(v) for k, v in ResultDraft.values_for(dossier).items() if str(v or "").strip()}


MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 15 * mm, 38 * mm  # 38 mm: room for the signature stamps

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)?)\s*\}\}")
MISSING = "……"

#: The placeholders a template body may use (documented in the admin); `form.<field name>` reads the e-form (dates
#: as dd/mm/yyyy, amounts as 1.500.000). `result_name`: what the result is, for a title ("Giấy khai sinh"; the
#: variant the applicant asked for, "Phiếu lý lịch tư pháp số 1", when the e-form says so; else "Kết quả giải
#: quyết thủ tục hành chính"); `result_description`: the same for a sentence (the procedure's name when the catalogue
#: names no result); `issued_date`: "ngày 05 tháng 03 năm 2024", `issued_on`: 05/03/2024; `received_date`:
#: "09:05 04/03/2024", `received_on`: 04/03/2024.
PLACEHOLDERS = (
    "dossier_code",
    "result_number",
    "issued_date",
    "issued_on",
    "received_date",
    "received_on",
    "procedure_name",
    "procedure_code",
    "agency_name",
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "applicant_organisation",
    "result_name",
    "result_description",
    "signer_name",
    "form.<tên trường>",
)
GENERIC_TITLE = "Kết quả giải quyết thủ tục hành chính"


@dataclass(frozen=True)
class TemplateText:
    title: str
    body: str
    subtitle: str = ""
    layout: str = "extract"


DEFAULT_TEMPLATE = TemplateText(
    title="{{ result_name }}",
    subtitle="Thủ tục: {{ procedure_name }}",
    body=(
        "{{ agency_name }} xác nhận đã giải quyết hồ sơ số {{ dossier_code }} "
        "(tiếp nhận {{ received_date }}) của:\n"
        "Ông/Bà: {{ applicant_name }}\n"
        "Số định danh cá nhân: {{ applicant_id_number }}\n"
        "Địa chỉ: {{ applicant_address }}\n"
        "Kết quả: {{ result_description }}\n"
        "Nội dung theo tờ khai của người nộp hồ sơ:"
    ),
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
    signer_title: str = DEFAULT_SIGNER_TITLE  # one line per "\n": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str = ""
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
    """An e-form value as people read it: dates dd/mm/yyyy, amounts 1.500.000, yes/no as Có/Không."""
    kind = field_def.get("type")
    if isinstance(value, bool) or kind == "checkbox":
        return "Có" if value else "Không"
    if kind == "date":
        return _date_text(value)
    if kind == "number":
        return _number_text(value)
    return str(value)


def _date_text(value) -> str:
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    try:
        return f"{datetime.date.fromisoformat(str(value).strip()[:10]):%d/%m/%Y}"
    except ValueError:
        return str(value)  # already written by a person (e.g. "12/05/1990"): as is


def _number_text(value) -> str:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    whole, _, fraction = format(number.normalize(), "f").partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    grouped = group_thousands(int(digits))
    return f"{sign}{grouped}" + (f",{fraction}" if fraction.strip("0") else "")


def form_values(procedure, form_data: dict) -> dict:
    """The e-form's values keyed by field name, formatted for print (fields not in the schema as they are)."""
    values = {name: value for name, value in (form_data or {}).items() if value not in (None, "")}
    for field_def in procedure.form_schema or []:
        name = field_def.get("name")
        if name in values:
            values[name] = _form_value(field_def, values[name])
    return values


# "Phiếu lý lịch tư pháp số 1 hoặc số 2" → "Phiếu lý lịch tư pháp" (the catalogue lists the variants)
_VARIANTS = re.compile(
    r"^(?P<name>.+?)\s+(?P<kind>số|loại|mẫu|hạng)\s+\S+(?:\s*(?:,|hoặc)\s*(?:(?P=kind)\s+)?\S+)+$", re.IGNORECASE
)


def _catalogue_result_name(procedure) -> str:
    """The name of the document the procedure gives, from the catalogue's result description: its first item
    without remarks ("Giấy khai sinh (bản chính); bản sao ... nếu có yêu cầu" → "Giấy khai sinh"), a list of
    variants reduced to their common name; "" when the catalogue says nothing."""
    text = (procedure.result_description or "").split(";")[0]
    text = " ".join(re.sub(r"\([^)]*\)", " ", text).split()).strip(" .,:")
    match = _VARIANTS.match(text)
    return match.group("name") if match else text


def requested_variant(procedure, form_data: dict, name: str) -> str:
    """The variant of the result the e-form asks for: the value of a select field whose choices are variants of
    the result ("Loại phiếu yêu cầu: Phiếu lý lịch tư pháp số 1" for "Phiếu lý lịch tư pháp số 1 hoặc số 2")."""
    folded = fold_text(name)
    if not folded:
        return ""
    for field_def in procedure.form_schema or []:
        value = (form_data or {}).get(field_def.get("name"))
        if (
            field_def.get("type") == "select"
            and isinstance(value, str)
            and f"{fold_text(value)} ".startswith(f"{folded} ")
        ):
            return value.strip()
    return ""


def place(agency=None) -> str:
    """Địa danh of the date line and the signatures' location: the commune's or district's name for their
    documents, the province's otherwise (`pdf.layout.place_name`, Decree 30/2020)."""
    return place_name(agency, settings.PROVINCE_NAME) if agency is not None else settings.PROVINCE_NAME


def content_for(dossier, template: TemplateText, *, number: str, issued_on, agency=None, signer=None) -> ResultContent:
    """The text of the result of `dossier`, issued by `agency` (the processing agency; default the receiving one)
    and signed by `signer` (the leader: name and title under the signature)."""
    procedure, agency = dossier.procedure, agency or dossier.agency
    form_data = dossier.form_data or {}
    catalogue_name = _catalogue_result_name(procedure)
    variant = requested_variant(procedure, form_data, catalogue_name)
    signer_name = signer.display_name if signer is not None else ""
    signer_title = signer_title_lines(getattr(signer, "job_title", ""), agency.name)
    values = {
        "dossier_code": dossier.code,
        "result_number": number,
        "issued_date": vn_date(issued_on),
        "issued_on": _date_text(issued_on) if issued_on else "",
        "received_date": short_datetime(dossier.received_at),
        "received_on": _date_text(timezone.localtime(dossier.received_at)) if dossier.received_at else "",
        "procedure_name": procedure.name,
        "procedure_code": procedure.code,
        "agency_name": agency.name,
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_address": dossier.applicant_address,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_organisation": dossier.applicant_organisation,
        "result_name": variant or catalogue_name or GENERIC_TITLE,
        "result_description": variant or catalogue_name or procedure.name,
        "signer_name": signer_name,
        "form": {**drafted_values(dossier), **form_values(procedure, form_data)},
    }
    rows = []
    if template.layout == "extract":
        for field_def in procedure.form_schema or []:
            value = values["form"].get(field_def.get("name"))
            if value not in (None, ""):
                rows.append((str(field_def.get("label") or field_def.get("name")), str(value)))
    paragraphs = [line for line in fill(template.body, values).splitlines() if line.strip()]
    return ResultContent(
        code=dossier.code,
        number=number,
        title=fill(template.title, values).upper(),
        subtitle=fill(template.subtitle, values),
        paragraphs=paragraphs,
        agency_name=agency.name,
        parent_agency_name=agency.parent.name if agency.parent_id else "",
        place=place(agency),
        issued_on=issued_on,
        lookup=public_lookup_url(dossier.code),
        form_rows=rows,
        signer_title=signer_title,
        signer_name=signer_name,
    )


def render_result_pdf(content: ResultContent) -> bytes:
    """The unsigned result PDF (A4)."""
    style = styles(12)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{content.title} - {content.code}",
        subject=content.code,
        author=content.agency_name,
        keywords=content.lookup,
        creator="dichvucong",
    )
    width = doc.width
    story = [
        header(
            parent_agency_name=content.parent_agency_name,
            agency_name=content.agency_name,
            place=content.place,
            issued_at=content.issued_on,
            number=content.number,
            width=width,
            style=style,
        )
    ]
    story += title(content.title, style, f"<b>{esc(content.subtitle)}</b>" if content.subtitle else "")
    story += [Paragraph(esc(line), style["body"]) for line in content.paragraphs]
    if content.form_rows:
        story.append(Spacer(1, 4))
        rows = [
            [Paragraph("<b>Nội dung</b>", style["small_center"]), Paragraph("<b>Thông tin</b>", style["small_center"])]
        ]
        rows += [
            [Paragraph(esc(label), style["left"]), Paragraph(esc(value), style["left"])]
            for label, value in content.form_rows
        ]
        story.append(grid(rows, [width * 0.4, width * 0.6]))
    story.append(Spacer(1, 10))
    story.append(KeepTogether([_closing(content, style, width)]))
    doc.build(story)
    return buffer.getvalue()


def _closing(content: ResultContent, style: dict, width: float) -> Table:
    """QR code of the public lookup (left) and the signature block (right; the digital stamps go below it)."""
    left = [
        QRCode(content.lookup, size=24 * mm),
        Paragraph(f"Mã hồ sơ: <b>{esc(content.code)}</b>", style["small"]),
        Paragraph(f"Tra cứu: {esc(content.lookup)}", style["url"]),
        Paragraph("Văn bản điện tử có chữ ký số; kiểm tra chữ ký tại trang Xác thực chữ ký số.", style["url"]),
    ]
    right = [
        Paragraph(
            "<b>" + "<br/>".join(esc(line) for line in content.signer_title.splitlines()) + "</b>", style["center"]
        ),
        Paragraph("<i>(Đã ký số)</i>", style["small_center"]),
    ]
    if content.signer_name:
        right += [Spacer(1, 6 * mm), Paragraph(f"<b>{esc(content.signer_name)}</b>", style["center"])]
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table

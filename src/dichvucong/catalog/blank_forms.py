"""Blank forms of a procedure's documents («Mẫu đơn, tờ khai»), downloadable per document (issue 18 item 5).

A document with its own form file (`RequiredDocument.form_file`, the official template uploaded by the catalogue
managers) is served as is. A declaration (tờ khai, đơn, mẫu) without one is printed from the procedure's e-form
(`form_schema`): the national header, the document's name as title, one dotted line per e-form field, the
declarant's signature block — so a walk-in applicant can fill it by hand.
"""

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, Spacer

from dichvucong.common.search import fold_text
from dichvucong.pdf.layout import NATION, build_pdf, esc, frame_width, signature_blocks, styles, title

from .models import Procedure, RequiredDocument

#: Folded words that name a form to fill in.
FORM_WORDS = ("to khai", "don ", "mau ", "phieu", "ban khai")


def has_blank_form(procedure: Procedure, document: RequiredDocument) -> bool:
    if document.form_file:
        return True
    name = fold_text(document.name) + " "
    return bool(procedure.form_schema) and any(word in name for word in FORM_WORDS)


def document_at(procedure: Procedure, number: int) -> RequiredDocument | None:
    """The procedure's `number`-th document (1-based, catalogue order): public addresses carry no row id."""
    documents = list(procedure.required_documents.order_by("order", "id"))
    return documents[number - 1] if 1 <= number <= len(documents) else None


def mark_blank_forms(procedure: Procedure, documents) -> list[RequiredDocument]:
    """`documents` (the procedure's, catalogue order) with `blank_form_number` set on those with a blank form."""
    documents = list(documents)
    for number, document in enumerate(documents, start=1):
        document.blank_form_number = number if has_blank_form(procedure, document) else None
    return documents


def blank_form_pdf(procedure: Procedure, document: RequiredDocument) -> bytes:
    style = styles(11)
    width = frame_width(A4)
    story = [
        Paragraph(f"<b>{esc(NATION)}</b>", style["center"]),
        Paragraph("<b>Độc lập - Tự do - Hạnh phúc</b>", style["center"]),
        Spacer(1, 6),
        *title(document.name.upper(), style, subtitle=esc(f"({procedure.code} – {procedure.name})")),
        Paragraph("Kính gửi: " + "." * 90, style["left"]),
        Spacer(1, 6),
    ]
    for item in procedure.form_schema or []:
        label = item.get("label") or item["name"]
        if item.get("type") == "select" and item.get("choices"):
            options = "   ".join(f"[  ] {esc(choice)}" for choice in item["choices"])
            story.append(Paragraph(f"{esc(label)}: {options}", style["left"]))
        elif item.get("type") == "checkbox":
            story.append(Paragraph(f"[  ] {esc(label)}", style["left"]))
        else:
            story.append(Paragraph(f"{esc(label)}: " + "." * max(20, 95 - len(label)), style["left"]))
        story.append(Spacer(1, 5))
    story += [
        Spacer(1, 6),
        Paragraph(
            "Tôi xin cam đoan những nội dung khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
            style["body"],
        ),
        Spacer(1, 8),
        Paragraph("<i>......., ngày ...... tháng ...... năm ..........</i>", style["center"]),
        signature_blocks([("NGƯỜI KHAI", "(Ký và ghi rõ họ tên)", "")], width=width, style=style),
    ]
    return build_pdf(story, pagesize=A4, title_text=document.name, subject=procedure.code, author="dichvucong")

"""Layout of the printed documents (the forms of Circular 01/2018/TT-VPCP, the result, the receipt): national
header, titles, signature blocks, grids, QR code, Vietnamese dates.

The header follows the administrative document layout of Decree 30/2020/NĐ-CP: on the left the managing agency
(upper case) and the issuing unit (bold upper case, underlined by a short rule), on the right the national motto
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and the place and date in italics.
"""

import datetime
import io
from xml.sax.saxutils import escape

import qrcode
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import register_fonts

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def esc(value) -> str:
    return escape(str(value if value is not None else ""))


def styles(base_size: float = 10.5) -> dict[str, ParagraphStyle]:
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=base_size, leading=base_size * 1.3, alignment=TA_JUSTIFY)
    return {
        "body": body,
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=base_size - 2, leading=(base_size - 2) * 1.25, alignment=TA_LEFT
        ),
        "small_center": ParagraphStyle(
            "small_center", parent=body, fontSize=base_size - 2, leading=(base_size - 2) * 1.25, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=base_size + 2,
            leading=(base_size + 2) * 1.3,
            alignment=TA_CENTER,
            spaceBefore=4,
        ),
        "header": ParagraphStyle(
            "header", parent=body, fontSize=base_size - 1.5, leading=(base_size - 1.5) * 1.3, alignment=TA_CENTER
        ),
        "nation": ParagraphStyle(
            "nation",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=base_size - 2,
            leading=(base_size - 1.5) * 1.3,
            alignment=TA_CENTER,
        ),
        "url": ParagraphStyle("url", parent=body, fontSize=6.5, leading=8, alignment=TA_LEFT),
    }


# --- dates -----------------------------------------------------------------------------------------------------------


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def vn_date(value) -> str:
    """ "ngày 05 tháng 03 năm 2024" (blank dots when unknown, as on the paper form)."""
    value = _local(value)
    if value is None:
        return "ngày ..... tháng ..... năm ........"
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def vn_datetime(value) -> str:
    """ "09 giờ 00 phút, ngày 05 tháng 03 năm 2024"; a plain date prints the date only."""
    value = _local(value)
    if value is None:
        return "..... giờ ..... phút, " + vn_date(None)
    if isinstance(value, datetime.datetime):
        return f"{value.hour:02d} giờ {value.minute:02d} phút, {vn_date(value)}"
    return vn_date(value)


def short_datetime(value) -> str:
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%H:%M %d/%m/%Y}"
    return f"{value:%d/%m/%Y}"


def number_text(value) -> str:
    """2 → "2", Decimal("0.5") → "0,5" (Vietnamese decimal comma)."""
    text = format(value, "f") if not isinstance(value, int) else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- building blocks -------------------------------------------------------------------------------------------------


class QRCode(Flowable):
    """A QR code of `url`, clickable in the PDF (link annotation), with the address printed under it."""

    def __init__(self, url: str, size: float = 22 * mm) -> None:
        super().__init__()
        self.url, self.size = url, size
        image = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=1)
        image.add_data(url)
        image.make(fit=True)
        buffer = io.BytesIO()
        image.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        buffer.seek(0)
        self.image = ImageReader(buffer)

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.drawImage(self.image, 0, 0, width=self.size, height=self.size)
        self.canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1)


#: Common phrases of a managing agency's name that Decree 30/2020 (Appendix I) allows to abbreviate in the header.
HEADER_ABBREVIATIONS = (("ỦY BAN NHÂN DÂN", "UBND"), ("UỶ BAN NHÂN DÂN", "UBND"), ("HỘI ĐỒNG NHÂN DÂN", "HĐND"))
#: Words that open a word group of an agency name: a header line breaks before them, never inside "TỈNH HƯNG YÊN".
HEADER_GROUP_STARTS = (
    "TỈNH",
    "THÀNH PHỐ",
    "HUYỆN",
    "QUẬN",
    "THỊ XÃ",
    "THỊ TRẤN",
    "XÃ",
    "PHƯỜNG",
    "SỞ",
    "PHÒNG",
    "CHI CỤC",
    "TRUNG TÂM",
    "BỘ PHẬN",
    "UBND",
    "ỦY BAN NHÂN DÂN",
    "UỶ BAN NHÂN DÂN",
)
#: ... unless they are part of a phrase: "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "PHÒNG CHÁY VÀ CHỮA CHÁY".
HEADER_NOT_STARTS = ("XÃ HỘI", "PHÒNG CHÁY", "PHÒNG CHỐNG", "PHÒNG NGỪA", "PHÒNG BỆNH")
HEADER_MIN_SCALE = 0.85  # a header line may shrink to 85 % of the style's size before it is wrapped


def _opens_group(words: list[str], index: int) -> bool:
    def starts(text: str, phrases) -> bool:
        return any(text == phrase or text.startswith(phrase + " ") for phrase in phrases)

    rest = " ".join(words[index:])
    if starts(rest, HEADER_NOT_STARTS) or (index and starts(f"{words[index - 1]} {rest}", HEADER_GROUP_STARTS)):
        return False  # "XÃ HỘI"; "XÃ" of "THỊ XÃ", "CỤC" of "CHI CỤC"
    return starts(rest, HEADER_GROUP_STARTS)


def _word_groups(text: str) -> list[str]:
    """ "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ - SỞ TƯ PHÁP TỈNH HƯNG YÊN" → ["BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ -",
    "SỞ TƯ PHÁP", "TỈNH HƯNG YÊN"]: a group starts at an administrative word."""
    words, groups = text.split(), []
    for index, word in enumerate(words):
        if not groups or _opens_group(words, index):
            groups.append([word])
        else:
            groups[-1].append(word)
    return [" ".join(group) for group in groups]


def _balanced(words: list[str], font: str, size: float, width: float) -> list[str]:
    """Words on as few lines as fit `width`, the lines as even as possible (a single long group), preferring to
    break before "VÀ" or after a dash ("CẢNH SÁT PHÒNG CHÁY / VÀ CHỮA CHÁY")."""
    for count in range(1, len(words) + 1):
        best = None
        for cuts in _cut_points(len(words), count):
            lines = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)), strict=True)]
            widest = max(pdfmetrics.stringWidth(line, font, size) for line in lines)
            good = sum(words[cut] == "VÀ" or words[cut - 1] == "-" for cut in cuts)
            cost = widest * (1 - 0.2 * good / max(len(cuts), 1))
            if widest <= width and (best is None or cost < best[0]):
                best = (cost, lines)
        if best:
            return best[1]
    return words


def _cut_points(length: int, count: int):
    if count == 1:
        yield ()
        return
    for first in range(1, length - count + 2):
        for rest in _cut_points(length - first, count - 1):
            yield (first, *(first + cut for cut in rest))


def header_lines(
    text: str, *, font: str, size: float, width: float, abbreviate: bool = False, min_scale: float = HEADER_MIN_SCALE
) -> tuple[list[str], float]:
    """Lay an upper-case agency name out in a header column of `width` points: (lines, font size).

    In this order: one line at `size`; one line with the abbreviations of Decree 30/2020 (`abbreviate`, the managing
    agency: "UBND TỈNH HƯNG YÊN"); one line at a size down to `min_scale` × `size`; else lines broken between word
    groups (so "HƯNG YÊN" or "SỞ TƯ PHÁP" is never split), a group too long for a line being split evenly.
    """
    text = " ".join(text.split())
    candidates = [text]
    if abbreviate:
        short = text
        for phrase, abbreviation in HEADER_ABBREVIATIONS:
            short = short.replace(phrase, abbreviation)
        if short != text:
            candidates.append(short)
    for candidate in candidates:
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            return [candidate], size
    text = candidates[-1]
    natural = pdfmetrics.stringWidth(text, font, size)
    if natural * min_scale <= width:
        return [text], size * width / natural
    lines: list[str] = []
    for group in _word_groups(text):
        joined = f"{lines[-1]} {group}" if lines else group
        if lines and pdfmetrics.stringWidth(joined, font, size) <= width:
            lines[-1] = joined
        elif pdfmetrics.stringWidth(group, font, size) <= width:
            lines.append(group)
        else:
            lines += _balanced(group.split(), font, size, width)
    # "... TRẢ KẾT QUẢ -" / "SỞ TƯ PHÁP": the line break replaces the dash between two agencies
    return [
        line[:-2] if line.endswith(" -") and _opens_group(following.split(), 0) else line
        for line, following in zip(lines, [*lines[1:], ""], strict=True)
    ], size


def _header_paragraph(
    text: str, style: ParagraphStyle, width: float, *, bold: bool = False, abbreviate: bool = False
) -> Paragraph:
    font = f"{style.fontName}-Bold" if bold else style.fontName
    lines, size = header_lines(text, font=font, size=style.fontSize, width=width, abbreviate=abbreviate)
    fitted = ParagraphStyle(f"{style.name}_fitted", parent=style, fontSize=size, leading=size * 1.3)
    markup = "<br/>".join(esc(line) for line in lines)
    return Paragraph(f"<b>{markup}</b>" if bold else markup, fitted)


def header(
    *, parent_agency_name: str, agency_name: str, place: str, issued_at, number: str, width: float, style: dict
) -> Table:
    """The two-column national header with the number line and the place/date line.

    The agency names are laid out by `header_lines`: never broken inside a word group ("HƯNG YÊN").
    """
    right_width = width * 0.56
    left_width = width - right_width
    text_width = left_width - 4
    left = []
    if parent_agency_name:
        left.append(_header_paragraph(parent_agency_name.upper(), style["header"], text_width, abbreviate=True))
    left.append(_header_paragraph(agency_name.upper(), style["header"], text_width, bold=True))
    left.append(
        HRFlowable(width="35%", thickness=0.6, color=colors.black, hAlign="CENTER", spaceBefore=1, spaceAfter=3)
    )
    left.append(Paragraph(f"Số: {esc(number) if number else '........'}", style["header"]))
    nation_style = style["nation"]
    fitted = (right_width - 4) / pdfmetrics.stringWidth(NATION, nation_style.fontName, 1)
    if fitted < nation_style.fontSize:  # the motto line is never wrapped: shrink it to the column
        nation_style = ParagraphStyle("nation_fitted", parent=nation_style, fontSize=fitted)
    right = [
        Paragraph(NATION, nation_style),
        Paragraph(f"<b>{MOTTO}</b>", style["header"]),
        HRFlowable(width="50%", thickness=0.6, color=colors.black, hAlign="CENTER", spaceBefore=1),
        Spacer(1, 6),
        Paragraph(f"<i>{esc(place)}, {vn_date(issued_at or timezone.localdate())}</i>", style["header"]),
    ]
    table = Table([[left, right]], colWidths=[left_width, right_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def title(text: str, style: dict, subtitle: str = "") -> list:
    items = [Spacer(1, 8), Paragraph(esc(text), style["title"])]
    if subtitle:
        items.append(Paragraph(subtitle, style["center"]))
    items.append(Spacer(1, 6))
    return items


def signature_blocks(blocks: list[tuple[str, str, str]], *, width: float, style: dict) -> Table:
    """Side-by-side blocks of (title, instruction, name): e.g. ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", "...")."""
    cells = [
        [
            Paragraph(f"<b>{esc(heading).replace(chr(10), '<br/>')}</b>", style["center"]),
            Paragraph(f"<i>{esc(hint)}</i>", style["small_center"]),
            Spacer(1, 16 * mm),
            Paragraph(f"<b>{esc(name)}</b>", style["center"]),
        ]
        for heading, hint, name in blocks
    ]
    table = Table([cells], colWidths=[width / len(blocks)] * len(blocks))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


QR_SIZE = 17 * mm


def _qr_page_footer(url: str):
    """Draw the QR code (clickable) and the lookup address at the bottom of every page, inside the bottom margin."""
    qr = QRCode(url, size=QR_SIZE)

    def draw(canvas, doc):
        canvas.saveState()
        x, y = doc.leftMargin, 4 * mm
        qr.canv = canvas
        canvas.translate(x, y)
        qr.draw()
        font = register_fonts()
        canvas.setFont(font, 7)
        canvas.drawString(QR_SIZE + 3 * mm, QR_SIZE - 6 * mm, "Tra cứu tình trạng hồ sơ: quét mã QR hoặc truy cập")
        canvas.setFont(font, 6.5)
        canvas.drawString(QR_SIZE + 3 * mm, QR_SIZE - 10 * mm, url)
        canvas.restoreState()

    return draw


def grid(rows: list[list], col_widths: list[float], *, header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEEEEE")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def build_pdf(
    story: list, *, pagesize, title_text: str, subject: str, author: str, qr_url: str = "", margins=(15 * mm, 12 * mm)
) -> bytes:
    """Lay the story out and return the PDF bytes (metadata: title, subject = dossier code, author = agency).

    With `qr_url`, every page carries the QR code of the public lookup in its bottom margin (so each copy has one).
    """
    register_fonts()
    buffer = io.BytesIO()
    horizontal, vertical = margins
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=horizontal,
        rightMargin=horizontal * 0.7,
        topMargin=vertical,
        bottomMargin=QR_SIZE + 7 * mm if qr_url else vertical,
        title=title_text,
        subject=subject,
        keywords=qr_url,
        author=author,
        creator="dichvucong",
    )
    on_page = _qr_page_footer(qr_url) if qr_url else (lambda canvas, doc: None)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def frame_width(pagesize, margins=(15 * mm, 12 * mm)) -> float:
    return pagesize[0] - margins[0] * 1.7 - 12  # SimpleDocTemplate's frame has 6 pt padding on each side


# --- who signs, where ------------------------------------------------------------------------------------------------
DEFAULT_SIGNER_TITLE = "THỦ TRƯỞNG CƠ QUAN"
_UNIT_PREFIXES = ("Ủy ban nhân dân ", "UBND ")
_COMMUNE_PREFIXES = ("thị trấn ", "phường ", "xã ", "đặc khu ")
_DISTRICT_PREFIXES = ("thành phố ", "thị xã ", "huyện ", "quận ")


def _strip_prefix(text: str, prefixes) -> str:
    for prefix in prefixes:
        if text.lower().startswith(prefix.lower()):
            return text[len(prefix) :].strip()
    return text


def place_name(agency, province: str) -> str:
    """The địa danh of a document's date line (Decree 30/2020/NĐ-CP, Appendix I, I.4): a commune-level body writes
    the name of its commune ("Lạc Đạo"), a district-level body that of its district ("Văn Lâm"), a provincial body
    the province's ("Hưng Yên"). `agency` needs `tier`, `name` and `short_name`."""
    tier = getattr(agency, "tier", "")
    if tier not in ("commune", "district"):
        return province
    prefixes = _COMMUNE_PREFIXES if tier == "commune" else _DISTRICT_PREFIXES
    name = (getattr(agency, "short_name", "") or "").strip() or getattr(agency, "name", "")
    name = _strip_prefix(_strip_prefix(name, _UNIT_PREFIXES), prefixes)
    return name or province


def signer_title_lines(job_title: str, agency_name: str) -> str:
    """The signer's title above the signature (Decree 30/2020 art. 12): "Phó Giám đốc Sở Tư pháp" of the Sở Tư pháp
    → "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" (signing on behalf of the head); no job title → "THỦ TRƯỞNG CƠ QUAN"."""
    title = " ".join((job_title or "").split())
    for suffix in {agency_name, agency_name.replace("Ủy ban nhân dân", "UBND")}:
        if suffix and title.lower().endswith(" " + suffix.lower()):
            title = title[: -len(suffix) - 1].strip()
    if not title:
        return DEFAULT_SIGNER_TITLE
    if title.lower().startswith("phó ") and len(title) > 4:
        return f"KT. {title[4:].upper()}\n{title.upper()}"
    return title.upper()

"""The one place that finds the TTF fonts of the printed documents (forms, results, signature stamps).

Official documents are set in Times New Roman (Decree 30/2020/NĐ-CP on administrative documents); Liberation Serif
has the same metrics and every Vietnamese letter, DejaVu Serif has them too. We look for the families in this order
in `settings.PDF_FONT_DIRS` (optional list of folders) and the usual system folders, keep the first whose regular and
bold faces draw every Vietnamese letter, and register it with ReportLab as "DCVSerif" (with <b>/<i> in paragraphs).

Debian: `apt-get install fonts-liberation` or `fonts-dejavu-core` (the CI script installs the latter).
"""

import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from dichvucong.common.errors import DomainError

FONT_NAME = "DCVSerif"
VIETNAMESE_LETTERS = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)

FAMILIES = [
    (
        "Liberation Serif",
        {
            "regular": "LiberationSerif-Regular.ttf",
            "bold": "LiberationSerif-Bold.ttf",
            "italic": "LiberationSerif-Italic.ttf",
            "bold_italic": "LiberationSerif-BoldItalic.ttf",
        },
    ),
    (
        "DejaVu Serif",
        {
            "regular": "DejaVuSerif.ttf",
            "bold": "DejaVuSerif-Bold.ttf",
            "italic": "DejaVuSerif-Italic.ttf",
            "bold_italic": "DejaVuSerif-BoldItalic.ttf",
        },
    ),
]
SYSTEM_FONT_DIRS = [
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
]


class PdfFontMissing(DomainError):
    status_code = 500
    default_code = "pdf_font_missing"


def _font_dirs() -> list[Path]:
    configured = getattr(settings, "PDF_FONT_DIRS", None) or []
    if isinstance(configured, str):
        configured = [part for part in configured.split(os.pathsep) if part]
    return [Path(folder) for folder in [*configured, *SYSTEM_FONT_DIRS] if Path(folder).is_dir()]


def _find(file_name: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        direct = folder / file_name
        if direct.is_file():
            return direct
    for folder in folders:
        found = next(folder.rglob(file_name), None)
        if found is not None:
            return found
    return None


def _covers_vietnamese(path: Path) -> bool:
    try:
        face = TTFont("probe", str(path)).face
    except TTFError:
        return False
    return all(ord(letter) in face.charToGlyph for letter in VIETNAMESE_LETTERS)


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """{"family", "regular", "bold", "italic", "bold_italic"}: the first usable family (italic falls back)."""
    folders = _font_dirs()
    for family, faces in FAMILIES:
        regular, bold = _find(faces["regular"], folders), _find(faces["bold"], folders)
        if not (regular and bold and _covers_vietnamese(regular) and _covers_vietnamese(bold)):
            continue
        italic = _find(faces["italic"], folders) or regular
        bold_italic = _find(faces["bold_italic"], folders) or bold
        return {"family": family, "regular": regular, "bold": bold, "italic": italic, "bold_italic": bold_italic}
    raise PdfFontMissing(
        "Không tìm thấy phông chữ TTF có đủ chữ tiếng Việt để in biểu mẫu (cần Liberation Serif hoặc DejaVu Serif: "
        "cài gói fonts-liberation hoặc fonts-dejavu-core, hoặc đặt PDF_FONT_DIRS)."
    )


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the family with ReportLab once per process; returns the base font name to use."""
    files = font_files()
    names = {
        "regular": FONT_NAME,
        "bold": f"{FONT_NAME}-Bold",
        "italic": f"{FONT_NAME}-Italic",
        "bold_italic": f"{FONT_NAME}-BoldItalic",
    }
    for face, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(files[face])))
    pdfmetrics.registerFontFamily(
        FONT_NAME, normal=names["regular"], bold=names["bold"], italic=names["italic"], boldItalic=names["bold_italic"]
    )
    return FONT_NAME

"""What a file really is, decided by its content (magic bytes), never by its name or the browser's claim.

Allowed (Decree 45/2020 and TT 01/2018 practice for e-dossiers): PDF, JPEG, PNG, Word (DOC, DOCX) and Excel
(XLS, XLSX). DOCX/XLSX are ZIP packages recognised by their `word/` / `xl/` parts; legacy DOC/XLS are OLE2
compound files (`D0 CF 11 E0 A1 B1 1A E1`) recognised by their `WordDocument` / `Workbook` streams. The file's
extension must name the same type, so a renamed executable (`setup.exe` → `giay-to.pdf`) is refused.
"""

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PyPdfError


@dataclass(frozen=True)
class FileKind:
    key: str
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    kind.key: kind
    for kind in [
        FileKind("pdf", "application/pdf", (".pdf",)),
        FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg")),
        FileKind("png", "image/png", (".png",)),
        FileKind("doc", "application/msword", (".doc",)),
        FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
        FileKind("xls", "application/vnd.ms-excel", (".xls",)),
        FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    ]
}
ALLOWED_EXTENSIONS = tuple(ext for kind in KINDS.values() for ext in kind.extensions)

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = b"PK\x03\x04"


def _ole2_kind(stream: BinaryIO) -> str | None:
    stream.seek(0)
    data = stream.read()
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return None


def _zip_kind(stream: BinaryIO) -> str | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return None


def sniff(stream: BinaryIO) -> FileKind | None:
    """The allowed kind of the file's content, or None (not an allowed type: executables, archives, scripts)."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    key = None
    if head.startswith(_OLE2):
        key = _ole2_kind(stream)
    elif head.startswith(_ZIP):
        key = _zip_kind(stream)
    else:
        guessed = filetype.guess(head)
        mime = guessed.mime if guessed else ""
        key = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}.get(mime)
    stream.seek(0)
    return KINDS.get(key) if key else None


def extension_matches(filename: str, kind: FileKind) -> bool:
    name = (filename or "").lower()
    return any(name.endswith(ext) for ext in kind.extensions)


# --- active content and decompression bombs (issue 12, item 8) ---------------------------------------------------
#: Markup a browser would run if it ever rendered the file as a page (a PDF/HTML polyglot): refused in any file.
_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|script|body|iframe|svg|object|embed)[\s>/]", re.IGNORECASE)
#: PDF actions that run code or other programs when the file is opened or clicked.
PDF_ACTIVE_NAMES = {"/JavaScript", "/JS", "/Launch", "/RichMedia", "/XFA"}
_PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
_ZIP_CHUNK = 64 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_PDF_OBJECTS = 200_000


def inflated_limit() -> int:
    return int(getattr(settings, "UPLOAD_MAX_INFLATED_BYTES", 50 * 1024 * 1024))


def inflate_ratio_limit() -> int:
    return int(getattr(settings, "UPLOAD_MAX_INFLATE_RATIO", 100))


def _decode_name(raw: bytes) -> str:
    """A PDF name with its #xx escapes decoded (`/J#61vaScript` is `/JavaScript`)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _pdf_active_names(stream: BinaryIO) -> set[str]:
    """Active-content names of a PDF: in its raw bytes, then in every object once parsed (names inside compressed
    object streams are only visible there)."""
    stream.seek(0)
    data = stream.read()
    found = {_decode_name(raw) for raw in _PDF_NAME.findall(data)} & PDF_ACTIVE_NAMES
    if found:
        return found
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        size = min(int(reader.trailer.get("/Size", 0)), MAX_PDF_OBJECTS)
        for number in range(1, size):
            try:
                obj = reader.get_object(number)
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
                continue
            if hasattr(obj, "keys"):
                keys = set(obj.keys())
                kind = obj.get("/S")
                found |= keys & PDF_ACTIVE_NAMES
                if kind in PDF_ACTIVE_NAMES:
                    found.add(str(kind))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        return found  # unreadable structure: the raw scan above is what we can say
    return found


def _zip_problem(stream: BinaryIO, size: int) -> str | None:
    """ "bomb" when an office package inflates beyond the size or ratio limits (declared sizes first, then the real
    bytes, inflated in bounded chunks: a forged central directory cannot hide a bomb), else None."""
    stream.seek(0)
    limit = min(inflated_limit(), max(size, 1) * inflate_ratio_limit())
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > limit:
                return "bomb"
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(_ZIP_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            return "bomb"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError):
        return "broken"
    return None


def active_content_problem(stream: BinaryIO, kind: FileKind, size: int) -> tuple[str, str] | None:
    """(code, detail) when the file carries active content or is a decompression bomb, else None."""
    stream.seek(0)
    head = stream.read(1024 * 1024)
    stream.seek(0)
    if kind.key in ("pdf", "jpeg", "png", "doc", "xls") and _MARKUP.search(head):
        return "file_active_content", "markup"
    if kind.key == "pdf":
        names = _pdf_active_names(stream)
        stream.seek(0)
        if names:
            return "file_active_content", ", ".join(sorted(names))
    if kind.key in ("docx", "xlsx"):
        problem = _zip_problem(stream, size)
        stream.seek(0)
        if problem:
            return ("file_zip_bomb" if problem == "bomb" else "file_damaged"), problem
    return None

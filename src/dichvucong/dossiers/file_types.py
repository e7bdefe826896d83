"""What a file really is, decided by its content (magic bytes), never by its name or the browser's claim.

Allowed (Decree 45/2020 and TT 01/2018 practice for e-dossiers): PDF, JPEG, PNG, Word (DOC, DOCX) and Excel
(XLS, XLSX). DOCX/XLSX are ZIP packages recognised by their `word/` / `xl/` parts; legacy DOC/XLS are OLE2
compound files (`D0 CF 11 E0 A1 B1 1A E1`) recognised by their `WordDocument` / `Workbook` streams. The file's
extension must name the same type, so a renamed executable (`setup.exe` → `giay-to.pdf`) is refused.
"""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype


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

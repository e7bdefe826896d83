"""PAdES signing of PDF bytes with pyHanko, independent of the database (services.py adds rules and audit).

Each signature is an approval signature appended as an incremental update (ETSI EN 319 142-1, PAdES B-B), so a
second signature (the agency seal stamped by the clerk after the leader signed) leaves the first one intact:
the verifier sees the first signature covering its revision and only signature-related changes after it.
"""

import io
import logging
import unicodedata
from dataclasses import dataclass

from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from dichvucong.common.errors import ValidationFailed
from dichvucong.pdf.fonts import PdfFontMissing, font_files

from .backends import SignerBackend

logger = logging.getLogger(__name__)

STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN = 220, 60, 36
STAMP_FONT_SIZE = 10  # the font engine's and the text box's size must agree (else the lines drift sideways)
STAMP_LEADING = 13  # room for the marks above Vietnamese capitals and vowels
#: The signing time on the stamp as people write it (dd/mm/yyyy), with the UTC offset: "26/11/2026 08:44:48 +07".
STAMP_TIME_FORMAT = "%d/%m/%Y %H:%M:%S %Z"


@dataclass(frozen=True)
class StampPlacement:
    """Where a visible signature goes: page index (0-based, -1 = last page) and the slot counted from the right."""

    page: int = -1
    slot: int = 0


class _ThousandthsGlyphAccumulator(GlyphAccumulator):
    """pyHanko's GlyphAccumulator writes the glyph widths (the font's /W and the TJ adjustments) in the font's own
    units, which PDF reads as thousandths of an em: right for fonts of 1000 units per em, letters spread far
    apart for Liberation and DejaVu (2048). This one shapes and measures in thousandths of an em."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._font_units_per_em = self.units_per_em
        self.units_per_em = 1000
        self.hb_font.scale = (1000, 1000)  # HarfBuzz advances and offsets in thousandths too

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        if glyph_id not in self._glyphs:
            cid, width = super()._get_cid_and_width(glyph_id)
            self._glyphs[glyph_id] = (cid, round(width * 1000 / self._font_units_per_em))
        return self._glyphs[glyph_id]


@dataclass(frozen=True)
class _StampFontFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return _ThousandthsGlyphAccumulator(
            writer=writer,
            font_handle=open(self.font_file, "rb"),
            font_size=self.font_size,  # noqa: SIM115
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


def _stamp_font_factory() -> GlyphAccumulatorFactory | None:
    """The TTF of the PDF forms (`dichvucong.pdf.fonts`: Liberation Serif or DejaVu Serif, every Vietnamese
    letter), embedded as a subset in the stamp's appearance; None when no such font is installed."""
    try:
        return _StampFontFactory(str(font_files()["regular"]), font_size=STAMP_FONT_SIZE)
    except PdfFontMissing:
        logger.warning("No TTF with Vietnamese letters: signature stamps are written without diacritics.")
        return None


def _stamp_style(text: str) -> TextStampStyle:
    font = _stamp_font_factory()
    if font is None:  # the PDF standard fonts have no Vietnamese glyphs: write the text without diacritics
        return TextStampStyle(stamp_text=_ascii_text(text), timestamp_format=STAMP_TIME_FORMAT)
    box = TextBoxStyle(font=font, font_size=STAMP_FONT_SIZE, leading=STAMP_LEADING)
    return TextStampStyle(stamp_text=text, text_box_style=box, timestamp_format=STAMP_TIME_FORMAT)


def _ascii_text(text: str) -> str:
    """'Ký bởi: Vũ Đức Thắng' → 'Ky boi: Vu Duc Thang' (keeps case, punctuation and line breaks)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return stripped.encode("ascii", "replace").decode("ascii")


def _field_box(writer: IncrementalPdfFileWriter, placement: StampPlacement) -> tuple[int, tuple[int, int, int, int]]:
    page_count = int(writer.root["/Pages"]["/Count"])
    page = placement.page if placement.page >= 0 else page_count + placement.page
    if not 0 <= page < page_count:
        raise ValidationFailed("Trang đặt chữ ký không tồn tại trong tài liệu.", code="invalid_stamp_page")
    page_ref, _ = writer.find_page_for_modification(page)
    media_box = page_ref.get_object().get("/MediaBox")
    width = float(media_box[2]) if media_box is not None else 595.0  # A4 portrait when inherited
    right = int(width) - STAMP_MARGIN - placement.slot * (STAMP_WIDTH + 12)
    return page, (right - STAMP_WIDTH, STAMP_MARGIN, right, STAMP_MARGIN + STAMP_HEIGHT)


def existing_signature_count(pdf_bytes: bytes) -> int:
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        return len(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValidationFailed("Tệp cần ký không phải PDF hợp lệ.", code="not_a_pdf") from exc


def sign_pdf_bytes(
    pdf_bytes: bytes,
    backend: SignerBackend,
    *,
    field_name: str,
    reason: str,
    location: str,
    signer_name: str,
    visible: bool = False,
    placement: StampPlacement | None = None,
) -> bytes:
    """Append one PAdES signature to `pdf_bytes` and return the new file (the input is not modified)."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        raise ValidationFailed("Tệp cần ký không phải PDF hợp lệ.", code="not_a_pdf") from exc
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=signer_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    stamp_style = None
    if visible:
        page, box = _field_box(writer, placement or StampPlacement())
        field_spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)
        stamp_style = _stamp_style(f"Ký bởi: {signer_name}\nThời gian: %(ts)s\n{location}")
    else:
        field_spec = fields.SigFieldSpec(sig_field_name=field_name)
    with backend.open() as signer:
        pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=stamp_style, new_field_spec=field_spec)
        output = pdf_signer.sign_pdf(writer, output=io.BytesIO())
    return output.getvalue()

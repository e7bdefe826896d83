"""The visible signature stamp reads in Vietnamese: set in the forms' TTF (embedded subset, with a ToUnicode map so
the text extracts), "Ký bởi: Sở Tư pháp tỉnh Hưng Yên", the signing time as dd/mm/yyyy; the signatures still
validate."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from dichvucong.pdf.fonts import font_files
from dichvucong.signing import pdf_signing
from dichvucong.signing.verification import pdf_verify

from .test_sign_verify import clerk_seals, leader_signs

pytestmark = pytest.mark.django_db


def stamp_text(pdf: bytes) -> str:
    """pdftotext (poppler) draws the annotations' appearances, so the stamps' text is in its output."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def stamp_fonts(pdf: bytes) -> list[str]:
    """Base font names used by the appearance streams of the signature fields."""
    return [str(font["/BaseFont"]) for font in stamp_font_objects(pdf)]


def stamp_font_objects(pdf: bytes) -> list:
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/FT") != "/Sig" and annotation.get("/Parent", {}).get("/FT") != "/Sig":
                continue
            stack = [annotation["/AP"]["/N"].get_object()]
            while stack:
                xobject = stack.pop()
                resources = xobject.get("/Resources") or {}
                fonts += [font.get_object() for font in (resources.get("/Font") or {}).values()]
                stack += [child.get_object() for child in (resources.get("/XObject") or {}).values()]
    return fonts


def test_the_stamps_of_leader_and_seal_have_diacritics_and_a_dd_mm_yyyy_time(demo_pki):
    pdf = clerk_seals(demo_pki, leader_signs(demo_pki))

    text = stamp_text(pdf)
    assert "Ký bởi: Vũ Đức Thắng" in text
    assert "Ký bởi: Sở Tư pháp tỉnh Hưng Yên" in text
    assert "Ky boi" not in text
    times = re.findall(r"Thời gian: (\S+) (\d\d:\d\d:\d\d)", text)
    assert len(times) == 2 and all(re.fullmatch(r"\d\d/\d\d/\d{4}", day) for day, _ in times)
    verification = pdf_verify(pdf)
    assert (verification.valid, verification.intact, verification.trusted) == (True, True, True)
    assert all(signer.valid for signer in verification.signers)


def test_the_stamp_embeds_the_forms_ttf(demo_pki):
    fonts = stamp_fonts(leader_signs(demo_pki))

    family = font_files()["regular"].stem.split("-")[0]  # LiberationSerif or DejaVuSerif
    assert fonts and all(family in name for name in fonts), fonts


def test_without_a_vietnamese_ttf_the_stamp_falls_back_to_plain_letters(demo_pki, monkeypatch):
    monkeypatch.setattr(pdf_signing, "_stamp_font_factory", lambda: None)

    pdf = leader_signs(demo_pki)

    assert "Ky boi: Vu Duc Thang" in stamp_text(pdf)
    assert pdf_verify(pdf).valid


def test_the_glyph_widths_are_in_thousandths_of_an_em(demo_pki):
    """PDF reads /W in 1/1000 em; the forms' TTFs have 2048 units per em: written unscaled, the letters of the stamp
    were spread far apart and the lines cut at the box's edge."""
    [font] = stamp_font_objects(leader_signs(demo_pki))

    entries = list(font["/DescendantFonts"][0].get_object()["/W"])
    widths = [int(width) for entry in entries[1::2] for width in entry]
    assert widths and max(widths) < 1000 and 300 < sum(widths) / len(widths) < 700, widths

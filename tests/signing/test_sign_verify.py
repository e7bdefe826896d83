"""Signing a result PDF (PAdES) and verifying it against the province's trust anchor."""

import datetime
import io

import pytest
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.signing.models import SigningCertificate
from dichvucong.signing.pdf_signing import sign_pdf_bytes
from dichvucong.signing.selectors import officer_certificate_for
from dichvucong.signing.services import certificate_deactivate, pdf_sign
from dichvucong.signing.verification import pdf_verify
from tests.factories import StaffFactory

from .conftest import RESULT_TEXT, make_pdf

pytestmark = pytest.mark.django_db


def leader_signs(demo_pki, pdf: bytes | None = None, **kwargs) -> bytes:
    return pdf_sign(
        actor=demo_pki.leader,
        pdf_bytes=pdf or make_pdf(),
        signer=demo_pki.leader,
        reason="Phê duyệt kết quả",
        location="Hưng Yên",
        **kwargs,
    )


def clerk_seals(demo_pki, pdf: bytes, **kwargs) -> bytes:
    return pdf_sign(
        actor=demo_pki.clerk,
        pdf_bytes=pdf,
        signer=demo_pki.clerk,
        reason="Đóng dấu cơ quan",
        location="Hưng Yên",
        seal_of=demo_pki.justice,
        **kwargs,
    )


def test_signed_pdf_verifies_as_valid_intact_and_trusted_with_signer_and_time(demo_pki):
    before = timezone.now() - datetime.timedelta(seconds=5)

    result = pdf_verify(leader_signs(demo_pki))

    assert (result.valid, result.intact, result.trusted) == (True, True, True)
    assert result.problems == []
    [signer] = result.signers
    assert signer.name == "Vũ Đức Thắng"
    signed_at = datetime.datetime.fromisoformat(signer.signed_at)
    assert before <= signed_at <= timezone.now() + datetime.timedelta(seconds=5)
    assert signed_at.utcoffset() == datetime.timedelta(hours=7)
    assert signer.serial == officer_certificate_for(demo_pki.leader).serial
    assert signer.reason == "Phê duyệt kết quả"
    assert signer.covers_whole_file


def test_signature_can_be_invisible(demo_pki):
    result = pdf_verify(leader_signs(demo_pki, visible=False, field_name="LanhDao"))

    assert result.valid
    assert result.signers[0].field == "LanhDao"


def test_every_signature_writes_an_audit_row(demo_pki):
    signed = leader_signs(demo_pki)

    entry = AuditEntry.objects.filter(action="document.sign").get()
    assert entry.actor == demo_pki.leader
    assert entry.after["certificate_serial"] == officer_certificate_for(demo_pki.leader).serial
    assert len(entry.after["output_sha256"]) == 64 and entry.after["output_sha256"] != entry.after["input_sha256"]
    assert signed.startswith(b"%PDF-")


def test_bytes_changed_after_signing_are_reported_as_not_intact(demo_pki):
    signed = leader_signs(demo_pki)
    position = signed.index(RESULT_TEXT.encode())
    tampered = signed[:position] + b"GIAY CHUNG NHAN SO 999" + signed[position + 22 :]
    assert len(tampered) == len(signed)

    result = pdf_verify(tampered)

    assert result.intact is False
    assert result.valid is False
    assert result.signers[0].intact is False
    assert any("thay đổi" in problem for problem in result.problems)


def test_content_appended_after_signing_is_reported_as_not_intact(demo_pki):
    signed = leader_signs(demo_pki)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.add_stream_to_page(
        0, writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 600 Td (DA SUA) Tj ET"))
    )
    appended = io.BytesIO()
    writer.write(appended)

    result = pdf_verify(appended.getvalue())

    assert result.intact is False
    assert result.valid is False


def test_signature_from_a_foreign_ca_is_intact_but_not_trusted(demo_pki, foreign_signer):
    signed = sign_pdf_bytes(
        make_pdf(), foreign_signer, field_name="Forged", reason="Giả mạo", location="", signer_name="Vũ Đức Thắng"
    )

    result = pdf_verify(signed)

    assert result.intact is True
    assert result.trusted is False
    assert result.valid is False
    assert result.signers[0].name == "Vũ Đức Thắng"
    assert any("tin cậy" in problem for problem in result.problems)


def test_unsigned_pdf_is_a_specific_error(demo_pki):
    with pytest.raises(ValidationFailed) as error:
        pdf_verify(make_pdf())
    assert error.value.code == "unsigned_pdf"


@pytest.mark.parametrize("data", [b"", b"hello, not a pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100])
def test_non_pdf_input_is_a_specific_error(demo_pki, data):
    with pytest.raises(ValidationFailed) as error:
        pdf_verify(data)
    assert error.value.code == "not_a_pdf"


def test_damaged_pdf_is_a_specific_error(demo_pki):
    with pytest.raises(ValidationFailed) as error:
        pdf_verify(b"%PDF-1.7\n" + b"garbage " * 50)
    assert error.value.code == "damaged_pdf"


def test_leader_signature_and_clerk_seal_are_both_valid(demo_pki):
    signed = clerk_seals(demo_pki, leader_signs(demo_pki))

    result = pdf_verify(signed)

    assert (result.valid, result.intact, result.trusted) == (True, True, True)
    assert [signer.name for signer in result.signers] == ["Vũ Đức Thắng", "Sở Tư pháp tỉnh Hưng Yên"]
    assert all(signer.valid for signer in result.signers)
    assert [signer.covers_whole_file for signer in result.signers] == [False, True]


def test_tampering_after_the_second_signature_breaks_the_last_one(demo_pki):
    signed = clerk_seals(demo_pki, leader_signs(demo_pki))
    position = signed.rindex(b"/Reason")
    tampered = signed[:position] + b"/Reasoo" + signed[position + 7 :]

    result = pdf_verify(tampered)

    assert result.intact is False


def test_officer_without_certificate_gets_a_clear_error(demo_pki):
    newcomer = StaffFactory(full_name="Cán bộ Mới", roles=[("leader", demo_pki.justice)])

    with pytest.raises(ConflictError) as error:
        pdf_sign(actor=newcomer, pdf_bytes=make_pdf(), signer=newcomer, reason="x", location="y")

    assert error.value.code == "no_signing_certificate"
    assert "Cán bộ Mới" in error.value.detail
    assert not AuditEntry.objects.filter(action="document.sign").exists()


def test_deactivated_certificate_cannot_sign(demo_pki):
    certificate_deactivate(actor="test", certificate=officer_certificate_for(demo_pki.leader))

    with pytest.raises(ConflictError) as error:
        leader_signs(demo_pki)
    assert error.value.code == "no_signing_certificate"


def test_expired_certificate_cannot_sign(demo_pki):
    SigningCertificate.objects.filter(owner_user=demo_pki.leader).update(
        not_after=timezone.now() - datetime.timedelta(days=1)
    )

    with pytest.raises(ConflictError):
        leader_signs(demo_pki)


def test_nobody_signs_with_someone_elses_key(demo_pki):
    with pytest.raises(PermissionDeniedError) as error:
        pdf_sign(actor=demo_pki.clerk, pdf_bytes=make_pdf(), signer=demo_pki.leader, reason="x", location="y")
    assert error.value.code == "not_own_signature"


def test_clerk_of_another_agency_cannot_apply_the_seal(demo_pki):
    with pytest.raises(PermissionDeniedError) as error:
        pdf_sign(
            actor=demo_pki.other_clerk,
            pdf_bytes=leader_signs(demo_pki),
            signer=demo_pki.other_clerk,
            reason="x",
            location="y",
            seal_of=demo_pki.justice,
        )
    assert error.value.code == "not_agency_clerk"


def test_leader_cannot_apply_the_agency_seal(demo_pki):
    with pytest.raises(PermissionDeniedError):
        pdf_sign(
            actor=demo_pki.leader,
            pdf_bytes=make_pdf(),
            signer=demo_pki.leader,
            reason="x",
            location="y",
            seal_of=demo_pki.justice,
        )


def test_signing_a_non_pdf_is_refused(demo_pki):
    with pytest.raises(ValidationFailed) as error:
        leader_signs(demo_pki, pdf=b"not a pdf at all")
    assert error.value.code == "not_a_pdf"


def test_multi_page_document_gets_the_stamp_on_the_last_page(demo_pki):
    signed = leader_signs(demo_pki, pdf=make_pdf(pages=3))

    pages = PdfReader(io.BytesIO(signed)).pages
    assert [len(page.get("/Annots") or []) for page in pages] == [0, 0, 1]
    assert pdf_verify(signed).valid

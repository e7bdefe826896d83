"""Verifying the signatures of a PDF against the province's trust anchors, offline.

The answer separates the three questions a citizen or an authority receiving an electronic result asks
(Decree 130/2018/NĐ-CP art. 9, conditions for a valid digital signature):

- *intact*: the document has not been changed since it was signed (the signed bytes hash to the signed digest,
  and anything appended afterwards is only further signatures);
- *trusted*: the signer's certificate chains to one of our trust anchors (`keystore.trust_anchors()`), had the
  signing key usages, and was valid at signing time;
- *valid*: both, for every signature in the file.

No network: revocation information is not fetched (soft-fail), since the demo CA publishes no CRL/OCSP.
"""

import io
import logging
from dataclasses import asdict, dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from dichvucong.common.errors import DomainError, ValidationFailed

from . import keystore

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


@dataclass
class SignerInfo:
    name: str
    signed_at: str | None
    serial: str
    issuer: str
    fingerprint: str
    field: str
    reason: str
    location: str
    intact: bool
    trusted: bool
    valid: bool
    covers_whole_file: bool


@dataclass
class VerificationResult:
    valid: bool
    intact: bool
    trusted: bool
    signers: list[SignerInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _validation_context() -> ValidationContext:
    roots = [
        asn1_x509.Certificate.load(anchor.public_bytes(serialization.Encoding.DER))
        for anchor in keystore.trust_anchors()
    ]
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _open_reader(pdf_bytes: bytes) -> PdfFileReader:
    if not pdf_bytes or PDF_MAGIC not in pdf_bytes[:1024]:
        raise ValidationFailed(_("Tệp tải lên không phải là tài liệu PDF."), code="not_a_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValidationFailed(_("Tệp PDF bị hỏng, không đọc được."), code="damaged_pdf") from exc
    if not signatures:
        raise ValidationFailed(_("Tài liệu PDF này không có chữ ký số."), code="unsigned_pdf")
    return reader


def _signer_info(embedded, status) -> tuple[SignerInfo, list[str]]:
    certificate = status.signing_cert
    name = certificate.subject.native.get("common_name") or certificate.subject.human_friendly
    label = {"name": name}
    changed_after = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is False
    intact = (
        bool(status.intact and status.valid)
        and status.coverage is not None
        and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        and not changed_after
    )
    # The chain is judged on its own (a tampered document can still have been signed by a trusted officer),
    # but only when the CMS signature itself verifies: otherwise the embedded certificate proves nothing.
    trusted = bool(status.valid and status.trust_problem_indic is None and status.validation_path is not None)
    problems = []
    if not (status.intact and status.valid):
        problems.append(_("Chữ ký của «%(name)s»: nội dung tài liệu đã bị thay đổi sau khi ký.") % label)
    elif not intact:
        problems.append(_("Chữ ký của «%(name)s»: tài liệu bị sửa đổi (không phải chữ ký bổ sung) sau khi ký.") % label)
    if not trusted:
        if status.revoked:
            problems.append(_("Chữ ký của «%(name)s»: chứng thư số đã bị thu hồi.") % label)
        else:
            problems.append(
                _(
                    "Chữ ký của «%(name)s»: chứng thư số không do tổ chức tin cậy của tỉnh cấp, "
                    "đã hết hạn hoặc không dùng để ký."
                )
                % label
            )
    signature_object = embedded.sig_object
    info = SignerInfo(
        name=str(name),
        signed_at=timezone.localtime(status.signer_reported_dt).isoformat() if status.signer_reported_dt else None,
        serial=format(certificate.serial_number, "x"),
        issuer=str(certificate.issuer.native.get("common_name") or certificate.issuer.human_friendly),
        fingerprint=certificate.sha256.hex(),
        field=embedded.field_name or "",
        reason=str(signature_object.get("/Reason", "")),
        location=str(signature_object.get("/Location", "")),
        intact=intact,
        trusted=trusted,
        valid=intact and trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )
    return info, problems


def pdf_verify(pdf_bytes: bytes) -> VerificationResult:
    """Verify every signature in `pdf_bytes`.

    Raises `ValidationFailed` with code `not_a_pdf`, `damaged_pdf` or `unsigned_pdf` when there is nothing to
    verify; otherwise returns the result, even when signatures are broken or untrusted.
    """
    reader = _open_reader(pdf_bytes)
    context = _validation_context()
    signers, problems = [], []
    for embedded in reader.embedded_signatures:
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception as exc:  # a malformed signature dictionary or CMS blob: report, don't crash
            logger.info("signature %s could not be validated: %s", embedded.field_name, exc)
            problems.append(_("Chữ ký «%(field)s» bị hỏng, không kiểm tra được.") % {"field": embedded.field_name})
            signers.append(
                SignerInfo(
                    name="",
                    signed_at=None,
                    serial="",
                    issuer="",
                    fingerprint="",
                    field=embedded.field_name or "",
                    reason="",
                    location="",
                    intact=False,
                    trusted=False,
                    valid=False,
                    covers_whole_file=False,
                )
            )
            continue
        info, signature_problems = _signer_info(embedded, status)
        signers.append(info)
        problems.extend(signature_problems)
    intact = all(info.intact for info in signers)
    trusted = all(info.trusted for info in signers)
    return VerificationResult(
        valid=intact and trusted, intact=intact, trusted=trusted, signers=signers, problems=problems
    )


def max_upload_bytes() -> int:
    return settings.SIGNING_VERIFY_MAX_BYTES


def check_declared_size(content_length: str | None) -> None:
    """Refuse an oversized upload from its Content-Length, before the body is read into a temporary file."""
    try:
        declared = int(content_length or 0)
    except ValueError:
        declared = 0
    if declared > max_upload_bytes() + 64 * 1024:  # multipart overhead
        raise _too_large()


def _too_large() -> DomainError:
    limit_mb = max_upload_bytes() // (1024 * 1024)
    return DomainError(
        _("Tệp quá lớn: chỉ kiểm tra tệp PDF tối đa %(mb)s MB.") % {"mb": limit_mb},
        code="file_too_large",
        status_code=413,
    )


def verify_upload(uploaded) -> VerificationResult:
    """Verify an uploaded file (Django `UploadedFile`): the public page and the API share this path."""
    if uploaded is None:
        raise ValidationFailed(
            _("Hãy chọn tệp PDF cần kiểm tra."), code="file_required", fields={"file": [_("Bắt buộc.")]}
        )
    if uploaded.size > max_upload_bytes():
        raise _too_large()
    return pdf_verify(uploaded.read())

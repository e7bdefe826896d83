"""Writes of the signing context: registering certificates and signing PDFs (each with an audit row).

Law 20/2023/QH15 on e-transactions (art. 22-23) and Decree 130/2018/NĐ-CP: a digital signature binds the person
who holds the key, so an officer signs only with their own certificate, and an agency's seal signature is applied
only by that agency's clerk (văn thư, Decree 30/2020/NĐ-CP art. 33 on electronic seal of agencies).
"""

import hashlib
import re

from cryptography import x509
from django.db import transaction
from django.utils.translation import gettext as _
from pyhanko.sign.general import SigningError

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from . import keystore, pki
from .backends import backend_for
from .models import CertificateKind, KeyBackend, SigningCertificate
from .pdf_signing import StampPlacement, existing_signature_count, sign_pdf_bytes
from .selectors import agency_seal_certificate_for, officer_certificate_for

_FIELD_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _certificate_summary(certificate: SigningCertificate) -> dict:
    return {
        "kind": certificate.kind,
        "subject": certificate.subject,
        "serial": certificate.serial,
        "fingerprint": certificate.fingerprint,
        "not_after": certificate.not_after.isoformat(),
        "active": certificate.active,
    }


@transaction.atomic
def certificate_register(
    *,
    actor,
    certificate: x509.Certificate,
    kind: str,
    storage_path: str,
    owner_user=None,
    agency=None,
    backend: str = KeyBackend.PKCS12,
) -> SigningCertificate:
    """Record a certificate (public part) and where its key is; older certificates of the same holder stay
    usable until they expire or are deactivated, so documents in the middle of signing are not disrupted."""
    fingerprint = pki.fingerprint(certificate)
    existing = SigningCertificate.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        if (existing.kind, existing.owner_user_id, existing.agency_id) != (
            kind,
            getattr(owner_user, "pk", None),
            getattr(agency, "pk", None),
        ):
            raise ConflictError(
                _("Chứng thư số này đã được đăng ký cho người hoặc cơ quan khác."),
                code="certificate_already_registered",
            )
        return existing
    record = SigningCertificate.objects.create(
        kind=kind,
        owner_user=owner_user,
        agency=agency,
        subject=certificate.subject.rfc4514_string()[:500],
        common_name=pki.common_name(certificate)[:300],
        issuer=certificate.issuer.rfc4514_string()[:500],
        serial=pki.serial_hex(certificate),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint=fingerprint,
        backend=backend,
        storage_path=storage_path,
        certificate_pem=pki.certificate_pem(certificate),
        active=True,
    )
    audit_record(actor=actor, action="signing_certificate.register", obj=record, after=_certificate_summary(record))
    return record


@transaction.atomic
def certificate_deactivate(*, actor, certificate: SigningCertificate) -> SigningCertificate:
    if not certificate.active:
        return certificate
    before = _certificate_summary(certificate)
    certificate.active = False
    certificate.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action="signing_certificate.deactivate",
        obj=certificate,
        before=before,
        after=_certificate_summary(certificate),
    )
    return certificate


@transaction.atomic
def certificate_import_pkcs12(
    *, actor, data: bytes, password: str, kind: str, owner_user=None, agency=None
) -> SigningCertificate:
    """Import a .p12/.pfx issued by a real CA (e.g. Ban Cơ yếu Chính phủ): it is re-encrypted with the keystore
    passphrase and stored under the keystore directory, so the original password need not be kept."""
    try:
        pair, chain = pki.load_pkcs12(data, passphrase=password)
    except ValueError as exc:
        raise ValidationFailed(
            _("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không hợp lệ."), code="invalid_pkcs12"
        ) from exc
    holder = owner_user.username if owner_user is not None else agency.code
    folder = "officers" if kind == CertificateKind.OFFICER else "seals"
    relative = f"{folder}/{safe_file_name(holder)}-{pki.serial_hex(pair.certificate)[:16]}.p12"
    keystore.store_keypair(relative, pair, friendly_name=holder, chain=chain)
    return certificate_register(
        actor=actor,
        certificate=pair.certificate,
        kind=kind,
        storage_path=relative,
        owner_user=owner_user,
        agency=agency,
    )


def safe_file_name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", value).strip(".") or "_"


def _signing_certificate(*, actor, signer, seal_of) -> SigningCertificate:
    if not getattr(actor, "is_authenticated", False) or actor.pk != getattr(signer, "pk", None):
        raise PermissionDeniedError(
            _("Chỉ người ký mới được dùng chứng thư số của mình để ký."), code="not_own_signature"
        )
    if seal_of is not None:
        if not user_has_role(signer, Role.CLERK, agency=seal_of):
            raise PermissionDeniedError(
                _("Chỉ văn thư của cơ quan mới được ký số bằng chữ ký của cơ quan."), code="not_agency_clerk"
            )
        certificate = agency_seal_certificate_for(seal_of)
        if certificate is None:
            raise ConflictError(
                _("Cơ quan %(agency)s chưa có chứng thư số còn hiệu lực để ký văn bản.") % {"agency": seal_of.name},
                code="no_signing_certificate",
            )
        return certificate
    certificate = officer_certificate_for(signer)
    if certificate is None:
        raise ConflictError(
            _("%(name)s chưa có chứng thư số còn hiệu lực, không thể ký số.") % {"name": signer.display_name},
            code="no_signing_certificate",
        )
    return certificate


@transaction.atomic
def pdf_sign(
    *,
    actor,
    pdf_bytes: bytes,
    signer,
    reason: str,
    location: str,
    field_name: str | None = None,
    seal_of=None,
    visible: bool = True,
    placement: StampPlacement | None = None,
) -> bytes:
    """Sign `pdf_bytes` (PAdES B-B) with `signer`'s certificate, or with the seal certificate of `seal_of` when
    the clerk stamps the agency's signature; returns the signed PDF. Existing signatures are kept valid: the new
    one is appended as an incremental update."""
    certificate = _signing_certificate(actor=actor, signer=signer, seal_of=seal_of)
    if not pdf_bytes.startswith(b"%PDF-"):
        raise ValidationFailed(_("Tệp cần ký không phải là tài liệu PDF."), code="not_a_pdf")
    count = existing_signature_count(pdf_bytes)
    field_name = field_name or f"Sig{count + 1}_{'Seal' if seal_of is not None else 'Officer'}"
    if not _FIELD_NAME.match(field_name):
        raise ValidationFailed(_("Tên trường chữ ký không hợp lệ."), code="invalid_field_name")
    if placement is None:
        placement = StampPlacement(slot=count % 2)
    try:
        signed = sign_pdf_bytes(
            pdf_bytes,
            backend_for(certificate),
            field_name=field_name,
            reason=reason,
            location=location,
            signer_name=certificate.common_name,
            visible=visible,
            placement=placement,
        )
    except SigningError as exc:
        raise ValidationFailed(_("Không ký được tài liệu: %(error)s") % {"error": exc}, code="signing_failed") from exc
    audit_record(
        actor=actor,
        action="document.sign",
        obj=certificate,
        after={
            "field": field_name,
            "reason": reason,
            "location": location,
            "certificate_serial": certificate.serial,
            "kind": certificate.kind,
            "seal_of": seal_of.code if seal_of is not None else None,
            "input_sha256": hashlib.sha256(pdf_bytes).hexdigest(),
            "output_sha256": hashlib.sha256(signed).hexdigest(),
        },
    )
    return signed

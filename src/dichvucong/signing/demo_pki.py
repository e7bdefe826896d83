"""The provincial TEST PKI of the demo: a root CA and officer / agency-seal certificates issued by it.

Idempotent and fast on re-runs: keys are kept in the keystore directory and only generated when missing, issued
by another CA (the keystore was reset) or issued to another name; the database rows are (re)created from the
files. Everything is marked TEST: such certificates have no legal value (only a licensed CA's do, Decree
130/2018/NĐ-CP).
"""

import datetime
from dataclasses import dataclass, field

from cryptography import x509
from django.conf import settings

from dichvucong.accounts.models import User
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies

from . import keystore, pki
from .models import CertificateKind, SigningCertificate
from .services import certificate_deactivate, certificate_register, safe_file_name

DEMO_ACTOR = "signing_init_demo_pki"
#: The demo leaders who sign results and the clerks who seal them (every demo unit with a full staff).
DEMO_SIGNERS = tuple(
    f"{unit}.{role}"
    for unit in ("sotp", "vanlam", "vangiang", "nhuquynh", "sokhdt", "sogtvt", "soxd", "soldtbxh", "sogddt", "soyte")
    for role in ("leader", "clerk")
)


def test_ca_name() -> str:
    return f"{settings.PROVINCE_NAME} Test Root CA (TEST)"


@dataclass
class PkiInitReport:
    ca_created: bool = False
    issued: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def ca_ensure(*, key_type: str = "rsa") -> tuple[pki.KeyPair, bool]:
    """Load the TEST CA from the keystore, or create it (ca.p12 + ca.pem). Call inside `keystore.locked()`."""
    if keystore.exists(keystore.CA_P12):
        pair, _ = keystore.load_keypair(keystore.CA_P12)
        if not keystore.exists(keystore.CA_PEM):
            keystore.write_atomic(keystore.CA_PEM, pki.certificate_pem(pair.certificate).encode("ascii"))
        return pair, False
    pair = pki.create_root_ca(
        common_name=test_ca_name(),
        organisation=f"UBND tỉnh {settings.PROVINCE_NAME} (TEST)",
        province=settings.PROVINCE_NAME,
        key_type=key_type,
    )
    keystore.store_keypair(keystore.CA_P12, pair, friendly_name="test-root-ca", chain=[])
    keystore.write_atomic(keystore.CA_PEM, pki.certificate_pem(pair.certificate).encode("ascii"))
    return pair, True


def _still_good(certificate: x509.Certificate | None, *, ca: pki.KeyPair, name: str) -> bool:
    if certificate is None or not pki.is_issued_by(certificate, ca.certificate):
        return False
    soon = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=30)
    return pki.common_name(certificate) == name and certificate.not_valid_after_utc > soon


def _ensure(
    *, ca, key_type, relative, subject: x509.Name, kind, owner_user=None, agency=None, report: PkiInitReport
) -> SigningCertificate:
    name = subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    certificate = keystore.read_public_certificate(relative) if keystore.exists(relative) else None
    if _still_good(certificate, ca=ca, name=name):
        report.reused.append(relative)
    else:
        pair = pki.issue_signing_certificate(ca=ca, subject=subject, key_type=key_type)
        keystore.store_keypair(relative, pair, friendly_name=name, chain=[ca.certificate])
        certificate = pair.certificate
        report.issued.append(relative)
    record = certificate_register(
        actor=DEMO_ACTOR,
        certificate=certificate,
        kind=kind,
        storage_path=relative,
        owner_user=owner_user,
        agency=agency,
    )
    # A stale row for the same holder (key regenerated) must not be picked for signing any more.
    stale = SigningCertificate.objects.filter(kind=kind, active=True, storage_path=relative).exclude(pk=record.pk)
    for old in stale:
        certificate_deactivate(actor=DEMO_ACTOR, certificate=old)
    return record


def _officer_agency(user: User):
    for role in (Role.LEADER, Role.CLERK):
        agencies = user_agencies(user, role=role)
        if agencies:
            return agencies[0]
    agencies = user_agencies(user)
    return agencies[0] if agencies else None


def demo_pki_init(*, usernames=DEMO_SIGNERS, key_type: str = "rsa") -> PkiInitReport:
    """Create (or reuse) the TEST CA, a certificate for each officer and a seal for each agency of a clerk."""
    report = PkiInitReport()
    with keystore.locked():
        ca, report.ca_created = ca_ensure(key_type=key_type)
        users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        seal_agencies = {}
        for username in usernames:
            user = users.get(username)
            if user is None:
                report.skipped.append(username)
                continue
            agency = _officer_agency(user)
            subject = pki.build_name(
                common_name=user.display_name,
                organisation=agency.name if agency else "",
                unit=pki.TEST_MARK,
                province=settings.PROVINCE_NAME,
                user_id=username,
            )
            _ensure(
                ca=ca,
                key_type=key_type,
                relative=f"officers/{safe_file_name(username)}.p12",
                subject=subject,
                kind=CertificateKind.OFFICER,
                owner_user=user,
                agency=agency,
                report=report,
            )
            for clerk_agency in user_agencies(user, role=Role.CLERK):
                seal_agencies[clerk_agency.pk] = clerk_agency
        for agency in seal_agencies.values():
            subject = pki.build_name(
                common_name=agency.name,
                organisation=agency.name,
                unit=pki.TEST_MARK,
                province=settings.PROVINCE_NAME,
                user_id=agency.code,
            )
            _ensure(
                ca=ca,
                key_type=key_type,
                relative=f"seals/{safe_file_name(agency.code)}.p12",
                subject=subject,
                kind=CertificateKind.AGENCY_SEAL,
                agency=agency,
                report=report,
            )
    return report

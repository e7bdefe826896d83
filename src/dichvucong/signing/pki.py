"""Building a small X.509 PKI with `cryptography`: a root CA and the end-entity certificates it issues.

Used for the provincial TEST CA of the demo and of the tests. Production certificates come from the government CA
(Ban Cơ yếu Chính phủ) and are only imported (see docs/signing.md). Pure functions: no database, no files.
"""

import datetime
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_VALIDITY_DAYS = 10 * 365
END_ENTITY_VALIDITY_DAYS = 3 * 365
TEST_MARK = "TEST – không có giá trị pháp lý"


@dataclass(frozen=True)
class KeyPair:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def generate_key(key_type: str = "rsa"):
    """RSA 2048 (what the government CA issues) or EC P-256 (faster; for throw-away test keys)."""
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def build_name(
    *, common_name: str, organisation: str = "", unit: str = "", province: str = "", user_id: str = ""
) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if user_id:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, user_id))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


def create_root_ca(
    *,
    common_name: str,
    organisation: str,
    province: str = "",
    key_type: str = "rsa",
    valid_days: int = CA_VALIDITY_DAYS,
) -> KeyPair:
    """A self-signed root: basicConstraints CA (path length 0), keyCertSign + cRLSign only."""
    key = generate_key(key_type)
    name = build_name(common_name=common_name, organisation=organisation, unit=TEST_MARK, province=province)
    now = _now()
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(key=key, certificate=certificate)


def issue_signing_certificate(
    *, ca: KeyPair, subject: x509.Name, key_type: str = "rsa", valid_days: int = END_ENTITY_VALIDITY_DAYS
) -> KeyPair:
    """An end-entity certificate for document signing: digitalSignature + nonRepudiation (content commitment)."""
    key = generate_key(key_type)
    public = key.public_key()
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(min(now + datetime.timedelta(days=valid_days), ca.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return KeyPair(key=key, certificate=certificate)


def pkcs12_bytes(pair: KeyPair, *, passphrase: str, friendly_name: str, chain: list[x509.Certificate]) -> bytes:
    """The key, its certificate and the chain up to the root, encrypted with `passphrase` (AES-256, PBKDF2)."""
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(friendly_name.encode(), pair.key, pair.certificate, chain, encryption)


def load_pkcs12(data: bytes, *, passphrase: str) -> tuple[KeyPair, list[x509.Certificate]]:
    """Raises ValueError if the data is not PKCS#12 or the passphrase is wrong."""
    key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase.encode() if passphrase else None)
    if key is None or certificate is None:
        raise ValueError("PKCS#12 without a private key and its certificate")
    return KeyPair(key=key, certificate=certificate), list(others)


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def serial_hex(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def is_issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when `issuer`'s key verifies `certificate`'s signature (not just matching names)."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, Exception):  # InvalidSignature is not a ValueError
        return False
    return True

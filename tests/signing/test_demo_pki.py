"""The provincial TEST CA and the demo certificates: proper X.509 profile, PKCS#12 on disk, idempotent."""

import stat
from io import StringIO

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from dichvucong.signing import keystore, pki
from dichvucong.signing.demo_pki import demo_pki_init
from dichvucong.signing.models import CertificateKind, SigningCertificate

pytestmark = pytest.mark.django_db


def ca_certificate() -> x509.Certificate:
    return x509.load_pem_x509_certificate(keystore.read(keystore.CA_PEM))


def test_ca_is_a_clearly_marked_test_root_with_ca_constraints(demo_pki):
    ca = ca_certificate()

    assert "Test Root CA" in pki.common_name(ca) and "TEST" in pki.common_name(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign
    assert ca.subject == ca.issuer


def test_officer_certificate_has_signing_key_usage_and_is_issued_by_the_ca(demo_pki):
    record = SigningCertificate.objects.get(kind=CertificateKind.OFFICER, owner_user=demo_pki.leader)
    certificate = x509.load_pem_x509_certificate(record.certificate_pem.encode())

    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert pki.is_issued_by(certificate, ca_certificate())
    assert record.common_name == "Vũ Đức Thắng"
    assert certificate.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "sotp.leader"
    assert "TEST" in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value
    assert record.agency == demo_pki.justice
    assert record.serial == pki.serial_hex(certificate) and record.fingerprint == pki.fingerprint(certificate)
    assert record.not_before < record.not_after and record.active


def test_each_clerk_agency_gets_a_seal_certificate(demo_pki):
    seals = SigningCertificate.objects.filter(kind=CertificateKind.AGENCY_SEAL).order_by("agency__code")

    assert [(seal.agency, seal.owner_user) for seal in seals] == [(demo_pki.justice, None), (demo_pki.district, None)]
    assert seals[0].common_name == "Sở Tư pháp tỉnh Hưng Yên"


def test_keys_are_encrypted_pkcs12_files_readable_only_by_the_owner(demo_pki, keystore_dir):
    record = SigningCertificate.objects.get(kind=CertificateKind.OFFICER, owner_user=demo_pki.clerk)
    path = keystore_dir / record.storage_path

    assert path.suffix == ".p12" and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pair, chain = pki.load_pkcs12(path.read_bytes(), passphrase="test-keystore-passphrase")
    assert pki.fingerprint(pair.certificate) == record.fingerprint
    assert [pki.fingerprint(c) for c in chain] == [pki.fingerprint(ca_certificate())]
    with pytest.raises(ValueError):
        pki.load_pkcs12(path.read_bytes(), passphrase="wrong")


def test_running_again_reuses_keys_and_rows(demo_pki, keystore_dir):
    files = {path: path.stat().st_mtime_ns for path in keystore_dir.rglob("*.p12")}
    rows = set(SigningCertificate.objects.values_list("fingerprint", flat=True))

    report = demo_pki_init(usernames=("sotp.leader", "sotp.clerk", "vanlam.leader", "vanlam.clerk"))

    assert report.issued == [] and not report.ca_created
    assert {path: path.stat().st_mtime_ns for path in keystore_dir.rglob("*.p12")} == files
    assert set(SigningCertificate.objects.values_list("fingerprint", flat=True)) == rows


def test_renamed_officer_gets_a_new_certificate_and_the_old_one_is_retired(demo_pki):
    old = SigningCertificate.objects.get(kind=CertificateKind.OFFICER, owner_user=demo_pki.leader)
    demo_pki.leader.full_name = "Vũ Đức Thắng Mới"
    demo_pki.leader.save()

    report = demo_pki_init(usernames=("sotp.leader",))

    assert report.issued == ["officers/sotp.leader.p12"]
    old.refresh_from_db()
    assert old.active is False
    new = SigningCertificate.objects.get(kind=CertificateKind.OFFICER, owner_user=demo_pki.leader, active=True)
    assert new.common_name == "Vũ Đức Thắng Mới"
    demo_pki.leader.full_name = "Vũ Đức Thắng"  # put the file back for the other tests of the session
    demo_pki.leader.save()
    demo_pki_init(usernames=("sotp.leader",))


def test_management_command_reports_and_skips_unknown_accounts(demo_pki):
    out, err = StringIO(), StringIO()

    call_command("signing_init_demo_pki", "sotp.leader", "no.such.user", stdout=out, stderr=err)

    assert "dùng lại: officers/sotp.leader.p12" in out.getvalue()
    assert "no.such.user" in err.getvalue()


def test_management_command_refuses_without_a_passphrase(db, settings):
    settings.SIGNING_KEYSTORE_PASSPHRASE = ""

    with pytest.raises(CommandError):
        call_command("signing_init_demo_pki", stdout=StringIO())

"""Production keys: PKCS#12 files from a licensed CA, and keys on PKCS#11 tokens (interface only, no device)."""

import importlib.util
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dichvucong.common.errors import DomainError
from dichvucong.signing import pki
from dichvucong.signing.backends import PKCS11Signer, parse_pkcs11_uri
from dichvucong.signing.models import CertificateKind, KeyBackend, SigningCertificate
from dichvucong.signing.services import pdf_sign
from dichvucong.signing.verification import pdf_verify
from tests.factories import StaffFactory

from .conftest import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def government_ca():
    return pki.create_root_ca(common_name="Cơ quan chứng thực Chính phủ (giả lập)", organisation="Ban Cơ yếu",
                              key_type="ec")


@pytest.fixture
def officer_p12(tmp_path, government_ca):
    pair = pki.issue_signing_certificate(ca=government_ca, subject=pki.build_name(common_name="Lê Văn Nhập"),
                                         key_type="ec")
    path = tmp_path / "can-bo.p12"
    path.write_bytes(pki.pkcs12_bytes(pair, passphrase="mat-khau-cua-ca", friendly_name="x",
                                      chain=[government_ca.certificate]))
    return path


def test_imported_pkcs12_signs_and_verifies_against_the_configured_government_root(
        demo_pki, officer_p12, government_ca, settings, tmp_path, monkeypatch):
    officer = StaffFactory(username="le.van.nhap", full_name="Lê Văn Nhập", roles=[("leader", demo_pki.justice)])
    monkeypatch.setenv("SIGNING_IMPORT_PASSWORD", "mat-khau-cua-ca")

    call_command("signing_import_pkcs12", str(officer_p12), "--user", "le.van.nhap", stdout=StringIO())

    record = SigningCertificate.objects.get(owner_user=officer)
    assert record.kind == CertificateKind.OFFICER and record.backend == KeyBackend.PKCS12
    signed = pdf_sign(actor=officer, pdf_bytes=make_pdf(), signer=officer, reason="Ký", location="Hưng Yên")
    assert pdf_verify(signed).trusted is False  # the government root is not yet a trust anchor
    anchor = tmp_path / "government-root.pem"
    anchor.write_text(pki.certificate_pem(government_ca.certificate))
    settings.SIGNING_TRUST_ANCHORS = [str(anchor)]
    result = pdf_verify(signed)
    assert (result.valid, result.signers[0].name) == (True, "Lê Văn Nhập")


def test_import_with_the_wrong_password_is_refused(demo_pki, officer_p12, monkeypatch):
    monkeypatch.setenv("SIGNING_IMPORT_PASSWORD", "sai")

    with pytest.raises(CommandError, match="PKCS#12"):
        call_command("signing_import_pkcs12", str(officer_p12), "--agency", demo_pki.justice.code, stdout=StringIO())
    assert not SigningCertificate.objects.filter(common_name="Lê Văn Nhập").exists()


def test_the_same_certificate_cannot_be_registered_to_two_holders(demo_pki, officer_p12, monkeypatch):
    monkeypatch.setenv("SIGNING_IMPORT_PASSWORD", "mat-khau-cua-ca")
    call_command("signing_import_pkcs12", str(officer_p12), "--user", "sotp.leader", stdout=StringIO())

    with pytest.raises(CommandError, match="đã được đăng ký"):
        call_command("signing_import_pkcs12", str(officer_p12), "--user", "vanlam.leader", stdout=StringIO())


def test_pkcs11_uri_is_parsed():
    assert parse_pkcs11_uri("pkcs11:token=Token Sở Tư pháp;object=ky-so") == {"token": "Token Sở Tư pháp",
                                                                             "object": "ky-so"}
    with pytest.raises(ValueError):
        parse_pkcs11_uri("/etc/keys/a.p12")


def test_token_certificate_is_registered_and_routed_to_the_pkcs11_backend(demo_pki, tmp_path, government_ca,
                                                                          settings):
    officer = StaffFactory(username="token.user", full_name="Người Dùng Token", roles=[("leader", demo_pki.justice)])
    pair = pki.issue_signing_certificate(ca=government_ca, subject=pki.build_name(common_name="Người Dùng Token"),
                                         key_type="ec")
    pem = tmp_path / "token.pem"
    pem.write_text(pki.certificate_pem(pair.certificate))
    settings.SIGNING_PKCS11_MODULE = ""

    call_command("signing_register_token", str(pem), "--token", "HY-TOKEN", "--key", "sign", "--user", "token.user",
                 stdout=StringIO())

    record = SigningCertificate.objects.get(owner_user=officer)
    assert (record.backend, record.storage_path) == (KeyBackend.PKCS11, "pkcs11:token=HY-TOKEN;object=sign")
    assert not (tmp_path / "token.p12").exists()
    with pytest.raises(DomainError) as error:  # no device here: a clear configuration error, no crash
        pdf_sign(actor=officer, pdf_bytes=make_pdf(), signer=officer, reason="Ký", location="Hưng Yên")
    assert error.value.code == "pkcs11_unavailable"


def test_pkcs11_signer_is_built_from_the_uri_and_settings(settings):
    settings.SIGNING_PKCS11_MODULE = "/usr/lib/vendor/libtoken.so"
    settings.SIGNING_PKCS11_PIN = "123456"

    signer = PKCS11Signer.from_uri("pkcs11:token=HY;object=key1")

    assert (signer.module, signer.token_label, signer.key_label, signer.pin) == (
        "/usr/lib/vendor/libtoken.so", "HY", "key1", "123456")
    if importlib.util.find_spec("pkcs11") is None:
        with pytest.raises(DomainError) as error, signer.open():
            pass
        assert error.value.code == "pkcs11_unavailable"

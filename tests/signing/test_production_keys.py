"""Production keys: PKCS#12 files from a licensed CA, and keys on PKCS#11 tokens (errors; SoftHSM2 when installed)."""

import importlib.util
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

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
    return pki.create_root_ca(
        common_name="Cơ quan chứng thực Chính phủ (giả lập)", organisation="Ban Cơ yếu", key_type="ec"
    )


@pytest.fixture
def officer_p12(tmp_path, government_ca):
    pair = pki.issue_signing_certificate(
        ca=government_ca, subject=pki.build_name(common_name="Lê Văn Nhập"), key_type="ec"
    )
    path = tmp_path / "can-bo.p12"
    path.write_bytes(
        pki.pkcs12_bytes(pair, passphrase="mat-khau-cua-ca", friendly_name="x", chain=[government_ca.certificate])
    )
    return path


def test_imported_pkcs12_signs_and_verifies_against_the_configured_government_root(
    demo_pki, officer_p12, government_ca, settings, tmp_path, monkeypatch
):
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
    assert parse_pkcs11_uri("pkcs11:token=Token Sở Tư pháp;object=ky-so") == {
        "token": "Token Sở Tư pháp",
        "object": "ky-so",
    }
    with pytest.raises(ValueError):
        parse_pkcs11_uri("/etc/keys/a.p12")


def test_token_certificate_is_registered_and_routed_to_the_pkcs11_backend(demo_pki, tmp_path, government_ca, settings):
    officer = StaffFactory(username="token.user", full_name="Người Dùng Token", roles=[("leader", demo_pki.justice)])
    pair = pki.issue_signing_certificate(
        ca=government_ca, subject=pki.build_name(common_name="Người Dùng Token"), key_type="ec"
    )
    pem = tmp_path / "token.pem"
    pem.write_text(pki.certificate_pem(pair.certificate))
    settings.SIGNING_PKCS11_MODULE = ""

    call_command(
        "signing_register_token",
        str(pem),
        "--token",
        "HY-TOKEN",
        "--key",
        "sign",
        "--user",
        "token.user",
        stdout=StringIO(),
    )

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
        "/usr/lib/vendor/libtoken.so",
        "HY",
        "key1",
        "123456",
    )
    if importlib.util.find_spec("pkcs11") is None:
        with pytest.raises(DomainError) as error, signer.open():
            pass
        assert error.value.code == "pkcs11_unavailable"


# --- PKCS#11 errors: a stable `pkcs11_error` with a Vietnamese message instead of a raw 500 ---------------------
def test_a_pkcs11_module_that_does_not_exist_is_a_pkcs11_error(settings, tmp_path):
    pytest.importorskip("pkcs11", reason="python-pkcs11 (extra `pkcs11`) not installed")
    settings.SIGNING_PKCS11_MODULE = str(tmp_path / "khong-co" / "libtoken.so")
    settings.SIGNING_PKCS11_PIN = "123456"

    with pytest.raises(DomainError) as error, PKCS11Signer.from_uri("pkcs11:token=HY;object=key1").open():
        pass

    assert (error.value.code, error.value.status_code) == ("pkcs11_error", 503)
    assert "thiết bị ký số" in str(error.value.detail)
    assert "khong-co" not in str(error.value.detail)  # the device's own text is logged, not shown


def test_signing_with_a_token_whose_module_is_missing_is_a_pkcs11_error(demo_pki, tmp_path, government_ca, settings):
    pytest.importorskip("pkcs11", reason="python-pkcs11 (extra `pkcs11`) not installed")
    officer = StaffFactory(username="token.user2", full_name="Người Dùng Token", roles=[("leader", demo_pki.justice)])
    pair = pki.issue_signing_certificate(
        ca=government_ca, subject=pki.build_name(common_name="Người Dùng Token"), key_type="ec"
    )
    pem = tmp_path / "token.pem"
    pem.write_text(pki.certificate_pem(pair.certificate))
    call_command(
        "signing_register_token",
        str(pem),
        "--token",
        "HY-TOKEN",
        "--key",
        "sign",
        "--user",
        "token.user2",
        stdout=StringIO(),
    )
    settings.SIGNING_PKCS11_MODULE = str(tmp_path / "missing-module.so")

    with pytest.raises(DomainError) as error:
        pdf_sign(actor=officer, pdf_bytes=make_pdf(), signer=officer, reason="Ký", location="Hưng Yên")

    assert (error.value.code, error.value.status_code) == ("pkcs11_error", 503)


def test_without_python_pkcs11_a_token_is_reported_unavailable(settings, monkeypatch, tmp_path):
    settings.SIGNING_PKCS11_MODULE = str(tmp_path / "libtoken.so")
    monkeypatch.setitem(sys.modules, "pkcs11", None)  # as if the extra were not installed
    monkeypatch.setitem(sys.modules, "pkcs11.exceptions", None)

    with pytest.raises(DomainError) as error, PKCS11Signer.from_uri("pkcs11:token=HY;object=key1").open():
        pass

    assert error.value.code == "pkcs11_unavailable"


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory):
    """A SoftHSM2 token "HY-TOKEN" (user PIN 1234) when SoftHSM2 and python-pkcs11 are installed (optional)."""
    if importlib.util.find_spec("pkcs11") is None or not SOFTHSM.exists() or not shutil.which("softhsm2-util"):
        pytest.skip("SoftHSM2 and python-pkcs11 not installed")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(config))
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", "HY-TOKEN", "--pin", "1234", "--so-pin", "5678"],
            check=True,
            capture_output=True,
        )
        yield str(SOFTHSM)


@pytest.mark.parametrize(
    ("token", "pin", "expected"),
    [
        ("HY-TOKEN", "0000", "Mã PIN"),
        ("KHONG-CO", "1234", "Không tìm thấy thiết bị ký số"),
    ],
)
def test_a_wrong_pin_or_a_missing_token_is_a_pkcs11_error(softhsm_token, token, pin, expected):
    signer = PKCS11Signer(module=softhsm_token, token_label=token, key_label="sign", pin=pin)

    with pytest.raises(DomainError) as error, signer.open():
        pass

    assert (error.value.code, error.value.status_code) == ("pkcs11_error", 503)
    assert expected in str(error.value.detail)

"""The keystore directory (`settings.SIGNING_KEYSTORE_DIR`, default var/keys/) and the province's trust anchors.

Layout::

    ca.pem                      trust anchor (public), served at /api/v1/signing/ca.pem
    ca.p12                      TEST CA key (demo only; a real province never holds its CA's key)
    officers/<username>.p12     officer keys, encrypted with SIGNING_KEYSTORE_PASSPHRASE
    seals/<agency code>.p12     agency seal keys
    *.crt.pem                   public certificate beside each .p12 (read without decrypting)

Files are written atomically (temp file + rename, mode 0600) under an exclusive lock so that parallel processes
(test workers, `make run` while a worker starts) never see half a file or create two CAs.
"""

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from django.conf import settings

from dichvucong.common.errors import DomainError

from . import pki

CA_P12 = "ca.p12"
CA_PEM = "ca.pem"


def keystore_dir() -> Path:
    return Path(settings.SIGNING_KEYSTORE_DIR)


def passphrase() -> str:
    return settings.SIGNING_KEYSTORE_PASSPHRASE


def resolve(relative: str) -> Path:
    """The absolute path of a keystore entry; refuses paths that escape the keystore directory."""
    base = keystore_dir().resolve()
    path = (base / relative).resolve()
    if base != path and base not in path.parents:
        raise DomainError("Đường dẫn khóa nằm ngoài kho khóa.", code="keystore_path_invalid", status_code=500)
    return path


@contextlib.contextmanager
def locked() -> Iterator[None]:
    directory = keystore_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(relative: str, data: bytes) -> Path:
    path = resolve(relative)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def read(relative: str) -> bytes:
    return resolve(relative).read_bytes()


def exists(relative: str) -> bool:
    return resolve(relative).is_file()


def load_keypair(relative: str) -> tuple[pki.KeyPair, list[x509.Certificate]]:
    try:
        return pki.load_pkcs12(read(relative), passphrase=passphrase())
    except FileNotFoundError as exc:
        raise DomainError(
            "Không tìm thấy tệp khóa ký số trong kho khóa.", code="keystore_file_missing", status_code=500
        ) from exc
    except ValueError as exc:
        raise DomainError(
            "Không mở được tệp khóa ký số: sai mật khẩu kho khóa (SIGNING_KEYSTORE_PASSPHRASE) hoặc tệp hỏng.",
            code="keystore_unreadable",
            status_code=500,
        ) from exc


def store_keypair(relative: str, pair: pki.KeyPair, *, friendly_name: str, chain: list[x509.Certificate]) -> None:
    write_atomic(relative, pki.pkcs12_bytes(pair, passphrase=passphrase(), friendly_name=friendly_name, chain=chain))
    write_atomic(public_certificate_path(relative), pki.certificate_pem(pair.certificate).encode("ascii"))


def public_certificate_path(relative: str) -> str:
    return relative.removesuffix(".p12") + ".crt.pem"


def read_public_certificate(relative: str) -> x509.Certificate | None:
    """The certificate stored beside a .p12, or None if there is none (a file imported by hand)."""
    path = resolve(public_certificate_path(relative))
    if not path.is_file():
        return None
    return x509.load_pem_x509_certificate(path.read_bytes())


def trust_anchor_paths() -> list[Path]:
    """SIGNING_TRUST_ANCHORS (e.g. the Ban Cơ yếu root and the province TEST CA), else <keystore>/ca.pem."""
    configured = [Path(item) for item in settings.SIGNING_TRUST_ANCHORS]
    return configured or [keystore_dir() / CA_PEM]


def trust_anchors() -> list[x509.Certificate]:
    anchors: list[x509.Certificate] = []
    for path in trust_anchor_paths():
        if path.is_file():
            anchors.extend(x509.load_pem_x509_certificates(path.read_bytes()))
    return anchors


def trust_anchors_pem() -> str:
    return "".join(pki.certificate_pem(certificate) for certificate in trust_anchors())

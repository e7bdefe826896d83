"""Where the private key lives: a signer backend turns a certificate record into a pyHanko `Signer`.

- `PKCS12Signer`: a .p12/.pfx file (the demo TEST CA's files, or a file issued by the government CA).
- `PKCS11Signer`: a USB token or HSM through its PKCS#11 module (pyHanko's `pyhanko.sign.pkcs11`, which needs the
  optional `python-pkcs11` package). The key never leaves the device; see docs/signing.md for configuration.
"""

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from pyhanko.sign import signers

from dichvucong.common.errors import DomainError

from .models import KeyBackend, SigningCertificate


class SignerBackend(ABC):
    """A source of a pyHanko signer. `open()` is a context manager because tokens hold a session open."""

    @abstractmethod
    @contextlib.contextmanager
    def open(self) -> Iterator[signers.Signer]:
        raise NotImplementedError


class PKCS12Signer(SignerBackend):
    def __init__(self, *, path: Path | str | None = None, data: bytes | None = None, passphrase: str = "") -> None:
        if (path is None) == (data is None):
            raise ValueError("give exactly one of path or data")
        self.path = Path(path) if path is not None else None
        self.data = data
        self.passphrase = passphrase

    @contextlib.contextmanager
    def open(self) -> Iterator[signers.Signer]:
        try:
            data = self.data if self.data is not None else self.path.read_bytes()
            signer = signers.SimpleSigner.load_pkcs12_data(
                data, other_certs=[], passphrase=self.passphrase.encode() if self.passphrase else None)
        except (OSError, ValueError) as exc:
            raise DomainError("Không mở được tệp khóa ký số (PKCS#12): tệp thiếu, hỏng hoặc sai mật khẩu.",
                              code="keystore_unreadable", status_code=500) from exc
        yield signer


def parse_pkcs11_uri(uri: str) -> dict[str, str]:
    """`pkcs11:token=Officer Token;object=signing-key` (RFC 7512 subset) → {"token": ..., "object": ...}."""
    if not uri.startswith("pkcs11:"):
        raise ValueError("not a pkcs11: URI")
    parts = {}
    for item in uri.removeprefix("pkcs11:").split(";"):
        if "=" in item:
            key, value = item.split("=", 1)
            parts[key.strip()] = value.strip()
    return parts


class PKCS11Signer(SignerBackend):
    """A key on a PKCS#11 device. `module` is the vendor library (e.g. the token's .so), `pin` the user PIN.

    Not exercised in the test suite (no token); the import is guarded so the rest works without python-pkcs11.
    """

    def __init__(self, *, module: str, token_label: str, key_label: str, cert_label: str | None = None,
                 pin: str | None = None) -> None:
        self.module = module
        self.token_label = token_label
        self.key_label = key_label
        self.cert_label = cert_label or key_label
        self.pin = pin

    @classmethod
    def from_uri(cls, uri: str) -> "PKCS11Signer":
        parts = parse_pkcs11_uri(uri)
        return cls(module=settings.SIGNING_PKCS11_MODULE, token_label=parts.get("token", ""),
                   key_label=parts.get("object", ""), cert_label=parts.get("cert"),
                   pin=settings.SIGNING_PKCS11_PIN or None)

    @contextlib.contextmanager
    def open(self) -> Iterator[signers.Signer]:
        try:
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign import pkcs11 as pyhanko_pkcs11
        except ImportError as exc:
            raise DomainError("Chưa cài thư viện python-pkcs11 để ký bằng USB token/HSM.",
                              code="pkcs11_unavailable", status_code=500) from exc
        if not self.module:
            raise DomainError("Chưa cấu hình SIGNING_PKCS11_MODULE (thư viện PKCS#11 của thiết bị ký).",
                              code="pkcs11_unavailable", status_code=500)
        session = pyhanko_pkcs11.open_pkcs11_session(
            self.module, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin)
        try:
            yield pyhanko_pkcs11.PKCS11Signer(session, key_label=self.key_label, cert_label=self.cert_label)
        finally:
            session.close()


def backend_for(certificate: SigningCertificate) -> SignerBackend:
    from . import keystore

    if certificate.backend == KeyBackend.PKCS11:
        return PKCS11Signer.from_uri(certificate.storage_path)
    return PKCS12Signer(path=keystore.resolve(certificate.storage_path), passphrase=keystore.passphrase())

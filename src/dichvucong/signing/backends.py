"""Where the private key lives: a signer backend turns a certificate record into a pyHanko `Signer`.

- `PKCS12Signer`: a .p12/.pfx file (the demo TEST CA's files, or a file issued by the government CA).
- `PKCS11Signer`: a USB token or HSM through its PKCS#11 module (pyHanko's `pyhanko.sign.pkcs11`, which needs the
  optional `python-pkcs11` package). The key never leaves the device; see docs/signing.md for configuration.
"""

import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError

from dichvucong.common.errors import DomainError

from .models import KeyBackend, SigningCertificate

logger = logging.getLogger(__name__)


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
                data, other_certs=[], passphrase=self.passphrase.encode() if self.passphrase else None
            )
        except (OSError, ValueError) as exc:
            raise DomainError(
                "Không mở được tệp khóa ký số (PKCS#12): tệp thiếu, hỏng hoặc sai mật khẩu.",
                code="keystore_unreadable",
                status_code=500,
            ) from exc
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

    The import is guarded so the rest works without python-pkcs11 (`pip install -e ".[pkcs11]"`). Errors of the
    module or the token (wrong PIN, token missing, module not loadable) become `pkcs11_error` (503), not raw 500s.
    """

    def __init__(
        self, *, module: str, token_label: str, key_label: str, cert_label: str | None = None, pin: str | None = None
    ) -> None:
        self.module = module
        self.token_label = token_label
        self.key_label = key_label
        self.cert_label = cert_label or key_label
        self.pin = pin

    @classmethod
    def from_uri(cls, uri: str) -> "PKCS11Signer":
        parts = parse_pkcs11_uri(uri)
        return cls(
            module=settings.SIGNING_PKCS11_MODULE,
            token_label=parts.get("token", ""),
            key_label=parts.get("object", ""),
            cert_label=parts.get("cert"),
            pin=settings.SIGNING_PKCS11_PIN or None,
        )

    @contextlib.contextmanager
    def open(self) -> Iterator[signers.Signer]:
        try:
            from pkcs11.exceptions import PKCS11Error
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign import pkcs11 as pyhanko_pkcs11
        except ImportError as exc:
            raise DomainError(
                "Chưa cài thư viện python-pkcs11 để ký bằng USB token/HSM.", code="pkcs11_unavailable", status_code=500
            ) from exc
        if not self.module:
            raise DomainError(
                "Chưa cấu hình SIGNING_PKCS11_MODULE (thư viện PKCS#11 của thiết bị ký).",
                code="pkcs11_unavailable",
                status_code=500,
            )
        try:
            session = pyhanko_pkcs11.open_pkcs11_session(
                self.module, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
            )
        except (PKCS11Error, SigningError, OSError, RuntimeError) as exc:  # older python-pkcs11: RuntimeError
            raise pkcs11_domain_error(exc, token_label=self.token_label) from exc
        try:
            yield pyhanko_pkcs11.PKCS11Signer(session, key_label=self.key_label, cert_label=self.cert_label)
        except PKCS11Error as exc:  # the token went away, the key is missing, the device refused to sign
            raise pkcs11_domain_error(exc, token_label=self.token_label) from exc
        finally:
            with contextlib.suppress(PKCS11Error):
                session.close()


def pkcs11_domain_error(exc: BaseException, *, token_label: str) -> DomainError:
    """A token/HSM error as a `pkcs11_error` (503) with a Vietnamese message; the device's own text is only logged.

    A wrong or locked PIN, a token that is not plugged in, a vendor module that cannot be loaded: each is an
    operating problem of the signing device, not a bug, so the officer sees what to check instead of a raw 500."""
    from pkcs11 import exceptions as p11

    logger.warning("PKCS#11 error on token %r: %s: %s", token_label, type(exc).__name__, exc)
    if isinstance(exc, p11.PinIncorrect | p11.PinInvalid | p11.PinLenRange | p11.PinExpired):
        message = _("Mã PIN của thiết bị ký số (USB token/HSM) không đúng hoặc đã hết hạn.")
    elif isinstance(exc, p11.PinLocked):
        message = _("Thiết bị ký số (USB token/HSM) đã bị khóa do nhập sai mã PIN nhiều lần.")
    elif isinstance(
        exc, p11.NoSuchToken | p11.TokenNotPresent | p11.TokenNotRecognised | p11.DeviceRemoved | p11.SlotIDInvalid
    ) or str(exc).startswith("No token"):  # pyHanko: no token with that label
        message = _(
            "Không tìm thấy thiết bị ký số (USB token/HSM) «%(token)s»; kiểm tra thiết bị đã được cắm và kết nối."
        ) % {"token": token_label}
    elif isinstance(exc, p11.NoSuchKey | p11.MultipleObjectsReturned):
        message = _("Không tìm thấy khóa ký số trên thiết bị ký số (USB token/HSM) «%(token)s».") % {
            "token": token_label
        }
    else:
        message = _("Không mở được thiết bị ký số (PKCS#11): kiểm tra thư viện của thiết bị, thiết bị và mã PIN.")
    return DomainError(message, code="pkcs11_error", status_code=503)


def backend_for(certificate: SigningCertificate) -> SignerBackend:
    from . import keystore

    if certificate.backend == KeyBackend.PKCS11:
        return PKCS11Signer.from_uri(certificate.storage_path)
    return PKCS12Signer(path=keystore.resolve(certificate.storage_path), passphrase=keystore.passphrase())

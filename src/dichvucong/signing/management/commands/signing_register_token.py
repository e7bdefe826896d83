"""Register a certificate whose key lives on a PKCS#11 device (USB token, HSM): only the public part is stored."""

from cryptography import x509
from django.core.management.base import BaseCommand, CommandError

from dichvucong.accounts.models import User
from dichvucong.agencies.models import Agency
from dichvucong.common.errors import DomainError
from dichvucong.signing.models import CertificateKind, KeyBackend
from dichvucong.signing.services import certificate_register


class Command(BaseCommand):
    help = (
        "Đăng ký chứng thư số có khóa nằm trên USB token/HSM (PKCS#11). Khi ký, hệ thống mở thiết bị qua "
        "SIGNING_PKCS11_MODULE với mã PIN SIGNING_PKCS11_PIN."
    )

    def add_arguments(self, parser):
        parser.add_argument("certificate", help="tệp chứng thư (PEM) xuất từ thiết bị")
        parser.add_argument("--token", required=True, help="nhãn (label) của token")
        parser.add_argument("--key", required=True, help="nhãn của khóa bí mật trên token")
        holder = parser.add_mutually_exclusive_group(required=True)
        holder.add_argument("--user", help="tên tài khoản cán bộ")
        holder.add_argument("--agency", help="mã cơ quan (QCVN 102)")

    def handle(self, *args, certificate, token, key, user, agency, **options):
        owner = User.objects.filter(username=user).first() if user else None
        holder_agency = Agency.objects.filter(code=agency).first() if agency else None
        if (user and owner is None) or (agency and holder_agency is None):
            raise CommandError("Không tìm thấy tài khoản hoặc cơ quan.")
        if ";" in token + key:
            raise CommandError("Nhãn token/khóa không được chứa dấu ';'.")
        try:
            with open(certificate, "rb") as handle:
                cert = x509.load_pem_x509_certificate(handle.read())
            record = certificate_register(
                actor="manage.py signing_register_token",
                certificate=cert,
                kind=CertificateKind.OFFICER if owner else CertificateKind.AGENCY_SEAL,
                owner_user=owner,
                agency=holder_agency,
                backend=KeyBackend.PKCS11,
                storage_path=f"pkcs11:token={token};object={key}",
            )
        except (OSError, ValueError) as exc:
            raise CommandError(f"Không đọc được chứng thư: {exc}") from exc
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"Đã đăng ký: {record.common_name} → {record.storage_path}")

"""Import a PKCS#12 (.p12/.pfx) issued by a licensed CA (e.g. Ban Cơ yếu Chính phủ) for an officer or an agency."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from dichvucong.accounts.models import User
from dichvucong.agencies.models import Agency
from dichvucong.common.errors import DomainError
from dichvucong.signing.models import CertificateKind
from dichvucong.signing.services import certificate_import_pkcs12


class Command(BaseCommand):
    help = (
        "Nhập chứng thư số dạng PKCS#12 cho cán bộ (--user) hoặc cơ quan (--agency). Mật khẩu tệp lấy từ biến "
        "môi trường SIGNING_IMPORT_PASSWORD hoặc được hỏi; tệp được mã hóa lại bằng mật khẩu kho khóa."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn tệp .p12/.pfx")
        holder = parser.add_mutually_exclusive_group(required=True)
        holder.add_argument("--user", help="tên tài khoản cán bộ")
        holder.add_argument("--agency", help="mã cơ quan (QCVN 102), cho chữ ký số của cơ quan")

    def handle(self, *args, file, user, agency, **options):
        password = os.environ.get("SIGNING_IMPORT_PASSWORD")
        if password is None:
            password = getpass.getpass("Mật khẩu tệp PKCS#12: ")
        owner = User.objects.filter(username=user).first() if user else None
        holder_agency = Agency.objects.filter(code=agency).first() if agency else None
        if (user and owner is None) or (agency and holder_agency is None):
            raise CommandError("Không tìm thấy tài khoản hoặc cơ quan.")
        try:
            with open(file, "rb") as handle:
                data = handle.read()
            record = certificate_import_pkcs12(
                actor="manage.py signing_import_pkcs12",
                data=data,
                password=password,
                kind=CertificateKind.OFFICER if owner else CertificateKind.AGENCY_SEAL,
                owner_user=owner,
                agency=holder_agency,
            )
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from exc
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(
            f"Đã nhập: {record.common_name} (số hiệu {record.serial}, hết hạn {record.not_after:%d/%m/%Y}) "
            f"→ {record.storage_path}"
        )

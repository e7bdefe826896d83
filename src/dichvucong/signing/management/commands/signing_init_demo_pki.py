"""Create the provincial TEST CA and the demo officers' and agency seals' certificates (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dichvucong.signing import keystore
from dichvucong.signing.demo_pki import DEMO_SIGNERS, demo_pki_init


class Command(BaseCommand):
    help = (
        "Tạo CA thử nghiệm của tỉnh (TEST) và chứng thư số cho các tài khoản cán bộ demo, lưu dạng PKCS#12 "
        "trong SIGNING_KEYSTORE_DIR. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help=f"tài khoản cán bộ (mặc định: {', '.join(DEMO_SIGNERS)})")
        parser.add_argument(
            "--key-type", choices=["rsa", "ec"], default="rsa", help="RSA 2048 (mặc định) hoặc EC P-256"
        )

    def handle(self, *args, usernames, key_type, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("Không tạo CA thử nghiệm trong môi trường production.")
        if not keystore.passphrase():
            raise CommandError("Đặt SIGNING_KEYSTORE_PASSPHRASE trước khi tạo kho khóa.")
        with transaction.atomic():
            report = demo_pki_init(usernames=tuple(usernames) or DEMO_SIGNERS, key_type=key_type)
        self.stdout.write(f"Kho khóa: {keystore.keystore_dir()}")
        self.stdout.write(("Đã tạo" if report.ca_created else "Dùng lại") + f" CA: {keystore.trust_anchor_paths()[0]}")
        for path in report.issued:
            self.stdout.write(f"  cấp mới: {path}")
        for path in report.reused:
            self.stdout.write(f"  dùng lại: {path}")
        for username in report.skipped:
            self.stderr.write(f"  bỏ qua (không có tài khoản): {username}")

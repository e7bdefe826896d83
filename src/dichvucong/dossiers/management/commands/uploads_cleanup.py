from django.core.management.base import BaseCommand

from dichvucong.dossiers.uploads import uploads_cleanup


class Command(BaseCommand):
    help = "Xóa các tệp tải lên đã hết hạn mà chưa được dùng trong hồ sơ nào."

    def handle(self, *args, **options):
        removed = uploads_cleanup()
        self.stdout.write(f"Đã xóa {removed} tệp tải lên hết hạn.")

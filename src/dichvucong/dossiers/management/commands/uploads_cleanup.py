from django.core.management.base import BaseCommand

from dichvucong.dossiers.uploads import orphan_files_cleanup, uploads_cleanup


class Command(BaseCommand):
    help = (
        "Xóa các tệp tải lên đã hết hạn mà chưa được dùng trong hồ sơ nào, và các tệp mồ côi trên đĩa "
        "(không bản ghi nào trỏ tới, ví dụ do máy chủ dừng đột ngột giữa lúc tải lên)."
    )

    def handle(self, *args, **options):
        removed = uploads_cleanup()
        orphans = orphan_files_cleanup()
        self.stdout.write(f"Đã xóa {removed} tệp tải lên hết hạn và {orphans} tệp mồ côi.")

"""`manage.py catalog_import FILE.json|FILE.json.gz|FILE.xlsx`: all-or-nothing import with progress and every bad row."""

import gzip
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dichvucong.catalog.services import ImportRejected, catalog_import
from dichvucong.catalog.transfer import FileUnreadable, read_json, read_xlsx


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp JSON hoặc Excel (docs/catalog-format.md); lỗi một dòng thì không áp dụng gì."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"Không có tệp {path}.")
        try:
            reader = read_xlsx if file.suffix.lower() == ".xlsx" else read_json
            data = file.read_bytes()
            if file.suffix.lower() == ".gz":
                data, reader = gzip.decompress(data), read_json
            records, problems = reader(data)
        except (FileUnreadable, OSError, EOFError) as exc:
            raise CommandError(str(exc)) from exc

        def progress(done: int, total: int) -> None:
            if done == total or done % 10 == 0:
                self.stdout.write(f"  {done}/{total}")

        try:
            result = catalog_import(
                actor="manage.py catalog_import", records=records, problems=problems, progress=progress
            )
        except ImportRejected as exc:
            for row in exc.fields["rows"]:
                self.stderr.write(f"dòng {row['row']}: {row['field']}: {row['reason']}")
            raise CommandError(exc.detail) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result['total']} thủ tục ({result['created']} mới, {result['updated']} cập nhật)."
            )
        )

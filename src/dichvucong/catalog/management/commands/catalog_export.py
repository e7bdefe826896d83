"""`manage.py catalog_export FILE.json|FILE.xlsx`: the whole catalogue in the format of docs/catalog-format.md."""

from pathlib import Path

from django.core.management.base import BaseCommand

from dichvucong.catalog.services import catalog_export_records
from dichvucong.catalog.transfer import dump_json, dump_xlsx


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục ra tệp JSON hoặc Excel."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        records = catalog_export_records()
        file.write_bytes(dump_xlsx(records) if file.suffix.lower() == ".xlsx" else dump_json(records))
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {len(records)} thủ tục ra {file}."))

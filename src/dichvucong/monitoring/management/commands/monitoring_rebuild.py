"""`manage.py monitoring_rebuild`: recompute the rollups from the dossier table (after a bulk load, or to check)."""

from django.core.management.base import BaseCommand

from dichvucong.monitoring.rollups import rebuild


class Command(BaseCommand):
    help = "Dựng lại số liệu tổng hợp (báo cáo) từ bảng hồ sơ."

    def handle(self, *args, **options):
        self.stdout.write(f"Số liệu tổng hợp: {rebuild()}")

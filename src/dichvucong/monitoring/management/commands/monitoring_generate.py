"""`manage.py monitoring_generate --dossiers 1000000`: realistic volumes (generator.py), then the rollups rebuilt."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from dichvucong.monitoring.generator import PER_DAY, PROCEDURES, Generator
from dichvucong.monitoring.rollups import rebuild


class Command(BaseCommand):
    help = "Sinh hồ sơ mô phỏng theo số liệu của Kế hoạch 111/KH-UBND (≈920 hồ sơ/ngày, 1.975 TTHC) rồi dựng lại số liệu tổng hợp."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--per-day", type=int, default=PER_DAY)
        parser.add_argument("--procedures", type=int, default=PROCEDURES)
        parser.add_argument(
            "--start", default="", help="first working day (YYYY-MM-DD); default: so that the data end today"
        )
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--no-rebuild", action="store_true")

    def handle(self, *args, dossiers, per_day, procedures, start, seed, no_rebuild, **options):
        if dossiers <= 0 or per_day <= 0:
            raise CommandError("--dossiers và --per-day phải lớn hơn 0.")
        generator = Generator(seed=seed, per_day=per_day, start=datetime.date.fromisoformat(start) if start else None)
        generator.prepare(procedures)
        written = generator.generate(dossiers, progress=lambda n: self.stdout.write(f"  {n:,} hồ sơ"))
        self.stdout.write(f"Đã sinh {written:,} hồ sơ.")
        if not no_rebuild:
            self.stdout.write(f"Số liệu tổng hợp: {rebuild()}")

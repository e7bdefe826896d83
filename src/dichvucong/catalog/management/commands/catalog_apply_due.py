"""`manage.py catalog_apply_due [--date YYYY-MM-DD]`: apply the procedure versions whose effective date has come.

The same work as the beat task `catalog.apply_due_versions`; safe to run any number of times.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from dichvucong.catalog.services import versions_apply_due


class Command(BaseCommand):
    help = "Áp dụng các thay đổi danh mục đã đến ngày có hiệu lực (quyết định công bố trước)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay")

    def handle(self, *args, date: str | None = None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("Ngày phải theo định dạng YYYY-MM-DD.") from exc
        applied = versions_apply_due(actor="manage.py catalog_apply_due", today=day)
        self.stdout.write(self.style.SUCCESS(f"Đã áp dụng {applied} phiên bản thủ tục đến ngày có hiệu lực."))

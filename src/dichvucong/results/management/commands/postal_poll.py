"""`manage.py postal_poll [--older-than-minutes 60]`: ask the postal carrier about parcels without an answer."""

import datetime

from django.core.management.base import BaseCommand

from dichvucong.results.postal import postal_poll_sent


class Command(BaseCommand):
    help = "Hỏi đơn vị bưu chính trạng thái các bưu gửi kết quả chưa có thông báo phát (callback bị lỡ)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, **options):
        counts = postal_poll_sent(older_than=datetime.timedelta(minutes=options["older_than_minutes"]))
        self.stdout.write(", ".join(f"{code}: {count}" for code, count in sorted(counts.items())) or "0")

import datetime

from django.core.management.base import BaseCommand

from dichvucong.payments.services import payment_poll_pending


class Command(BaseCommand):
    help = "Query the payment platform about pending payments whose callback never came."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=None,
            help="only payments created at least this long ago (default PAYMENT_POLL_AFTER_MINUTES)",
        )

    def handle(self, *args, older_than_minutes=None, **options):
        older_than = datetime.timedelta(minutes=older_than_minutes) if older_than_minutes is not None else None
        counts = payment_poll_pending(older_than=older_than)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(counts.items())) or "nothing pending"
        self.stdout.write(summary)

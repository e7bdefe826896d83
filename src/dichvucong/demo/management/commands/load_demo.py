from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dichvucong.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the Hưng Yên demo data (agencies, accounts, ...). Idempotent; refused in production."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded in production (DJANGO_ENV=production).")
        agencies = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(agencies)} agencies."))

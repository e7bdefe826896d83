from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dichvucong.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the Hưng Yên demo data (agencies, accounts, ...). Idempotent; refused in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-national-catalog",
            action="store_true",
            help="Skip the ≈1,550 procedures of the national catalogue (only the 70 detailed ones).",
        )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded in production (DJANGO_ENV=production).")
        agencies = load_demo(national_catalog=not options["without_national_catalog"])
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(agencies)} agencies."))

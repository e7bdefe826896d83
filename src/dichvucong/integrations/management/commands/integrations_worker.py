"""`python manage.py integrations_worker`: the outbox worker without a broker (the embedded default, `make run`):
delivers what is due every INTEGRATIONS_SWEEP_SECONDS and pulls the national portal's dossiers every minute.
In production run Celery instead (README, "Workers"): `celery -A dichvucong worker` and `celery -A dichvucong beat`."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from dichvucong.integrations import outbox
from dichvucong.integrations.inbound import national_portal_pull
from dichvucong.integrations.services import catalog_sync


class Command(BaseCommand):
    help = "Deliver the outbox and pull the National Public Service Portal (no broker needed)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--no-pull", action="store_true", help="do not pull the national portal")
        parser.add_argument("--sync-catalog", action="store_true", help="queue the catalogue packets first")
        parser.add_argument("--pull-every", type=float, default=60.0)
        parser.add_argument("--sweep", type=float, default=None, help="seconds between rounds")

    def handle(self, *args, **options):
        from django.conf import settings

        sweep = options["sweep"] or float(settings.INTEGRATIONS_SWEEP_SECONDS)
        if options["sync_catalog"]:
            self.stdout.write(f"catalogue: {len(catalog_sync(actor='integrations_worker'))} packets queued")
        last_pull = 0.0
        while True:
            if not options["no_pull"] and time.monotonic() - last_pull >= options["pull_every"]:
                last_pull = time.monotonic()
                counts = national_portal_pull()
                if counts.get("imported") or counts.get("rejected"):
                    self.stdout.write(f"national portal pull: {counts}")
            counts = outbox.deliver_due()
            if counts:
                self.stdout.write(f"outbox: {counts}")
            if options["once"]:
                return
            time.sleep(sweep)
            close_old_connections()  # a long-running process: drop a connection the database closed

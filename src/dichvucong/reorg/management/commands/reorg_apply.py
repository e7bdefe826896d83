from django.core.management.base import BaseCommand, CommandError

from dichvucong.common.errors import DomainError
from dichvucong.reorg.models import Plan
from dichvucong.reorg.services import plan_apply, plans_apply_due


class Command(BaseCommand):
    help = (
        "Apply (or resume) an approved reorganisation plan whose date has come: `reorg_apply <uuid>`; without a "
        "uuid, every due plan (what the beat task reorg.apply_due_plans does). Idempotent, resumable."
    )

    def add_arguments(self, parser):
        parser.add_argument("uuid", nargs="?")
        parser.add_argument("--batch-size", type=int, default=200, help="open dossiers per transaction")

    def handle(self, *args, **options):
        try:
            if not options.get("uuid"):
                applied = plans_apply_due(actor="manage.py reorg_apply")
                self.stdout.write(f"{len(applied)} plan(s) applied.")
                return
            plan = Plan.objects.filter(uuid=options["uuid"]).first()
            if plan is None:
                raise CommandError(f"No plan {options['uuid']}.")
            summary = plan_apply(actor="manage.py reorg_apply", plan=plan, batch_size=options["batch_size"])
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.detail}") from error
        self.stdout.write(self.style.SUCCESS(f"Applied «{plan.title}»: {len(summary)} steps."))

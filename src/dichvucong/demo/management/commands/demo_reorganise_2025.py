import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dichvucong.common.errors import DomainError
from dichvucong.demo.reorganise_2025 import reorganisation_plan, reorganise_2025
from dichvucong.reorg.models import PlanStatus
from dichvucong.reorg.preview import plan_preview, preview_workbook


class Command(BaseCommand):
    help = (
        "Apply the 2025 reorganisation of Hưng Yên (merged province, 104 communes, merged departments, no district "
        "tier) to the loaded demo, as if it took effect today. Idempotent; resumes a run that stopped half-way."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="effective date (YYYY-MM-DD), default today")
        parser.add_argument("--preview", metavar="FILE.xlsx", help="only write the preview workbook; change nothing")

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("The demo reorganisation is never run in production (DJANGO_ENV=production).")
        day = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        try:
            if options.get("preview"):
                plan = reorganisation_plan(day)
                preview = plan_preview(plan)
                Path(options["preview"]).write_bytes(preview_workbook(preview))
                self.stdout.write(f"Preview written to {options['preview']}: {preview['counts']}")
                return
            plan, summary = reorganise_2025(day)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.detail}") from error
        if summary is None:
            self.stdout.write(f"«{plan.title}» was already applied; nothing to do.")
            return
        moved = sum(v.get("moved", 0) for k, v in summary.items() if k.startswith("dossiers:") and v)
        assert plan.status == PlanStatus.APPLIED
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied «{plan.title}» from {plan.effective_on:%d/%m/%Y}: "
                f"{summary['structure']['created'] if summary.get('structure') else 0} units created, "
                f"{summary['close']['closed']} closed, {moved} open dossiers carried over."
            )
        )

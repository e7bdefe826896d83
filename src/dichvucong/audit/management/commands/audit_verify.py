from django.core.management.base import BaseCommand, CommandError

from dichvucong.audit.checkpoints import checkpoint_path, read_checkpoints
from dichvucong.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain (AUDIT_HMAC_KEYS) and its signed checkpoints outside the database "
        "(AUDIT_CHECKPOINT_DIR); exits non-zero if any row was edited, deleted, inserted or the log re-chained."
    )

    def handle(self, *args, **options):
        problems = audit_chain_verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.entry_id}: {problem.reason}")
            raise CommandError(f"Audit chain broken: {len(problems)} problem(s)")
        checkpoints = read_checkpoints(checkpoint_path())
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact ({len(checkpoints)} checkpoint(s) matched)"))
        if not checkpoints:
            self.stdout.write(f"No checkpoint at {checkpoint_path()}: run `manage.py audit_checkpoint` (beat: hourly).")

from django.core.management.base import BaseCommand, CommandError

from dichvucong.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log hash chain; exits non-zero if any row was edited, deleted or inserted."

    def handle(self, *args, **options):
        problems = audit_chain_verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.entry_id}: {problem.reason}")
            raise CommandError(f"Audit chain broken: {len(problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS("Audit chain intact"))

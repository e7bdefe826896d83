from django.core.management.base import BaseCommand

from dichvucong.audit.checkpoints import audit_checkpoint, checkpoint_path


class Command(BaseCommand):
    help = "Append a signed checkpoint of the audit chain's head to AUDIT_CHECKPOINT_DIR (outside the database)."

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint()
        self.stdout.write(
            f"Checkpoint {checkpoint.length} rows, last #{checkpoint.last_id} {checkpoint.last_hash[:16]}… "
            f"→ {checkpoint_path()}"
        )

"""Files an interrupted upload leaves on disk (written, row never committed: a crash, kill -9) are removed by
`uploads_cleanup` after a grace period; files rows name (uploads, attachments, wallet items) are never touched
(issue 12, item 5)."""

import datetime
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from dichvucong.dossiers.uploads import orphan_files_cleanup

from .conftest import submit_online, upload

pytestmark = pytest.mark.django_db


def _orphan(name: str, age_hours: float) -> str:
    path = default_storage.save(f"dossiers/uploads/2026/01/{name}", io.BytesIO(b"%PDF-1.4 orphan"))
    old = (timezone.now() - datetime.timedelta(hours=age_hours)).timestamp()
    os.utime(default_storage.path(path), (old, old))
    return path


def test_old_orphans_go_recent_ones_and_referenced_files_stay(world):
    dossier = submit_online(world)
    attachment = dossier.attachments.first()
    spare = upload(world.citizen)
    for name in (attachment.file.name, spare.file.name):  # referenced, and made old: still kept
        os.utime(default_storage.path(name), (0, 0))
    old = _orphan("crashed.pdf", age_hours=3)
    recent = _orphan("in-progress.pdf", age_hours=0.1)

    call_command("uploads_cleanup")

    assert not default_storage.exists(old)
    assert default_storage.exists(recent)
    assert default_storage.exists(attachment.file.name) and default_storage.exists(spare.file.name)
    assert orphan_files_cleanup() == 0


def test_no_uploads_folder_is_no_error(world):
    assert orphan_files_cleanup() == 0

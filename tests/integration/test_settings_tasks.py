"""Configuration and background work: upload limits from the environment, the Celery beat schedule names tasks
that the worker really registers (autodiscovery), and the deadline check flags and notifies once."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.dossiers.models import DeadlineAlert, Dossier

from .conftest import counter_dossier, district_procedure


def _settings_in_subprocess(env: dict, *names: str) -> list[str]:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dichvucong.settings'); "
        "django.setup(); from django.conf import settings; "
        f"print(*[getattr(settings, n) for n in {list(names)!r}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.PROJECT_DIR,
    )
    return result.stdout.split()


def test_upload_limits_come_from_the_environment():
    assert _settings_in_subprocess(
        {"UPLOAD_MAX_BYTES": "1234", "DOSSIER_MAX_BYTES": "5678", "UPLOAD_TTL_HOURS": "6"},
        "UPLOAD_MAX_BYTES",
        "DOSSIER_MAX_BYTES",
        "UPLOAD_TTL_HOURS",
    ) == ["1234", "5678", "6"]


def test_the_upload_api_enforces_the_configured_limit(db, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dichvucong.dossiers.demo import DEMO_PDF
    from tests.conftest import auth_client
    from tests.factories import CitizenFactory

    settings.MEDIA_ROOT, settings.UPLOAD_MAX_BYTES = tmp_path, len(DEMO_PDF) - 1
    response = auth_client(CitizenFactory()).post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile("a.pdf", DEMO_PDF)}, format="multipart"
    )
    assert response.status_code == 413


def test_the_beat_schedule_names_registered_tasks():
    from dichvucong import celery_app

    celery_app.loader.import_default_modules()  # what the worker and beat do at start: autodiscover tasks.py
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "dossiers.uploads_cleanup",
        "dossiers.flag_deadlines",
        "payments.poll_pending",
        "workflows.activate_due_processes",
        "catalog.apply_due_versions",
        "integrations.deliver_due",
        "integrations.pull_national_portal",
        "integrations.sync_catalog",
        "audit.checkpoint",
        "reorg.apply_due_plans",
        "monitoring.generate_monthly_drafts",
    }
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, name
        assert entry["schedule"]


@pytest.mark.django_db
def test_the_deadline_check_flags_due_soon_and_overdue_dossiers_once_and_notifies(demo, media):
    from dichvucong.dossiers.tasks import flag_deadlines_task

    User.objects.filter(username__in=["vanlam.reception", "vanlam.specialist"]).update(
        email="canbo@vanlam.hungyen.gov.vn"
    )
    procedure = district_procedure()
    soon, late, calm = (counter_dossier(procedure) for _ in range(3))
    now = timezone.now()
    Dossier.objects.filter(code=soon).update(due_at=now + datetime.timedelta(minutes=30))
    Dossier.objects.filter(code=late).update(due_at=now - datetime.timedelta(hours=1))
    Dossier.objects.filter(code=calm).update(due_at=now + datetime.timedelta(days=20))

    mine = {soon, late, calm}
    counts = flag_deadlines_task.delay().get()
    assert counts["due_soon"] >= 1 and counts["overdue"] >= 1
    alerts = DeadlineAlert.objects.filter(dossier__code__in=mine)
    assert set(alerts.values_list("dossier__code", "kind")) == {(soon, "due_soon"), (late, "overdue")}
    subjects = [message.subject for message in mail.outbox if any(code in message.subject for code in mine)]
    assert len(subjects) == 2 and any(late in s and "Quá hạn" in s for s in subjects)
    assert {tuple(m.to) for m in mail.outbox} == {("canbo@vanlam.hungyen.gov.vn",)}

    # Run again: nothing new; a new due time (e.g. after an apology) is flagged again.
    assert flag_deadlines_task.delay().get() == {"due_soon": 0, "overdue": 0, "notified": 0}
    Dossier.objects.filter(code=late).update(due_at=now - datetime.timedelta(minutes=5))
    assert flag_deadlines_task.delay().get()["overdue"] == 1
    assert alerts.filter(dossier__code=late).count() == 2

"""The daily deadline check: dossiers due before the end of the next working day, or already overdue, are flagged
once (`DeadlineAlert`) and the officers concerned are told by e-mail: the one-stop officers of the receiving agency
and, while the dossier runs through its internal process, the officer holding the current step.

Run by Celery beat (`dossiers.flag_deadlines`, see settings.CELERY_BEAT_SCHEDULE) or `manage.py shell`.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import officers_with_role
from dichvucong.audit.services import audit_record

from . import dossier_deadlines as deadlines
from .models import DeadlineAlert, Dossier
from .registry import registry
from .selectors import ACTIVE_DEADLINE

logger = logging.getLogger(__name__)


def _recipients(dossier: Dossier) -> list[str]:
    users = [*officers_with_role(agency=dossier.agency, role=Role.RECEPTION), *registry.engine.step_holders(dossier)]
    return sorted({user.email for user in users if user.email})


def _notify(alert: DeadlineAlert) -> int:
    dossier = alert.dossier
    recipients = _recipients(dossier)
    if not recipients:
        return 0
    due = timezone.localtime(alert.due_at)
    subject = f"[{alert.get_kind_display()}] Hồ sơ {dossier.code}"
    body = (
        f"Hồ sơ {dossier.code} ({dossier.procedure.name}) của {dossier.applicant_name} "
        f"{'đã quá hạn' if alert.kind == DeadlineAlert.Kind.OVERDUE else 'sắp đến hạn'} trả kết quả: "
        f"{due:%H:%M %d/%m/%Y}.\nBước hiện tại: {dossier.current_step or '–'}."
    )
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
    return len(recipients) if sent else 0


def _record(dossier: Dossier, kind: str) -> DeadlineAlert | None:
    try:
        with transaction.atomic():
            alert = DeadlineAlert.objects.create(dossier=dossier, kind=kind, due_at=dossier.due_at)
            audit_record(
                actor="celery",
                action=f"dossier.deadline_{kind}",
                obj=dossier,
                after={"due_at": dossier.due_at.isoformat(), "status": dossier.status},
            )
    except IntegrityError:  # flagged already for this due time (another run, or a concurrent worker)
        return None
    return alert


def deadlines_flag(*, now=None) -> dict[str, int]:
    """Flag every open dossier due soon or overdue, once per kind and due time; returns counts."""
    now = now or timezone.now()
    limit = deadlines.due_soon_limit(now)
    counts = {"due_soon": 0, "overdue": 0, "notified": 0}
    candidates = (
        Dossier.objects.filter(status__in=ACTIVE_DEADLINE, due_at__isnull=False, due_at__lte=limit)
        .select_related("procedure", "agency")
        .order_by("due_at")
    )
    for dossier in candidates:
        kind = DeadlineAlert.Kind.OVERDUE if dossier.due_at < now else DeadlineAlert.Kind.DUE_SOON
        alert = _record(dossier, kind)
        if alert is None:
            continue
        counts[kind] += 1
        alert.notified = _notify(alert)
        if alert.notified:
            alert.save(update_fields=["notified"])
            counts["notified"] += alert.notified
    logger.info("deadline check: %s", counts)
    return counts

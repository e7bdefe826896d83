"""The desk page as it was before ADR 0026 (model rows of every kind merged in Python), kept as the reference the
new `workflows.desk.desk_page` must equal row for row (tests/workflows/test_desk_fast.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.dossiers.dossier_deadlines import due_soon_limit
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.workflows.desk import (
    DESK_ROLES,
    KIND_LABELS,
    KINDS,
    PAGE_SIZE,
    _agencies_for,
    _consultations,
    _ordered,
    _paid_q,
    _running_q,
    _steps,
    _supplemented_q,
)


def _dossiers(user, kind: str):
    agencies = _agencies_for(user, DESK_ROLES[kind])
    if not agencies:
        return None
    qs = Dossier.objects.visible_to(user).filter(agency_id__in=agencies).select_related("procedure", "agency")
    if kind == "accept":
        return qs.filter(status=Status.NEW).annotate(supplemented=_supplemented_q())
    if kind == "paid":
        return qs.filter(_paid_q(), status=Status.ACCEPTED)
    if kind == "forward":
        return qs.filter(status=Status.ACCEPTED).exclude(_paid_q())
    if kind == "process":
        return qs.filter(status=Status.PROCESSING).exclude(_running_q())
    return qs.filter(status=Status.PROCESSED)


@dataclass
class OldRow:
    kind: str
    dossier: object
    due_at: datetime.datetime | None
    since: datetime.datetime | None
    what: str = ""
    assignee: object = None
    item: object = None
    consultation: object = None
    overdue: bool = False
    due_soon: bool = False
    flags: list[str] = field(default_factory=list)


def reference_desk_page(user, *, scope="mine", kind=None, sort="due", only=None, now=None, page=1, per_page=None):
    now = now or timezone.now()
    limit = due_soon_limit(now)
    page = max(1, page)
    per_page = per_page or PAGE_SIZE
    take = page * per_page + 1
    kinds = [kind] if kind in KIND_LABELS else [k for k, _label in KINDS]
    rows: list[OldRow] = []
    for current in kinds:
        if current == "step":
            for item in _ordered(_steps(user, scope), sort, "started_at", only, now, limit)[:take]:
                rows.append(
                    OldRow(
                        "step",
                        item.run.dossier,
                        item.due_at,
                        item.started_at,
                        what=item.step.name,
                        assignee=item.assignee,
                        item=item,
                    )
                )
        elif current == "consult":
            for consultation in _ordered(_consultations(user), sort, "requested_at", only, now, limit)[:take]:
                rows.append(
                    OldRow(
                        "consult",
                        consultation.run.dossier,
                        consultation.due_at,
                        consultation.requested_at,
                        what=consultation.question,
                        consultation=consultation,
                    )
                )
        else:
            qs = _dossiers(user, current)
            if qs is None:
                continue
            since = "finished_at" if current == "return" else Coalesce("accepted_at", "submitted_at")
            for dossier in _ordered(qs, sort, since, only, now, limit, flags_due=current != "return")[:take]:
                row = OldRow(
                    current,
                    dossier,
                    dossier.due_at,
                    dossier.finished_at if current == "return" else (dossier.accepted_at or dossier.submitted_at),
                    what=str(KIND_LABELS[current]),
                )
                if current == "accept" and getattr(dossier, "supplemented", False):
                    row.flags.append(str(_("Đã bổ sung")))
                rows.append(row)
    for row in rows:
        if row.due_at is not None and row.kind != "return":
            row.overdue = row.due_at < now
            row.due_soon = not row.overdue and row.due_at <= limit
    if only == "overdue":
        rows = [row for row in rows if row.overdue]
    elif only == "due_soon":
        rows = [row for row in rows if row.due_soon]
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    if sort == "waiting":
        rows.sort(key=lambda r: (r.since or far, r.dossier.pk))
    elif sort == "-due":
        rows.sort(key=lambda r: (r.due_at is not None, r.due_at or far, r.dossier.pk), reverse=True)
    else:
        rows.sort(key=lambda r: (r.due_at is None, r.due_at or far, r.dossier.pk))
    start = (page - 1) * per_page
    return rows[start : start + per_page], len(rows) > start + per_page

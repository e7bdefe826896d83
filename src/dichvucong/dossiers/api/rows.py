"""The rows of `GET /api/v1/dossiers/` without DRF's per-field machinery (docs/adr/0018-keyset-lists.md).

Exactly what `serializers.DossierSerializer(rows, many=True).data` gives (the same keys in the same order, the
same values: ISO 8601 times in the current time zone, `Z` for UTC, UUIDs as text, dates as `YYYY-MM-DD`), written
as one function over the page's model instances: `tests/dossiers/test_list_rows.py` compares the two on a page of
factory-built dossiers, and `benchmarks/list_serialisation.py` measures them side by side. The serializer stays
the schema (OpenAPI) and the detail's base class.
"""

from __future__ import annotations

from django.utils import timezone

from ..dossier_deadlines import due_soon_limit
from ..selectors import deadline_flags
from ..state_machine import Status

# The columns the rows read (`QuerySet.only`): the page query loads neither the form data nor the other JSON and
# text columns no list shows. A field added to the rows must be added here (tests/dossiers/test_list_rows.py counts
# the queries: a deferred field read per row would add one each).
LIST_COLUMNS = (
    "code",
    "uuid",
    "status",
    "channel",
    "procedure__code",
    "procedure__name",
    "procedure__processing_days",
    "agency__code",
    "agency__name",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_organisation",
    "applicant_tax_code",
    "summary",
    "submitted_at",
    "received_at",
    "accepted_at",
    "due_at",
    "finished_at",
    "returned_at",
    "timeliness",
    "current_step",
    "created_at",
)


def api_time(value, zone) -> str | None:
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def dossier_list_rows(rows) -> list[dict]:
    """One dict per dossier (`select_related("procedure", "agency")` rows), as DossierSerializer renders it.
    What DRF does per field and row is done once per page: the time zone, the status labels (translated in the
    request's language), the due-soon limit."""
    if not rows:
        return []
    limit = due_soon_limit(timezone.now())
    zone = timezone.get_current_timezone()
    labels = {status: str(label) for status, label in Status.choices}
    return [dossier_row(d, limit=limit, zone=zone, labels=labels) for d in rows]


def dossier_row(d, *, limit, zone, labels) -> dict:
    """One dossier as DossierSerializer renders it (`labels`: status → translated label; `limit`: due-soon limit).
    The list's row and the first keys of the status read's body (serializers.dossier_detail_data)."""
    procedure, agency = d.procedure, d.agency
    flags = deadline_flags(d, limit=limit)
    national_status = d.national_status
    due_date = d.due_date
    return {
        "code": d.code,
        "id": str(d.uuid),
        "status": d.status,
        "status_label": labels[d.status],
        "national_status": None if national_status is None else int(national_status),
        "channel": d.channel,
        "national_channel": int(d.national_channel),
        "procedure": {
            "code": procedure.code,
            "name": procedure.name,
            "processing_days": str(procedure.processing_days),
        },
        "agency": {"code": agency.code, "name": agency.name},
        "applicant": {
            "full_name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "address": d.applicant_address,
            "organisation": d.applicant_organisation,
            "tax_code": d.applicant_tax_code,
        },
        "summary": d.summary,
        "submitted_at": api_time(d.submitted_at, zone),
        "received_at": api_time(d.received_at, zone),
        "accepted_at": api_time(d.accepted_at, zone),
        "due_at": api_time(d.due_at, zone),
        "due_date": due_date.isoformat() if due_date else None,
        "finished_at": api_time(d.finished_at, zone),
        "returned_at": api_time(d.returned_at, zone),
        "timeliness": d.timeliness,
        "current_step": d.current_step,
        "overdue": flags["overdue"],
        "due_soon": flags["due_soon"],
        "created_at": api_time(d.created_at, zone),
    }

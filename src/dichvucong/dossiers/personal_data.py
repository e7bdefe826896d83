"""Reading a dossier's personal data by an officer leaves an audit row (issue 15 item 5; docs/adr/0010).

The one write a GET may do (ADR 0006 rule 5 otherwise): it changes no state of the dossier, only appends to the audit
log who opened whose data, when, and through which page or endpoint. A citizen reading their own dossier is not
recorded. To keep the log readable and the audit chain's lock off the hot path, one officer's repeated reads of the
same dossier through the same channel are recorded once per PERSONAL_DATA_READ_AUDIT_WINDOW_SECONDS (cache).
"""

from django.conf import settings
from django.core.cache import cache

from dichvucong.accounts.models import UserKind
from dichvucong.audit.services import audit_record

from .models import Dossier

#: The applicant's personal data shown with a dossier (the dossier's own columns; form data comes with them).
PERSONAL_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "form_data",
)


def record_personal_data_read(*, user, dossier: Dossier, via: str) -> bool:
    """Record that the officer `user` read `dossier`'s personal data through `via` (a route name). True if a row was
    written, False for citizens and for a repeat within the window."""
    if getattr(user, "kind", None) != UserKind.STAFF:
        return False
    key = f"pii-read:{user.pk}:{dossier.pk}:{via}"
    if not cache.add(key, 1, timeout=settings.PERSONAL_DATA_READ_AUDIT_WINDOW_SECONDS):
        return False
    audit_record(
        actor=user,
        action="dossier.personal_data_read",
        obj=dossier,
        after={"via": via, "fields": list(PERSONAL_FIELDS), "applicant_id_number": dossier.applicant_id_number},
    )
    return True

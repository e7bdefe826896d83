"""Identity reads."""

from .models import RegistryConsent
from .prefill import mismatches


def latest_registry_consent(citizen_id: str) -> RegistryConsent | None:
    if not citizen_id:
        return None
    return RegistryConsent.objects.filter(citizen_id=citizen_id).order_by("-consent_at").first()


def registry_check(*, citizen_id: str, typed: dict) -> dict | None:
    """For the officer: the last registry answer for `citizen_id` against the typed applicant data, or None if the
    registry was never consulted for this person. {"consent": row, "mismatches": [...]}."""
    consent = latest_registry_consent(citizen_id)
    if consent is None:
        return None
    return {"consent": consent, "mismatches": mismatches(consent.snapshot, typed)}

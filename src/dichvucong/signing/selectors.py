"""Reads of the signing context: which certificate a person or an agency signs with, who sees which certificate."""

from django.db.models import QuerySet

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies, user_has_role

from .models import CertificateKind, SigningCertificate


def officer_certificate_for(user) -> SigningCertificate | None:
    """The officer's usable personal certificate (the newest one if several are valid)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        SigningCertificate.objects.usable()
        .filter(kind=CertificateKind.OFFICER, owner_user=user)
        .order_by("-not_after")
        .first()
    )


def agency_seal_certificate_for(agency) -> SigningCertificate | None:
    return (
        SigningCertificate.objects.usable()
        .filter(kind=CertificateKind.AGENCY_SEAL, agency=agency)
        .order_by("-not_after")
        .first()
    )


def certificates_visible_to(user) -> QuerySet[SigningCertificate]:
    """Province admins see all; an officer sees their own and the seals of agencies where they are clerk."""
    queryset = SigningCertificate.objects.select_related("owner_user", "agency")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user_has_role(user, Role.PROVINCE_ADMIN):
        return queryset
    clerk_agencies = [agency.pk for agency in user_agencies(user, role=Role.CLERK)]
    return queryset.filter(owner_user=user) | queryset.filter(
        kind=CertificateKind.AGENCY_SEAL, agency_id__in=clerk_agencies
    )

"""`make run` has working signing: the demo loader issues the certificates of the demo leaders and clerks."""

import pytest

from dichvucong.accounts.models import RoleAssignment
from dichvucong.signing.demo import load_demo
from dichvucong.signing.demo_pki import DEMO_SIGNERS
from dichvucong.signing.models import CertificateKind, SigningCertificate
from dichvucong.signing.services import pdf_sign
from dichvucong.signing.verification import pdf_verify

from .conftest import make_pdf

pytestmark = pytest.mark.django_db


def test_demo_leaders_and_clerks_can_sign_and_seal(demo):
    from dichvucong.accounts.models import User

    officers = set(
        SigningCertificate.objects.filter(kind=CertificateKind.OFFICER).values_list("owner_user__username", flat=True)
    )
    seals = set(
        SigningCertificate.objects.filter(kind=CertificateKind.AGENCY_SEAL).values_list("agency__code", flat=True)
    )
    assert (
        officers
        == set(DEMO_SIGNERS)
        >= {
            "sotp.leader",
            "vanlam.leader",
            "sotp.clerk",
            "vanlam.clerk",
            "nhuquynh.leader",
            "vangiang.leader",
            "soyte.clerk",
        }
    )
    clerk_agencies = set(
        RoleAssignment.objects.filter(user__username__in=DEMO_SIGNERS, role="clerk").values_list(
            "agency__code", flat=True
        )
    )
    assert seals == clerk_agencies >= {demo["000.00.04.H31"].code, demo["000.00.23.H31"].code}

    leader, clerk = User.objects.get(username="vanlam.leader"), User.objects.get(username="vanlam.clerk")
    signed = pdf_sign(actor=leader, pdf_bytes=make_pdf(), signer=leader, reason="Phê duyệt", location="Văn Lâm")
    signed = pdf_sign(
        actor=clerk,
        pdf_bytes=signed,
        signer=clerk,
        reason="Đóng dấu",
        location="Văn Lâm",
        seal_of=demo["000.00.23.H31"],
    )
    assert pdf_verify(signed).valid


def test_loading_the_demo_twice_changes_nothing(demo):
    before = list(SigningCertificate.objects.order_by("pk").values_list("fingerprint", "active"))

    load_demo(demo)

    assert list(SigningCertificate.objects.order_by("pk").values_list("fingerprint", "active")) == before

"""Signing fixtures: one keystore per test session (keys generated once), fixed people and agencies so that the
certificates on file are reused by every test instead of being regenerated."""

import io
from dataclasses import dataclass

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dichvucong.accounts.roles import Role
from dichvucong.agencies.models import Agency, AgencyKind, Tier
from dichvucong.agencies.services import agency_create
from dichvucong.signing import pki
from dichvucong.signing.backends import PKCS12Signer
from dichvucong.signing.demo_pki import demo_pki_init
from tests.factories import AgencyFactory, StaffFactory
from tests.module_demo import KEYSTORE_PASSPHRASE

RESULT_TEXT = "GIAY CHUNG NHAN SO 123/GCN-STP"


def make_pdf(text: str = RESULT_TEXT, pages: int = 1) -> bytes:
    """A small uncompressed PDF, so tests can find and alter the text of its content stream."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    for page in range(pages):
        document.drawString(72, 760, f"{text} - trang {page + 1}")
        document.showPage()
    document.save()
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _signing_settings(settings, keystore_dir):
    """The session's keystore (`keystore_dir`, tests/conftest.py): the module demo's keys are there too."""
    settings.SIGNING_KEYSTORE_DIR = keystore_dir
    settings.SIGNING_KEYSTORE_PASSPHRASE = KEYSTORE_PASSPHRASE
    settings.SIGNING_TRUST_ANCHORS = []


@dataclass
class Pki:
    justice: Agency
    district: Agency
    leader: object
    clerk: object
    other_leader: object
    other_clerk: object


def _agency(code, name, tier, kind, parent=None):
    return Agency.objects.filter(code=code).first() or agency_create(
        actor="test", code=code, name=name, tier=tier, kind=kind, parent=parent
    )


@pytest.fixture
def demo_pki(db) -> Pki:
    """Sở Tư pháp (leader + clerk) and UBND huyện Văn Lâm (leader + clerk), with certificates and seals."""
    province = AgencyFactory.province()
    justice = _agency("000.00.04.H31", "Sở Tư pháp tỉnh Hưng Yên", Tier.PROVINCE, AgencyKind.DEPARTMENT, province)
    district = _agency(
        "000.00.23.H31", "Ủy ban nhân dân huyện Văn Lâm", Tier.DISTRICT, AgencyKind.PEOPLES_COMMITTEE, province
    )
    people = {
        "sotp.leader": ("Vũ Đức Thắng", Role.LEADER, justice),
        "sotp.clerk": ("Ngô Thị Thu", Role.CLERK, justice),
        "vanlam.leader": ("Bùi Văn Long", Role.LEADER, district),
        "vanlam.clerk": ("Đặng Thị Yến", Role.CLERK, district),
    }
    users = {
        username: StaffFactory(username=username, full_name=name, roles=[(role, agency)])
        for username, (name, role, agency) in people.items()
    }
    demo_pki_init(usernames=tuple(people))
    return Pki(
        justice=justice,
        district=district,
        leader=users["sotp.leader"],
        clerk=users["sotp.clerk"],
        other_leader=users["vanlam.leader"],
        other_clerk=users["vanlam.clerk"],
    )


@pytest.fixture(scope="session")
def foreign_signer() -> PKCS12Signer:
    """A key from a throw-away CA the province does not trust (same names, to show names prove nothing)."""
    ca = pki.create_root_ca(common_name="Hưng Yên Test Root CA (TEST)", organisation="Kẻ mạo danh", key_type="ec")
    pair = pki.issue_signing_certificate(ca=ca, subject=pki.build_name(common_name="Vũ Đức Thắng"), key_type="ec")
    data = pki.pkcs12_bytes(pair, passphrase="x", friendly_name="foreign", chain=[ca.certificate])
    return PKCS12Signer(data=data, passphrase="x")


@pytest.fixture
def unsigned_pdf() -> bytes:
    return make_pdf()

"""Payments fixtures: the payment simulator served over HTTP on a free port of 127.0.0.1 (never a mock)."""

import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.catalog.models import FeeRule, Field, Procedure
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.simulator import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET, RunningSimulator
from tests.factories import AgencyFactory, CitizenFactory, StaffFactory

from .helpers import CallbackRecorder


@pytest.fixture(scope="session")
def payment_simulator():
    simulator = RunningSimulator(port=0, merchants={DEFAULT_MERCHANT_CODE: DEFAULT_SECRET}, late_delay=0.3).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def gateway_settings(settings, payment_simulator):
    settings.PAYMENT_GATEWAY_URL = payment_simulator.url
    settings.PAYMENT_MERCHANT_CODE = DEFAULT_MERCHANT_CODE
    settings.PAYMENT_SHARED_SECRET = DEFAULT_SECRET
    settings.PAYMENT_GATEWAY_CLASS = "dichvucong.payments.gateway.NationalPaymentPlatformClient"
    return settings


@pytest.fixture
def callback_recorder():
    recorder = CallbackRecorder()
    yield recorder
    recorder.stop()


_dossier_seq = itertools.count(1)


def make_dossier(*, procedure, agency, owner, status=Status.PROCESSING) -> Dossier:
    """A dossier being processed (test data: the dossier services are tested in tests/dossiers)."""
    return Dossier.objects.create(
        code=f"{agency.code}-310101-{next(_dossier_seq):04d}", procedure=procedure, agency=agency, owner=owner,
        applicant_name=owner.full_name, applicant_id_number=owner.id_number or "",
        applicant_address="xã Lạc Đạo, huyện Văn Lâm, tỉnh Hưng Yên", status=status, submitted_at=timezone.now())


@pytest.fixture
def world(db):
    """A department and a district with their officers, two citizens, a fee-bearing procedure, one dossier."""
    agency = AgencyFactory.department(name="Sở Tư pháp")
    other_agency = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Giang")
    field, _ = Field.objects.get_or_create(code="CT", defaults={"name": "Chứng thực"})
    procedure = Procedure.objects.create(code=f"2.000{next(_dossier_seq):03d}", name="Cấp bản sao từ sổ gốc",
                                         field=field, tiers=",province,", processing_days=Decimal(2), online_level=4,
                                         online_mode="full")
    fixed = FeeRule.objects.create(procedure=procedure, order=1, name="Lệ phí cấp bản sao", kind="fixed",
                                   amount=50_000)
    per_copy = FeeRule.objects.create(procedure=procedure, order=2, name="Phí in bản sao", kind="per_copy",
                                      amount=3_000)
    owner, stranger = CitizenFactory(full_name="Nguyễn Văn An"), CitizenFactory(full_name="Trần Thị Bình")
    world = SimpleNamespace(
        agency=agency, other_agency=other_agency, procedure=procedure, fixed=fixed, per_copy=per_copy,
        owner=owner, stranger=stranger,
        specialist=StaffFactory(roles=[(Role.SPECIALIST, agency)]),
        reception=StaffFactory(roles=[(Role.RECEPTION, agency)]),
        other_specialist=StaffFactory(roles=[(Role.SPECIALIST, other_agency)]),
        province_admin=StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)]),
    )
    world.dossier = make_dossier(procedure=procedure, agency=agency, owner=owner)
    return world

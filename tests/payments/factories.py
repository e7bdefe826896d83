"""Payments test data through the payments services: fees assessed by `payment_request`, a payment confirmed the
way a verified platform callback confirms it (`_apply_result`: receipt issued, `pay` transition, run resumed)."""

import itertools
import uuid
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.catalog.models import FeeRule, Field, Procedure
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments import wire
from dichvucong.payments.gateway import GatewayResult
from dichvucong.payments.models import FeeAssessment, Payment
from dichvucong.payments.services import _apply_result, payment_request
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.agencies.factories import AgencyFactory


def fees_requested(dossier, *, officer, note: str = "") -> FeeAssessment:
    """The handling officer assesses the fees and asks the applicant to pay (`payment_request`)."""
    return payment_request(actor=officer, dossier=dossier, note=note)


def paid_payment(dossier, *, transaction_id: str = "") -> Payment:
    """The owner's payment of the assessed fees, confirmed as by a verified callback of the payment platform; the
    receipt is issued and the dossier resumes where the request came from."""
    assessment = FeeAssessment.objects.get(dossier=dossier)
    payment = Payment.objects.create(
        dossier=dossier,
        assessment=assessment,
        agency=dossier.agency,
        payer=dossier.owner,
        amount=assessment.total,
        currency=assessment.currency,
        gateway_txn_id=transaction_id or f"TEST-{uuid.uuid4().hex[:20]}",
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    result = GatewayResult(
        transaction_id=payment.gateway_txn_id,
        order_id=str(payment.uuid),
        amount=payment.amount,
        currency=payment.currency,
        status=wire.GW_SUCCESS,
        paid_at=timezone.now(),
        event_id=f"test-{payment.uuid}",
    )
    outcome = _apply_result(payment=payment, result=result)
    assert outcome == "accepted", outcome
    payment.refresh_from_db()
    return payment


_dossier_seq = itertools.count(1)


def make_dossier(*, procedure, agency, owner, status=Status.PROCESSING) -> Dossier:
    """A dossier being processed (test data: the dossier services are tested in tests/dossiers)."""
    return Dossier.objects.create(
        code=f"{agency.code}-310101-{next(_dossier_seq):04d}",
        procedure=procedure,
        agency=agency,
        owner=owner,
        applicant_name=owner.full_name,
        applicant_id_number=owner.id_number or "",
        applicant_address="xã Lạc Đạo, huyện Văn Lâm, tỉnh Hưng Yên",
        status=status,
        submitted_at=timezone.now(),
    )


def payments_world() -> SimpleNamespace:
    """A department and a district with their officers, two citizens, a fee-bearing procedure, one dossier."""
    agency = AgencyFactory.department(name="Sở Tư pháp")
    other_agency = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Giang")
    field, _ = Field.objects.get_or_create(code="CT", defaults={"name": "Chứng thực"})
    procedure = Procedure.objects.create(
        code=f"2.000{next(_dossier_seq):03d}",
        name="Cấp bản sao từ sổ gốc",
        field=field,
        tiers=",province,",
        processing_days=Decimal(2),
        online_level=4,
        online_mode="full",
    )
    fixed = FeeRule.objects.create(procedure=procedure, order=1, name="Lệ phí cấp bản sao", kind="fixed", amount=50_000)
    per_copy = FeeRule.objects.create(
        procedure=procedure, order=2, name="Phí in bản sao", kind="per_copy", amount=3_000
    )
    owner, stranger = CitizenFactory(full_name="Nguyễn Văn An"), CitizenFactory(full_name="Trần Thị Bình")
    world = SimpleNamespace(
        agency=agency,
        other_agency=other_agency,
        procedure=procedure,
        fixed=fixed,
        per_copy=per_copy,
        owner=owner,
        stranger=stranger,
        specialist=StaffFactory(roles=[(Role.SPECIALIST, agency)]),
        reception=StaffFactory(roles=[(Role.RECEPTION, agency)]),
        other_specialist=StaffFactory(roles=[(Role.SPECIALIST, other_agency)]),
        province_admin=StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)]),
    )
    world.dossier = make_dossier(procedure=procedure, agency=agency, owner=owner)
    return world

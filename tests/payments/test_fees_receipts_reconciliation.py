"""Fee assessment, receipt numbering, reconciliation against the simulator's settlement file."""

import datetime
import io
import uuid

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.gateway import NationalPaymentPlatformClient
from dichvucong.payments.models import Payment, PaymentStatus, Receipt
from dichvucong.payments.receipts import receipt_issue
from dichvucong.payments.reconciliation import reconciliation_run
from dichvucong.payments.services import payment_poll_pending, payment_request, payment_start
from dichvucong.payments.simulator import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET
from tests.conftest import auth_client

from .conftest import make_dossier
from .helpers import pay_at_simulator, simulator_control

pytestmark = pytest.mark.django_db


# --- fee assessment -------------------------------------------------------------------------------------------
def test_fees_are_fixed_plus_per_copy_times_quantity(world):
    assessment = payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: 4})

    lines = list(assessment.lines.values_list("name", "quantity", "amount", "exempt"))
    assert lines == [("Lệ phí cấp bản sao", 1, 50_000, False), ("Phí in bản sao", 4, 12_000, False)]
    assert assessment.total == 62_000
    world.dossier.refresh_from_db()
    assert world.dossier.status == Status.PAYMENT_REQUESTED


def test_an_exempted_fee_needs_a_reason_and_is_not_charged(world):
    with pytest.raises(ValidationFailed) as error:
        payment_request(actor=world.specialist, dossier=world.dossier, exemptions={world.fixed.pk: " "})
    assert error.value.code == "exemption_reason_required"

    assessment = payment_request(
        actor=world.specialist,
        dossier=world.dossier,
        exemptions={world.fixed.pk: "Người có công với cách mạng (NĐ 131/2021)"},
    )

    assert assessment.total == 3_000
    exempt = assessment.lines.get(fee_rule=world.fixed)
    assert exempt.exempt and exempt.payable == 0 and "cách mạng" in exempt.exemption_reason


def test_nothing_to_pay_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        payment_request(
            actor=world.specialist,
            dossier=world.dossier,
            exemptions={world.fixed.pk: "Miễn", world.per_copy.pk: "Miễn"},
        )
    assert error.value.code == "no_fee_due"
    world.dossier.refresh_from_db()
    assert world.dossier.status == Status.PROCESSING


def test_a_fee_of_another_procedure_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        payment_request(actor=world.specialist, dossier=world.dossier, quantities={999999: 2})
    assert error.value.code == "unknown_fee"


def test_only_the_handling_agency_requests_payment_and_only_while_processing(world):
    with pytest.raises(PermissionDeniedError):
        payment_request(actor=world.other_specialist, dossier=world.dossier)
    with pytest.raises(PermissionDeniedError):
        payment_request(actor=world.owner, dossier=world.dossier)
    Dossier.objects.filter(pk=world.dossier.pk).update(status=Status.NEW)
    with pytest.raises(ConflictError):
        payment_request(actor=world.specialist, dossier=world.dossier)


def test_request_payment_and_pay_are_dossier_actions(world, gateway_settings):
    officer, owner = auth_client(world.specialist), auth_client(world.owner)
    url = f"/api/v1/dossiers/{world.dossier.code}/actions/"
    assert "request_payment" in [a["name"] for a in officer.get(url).json()]

    response = officer.post(
        url, {"action": "request_payment", "quantities": {str(world.per_copy.pk): 1}}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert "pay" in [a["name"] for a in owner.get(url).json()]
    response = owner.post(url, {"action": "pay"}, format="json")
    assert response.status_code == 200, response.json()
    assert Payment.objects.get(dossier=world.dossier).redirect_url.startswith(gateway_settings.PAYMENT_GATEWAY_URL)


def test_paying_a_dossier_without_a_payment_request_is_refused(world, gateway_settings):
    with pytest.raises(ConflictError) as error:
        payment_start(actor=world.owner, dossier=world.dossier)
    assert error.value.code == "payment_not_requested"


# --- receipts -------------------------------------------------------------------------------------------------
def _paid_payment(world, *, agency, paid_at):
    dossier = make_dossier(procedure=world.procedure, agency=agency, owner=world.owner, status=Status.PAYMENT_REQUESTED)
    from dichvucong.payments.models import FeeAssessment

    assessment = FeeAssessment.objects.create(dossier=dossier, total=10_000)
    return Payment.objects.create(
        dossier=dossier,
        assessment=assessment,
        agency=agency,
        payer=world.owner,
        amount=10_000,
        status=PaymentStatus.PAID,
        paid_at=paid_at,
        gateway_txn_id=f"NPP{uuid.uuid4().hex[:10]}",
    )


def _at(year, month=6, day=1):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def test_receipts_are_numbered_per_agency_and_year_without_gaps(world):
    numbers = [
        receipt_issue(actor="test", payment=_paid_payment(world, agency=world.agency, paid_at=_at(2030))).receipt_no,
        receipt_issue(actor="test", payment=_paid_payment(world, agency=world.agency, paid_at=_at(2030))).receipt_no,
        receipt_issue(actor="test", payment=_paid_payment(world, agency=world.other_agency, paid_at=_at(2030))).number,
        receipt_issue(actor="test", payment=_paid_payment(world, agency=world.agency, paid_at=_at(2031, 1))).number,
    ]
    assert numbers == ["0000001/2030", "0000002/2030", 1, 1]

    # A payment whose transaction rolls back gives its number back: the next one is 3, not 4.
    payment = _paid_payment(world, agency=world.agency, paid_at=_at(2030))
    with pytest.raises(RuntimeError), transaction.atomic():
        receipt_issue(actor="test", payment=payment)
        raise RuntimeError("rollback")
    assert receipt_issue(actor="test", payment=payment).number == 3


def test_issuing_twice_returns_the_same_receipt(world):
    payment = _paid_payment(world, agency=world.agency, paid_at=_at(2030))
    assert receipt_issue(actor="test", payment=payment).pk == receipt_issue(actor="test", payment=payment).pk
    assert Receipt.objects.count() == 1


# --- reconciliation -------------------------------------------------------------------------------------------
def _pay_on(world, simulator, day: datetime.date, *, adjust: dict | None = None) -> Payment:
    """A dossier paid through the simulator on `day` (callback withheld, found by polling)."""
    dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner)
    payment_request(actor=world.specialist, dossier=dossier, quantities={world.per_copy.pk: 1})
    payment = payment_start(actor=world.owner, dossier=dossier)
    pay_at_simulator(payment.redirect_url, callback="none")
    simulator_control(
        simulator, payment.gateway_txn_id, changes={"paid_at": f"{day.isoformat()}T09:30:00+07:00", **(adjust or {})}
    )
    payment_poll_pending(older_than=datetime.timedelta(0))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    return payment


def test_reconciliation_finds_each_kind_of_difference(world, gateway_settings, payment_simulator):
    day = datetime.date(2032, 2, 3)
    matched = _pay_on(world, payment_simulator, day)
    short = _pay_on(world, payment_simulator, day, adjust={"settlement_amount": 50_000})
    absent = _pay_on(world, payment_simulator, day, adjust={"exclude_from_settlement": True})
    _pay_on(world, payment_simulator, datetime.date(2032, 2, 4))  # another day: not in this run
    # A payment the platform settled that the system never recorded (e.g. lost order).
    client = NationalPaymentPlatformClient(
        base_url=payment_simulator.url, merchant_code=DEFAULT_MERCHANT_CODE, secret=DEFAULT_SECRET
    )
    stray = client.create_payment(
        order_id=str(uuid.uuid4()),
        amount=7_000,
        currency="VND",
        beneficiary_code=world.agency.code,
        description="?",
        return_url="",
        callback_url="http://127.0.0.1:9/none",
    )
    pay_at_simulator(stray.redirect_url, callback="none")
    simulator_control(payment_simulator, stray.transaction_id, changes={"paid_at": "2032-02-03T16:00:00+07:00"})

    run = reconciliation_run(actor=world.province_admin, agency=world.agency, day=day)

    kinds = {item.transaction_id: (item.kind, item.system_amount, item.gateway_amount) for item in run.items.all()}
    assert kinds == {
        matched.gateway_txn_id: ("matched", 53_000, 53_000),
        short.gateway_txn_id: ("amount_mismatch", 53_000, 50_000),
        absent.gateway_txn_id: ("missing_at_gateway", 53_000, None),
        stray.transaction_id: ("missing_in_system", None, 7_000),
    }
    assert (run.system_count, run.system_total, run.gateway_count, run.gateway_total) == (3, 159_000, 3, 110_000)
    assert (run.matched, run.differences) == (1, 3)


def test_reconciliation_exports_to_excel(world, gateway_settings, payment_simulator):
    day = datetime.date(2032, 3, 5)
    payment = _pay_on(world, payment_simulator, day)
    officer = auth_client(world.reception)

    created = officer.post(
        "/api/v1/reconciliations/", {"agency": world.agency.code, "date": day.isoformat()}, format="json"
    )
    assert created.status_code == 201, created.json()
    export = officer.get(created.json()["export_url"])

    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book["Chi tiet"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Kết quả", "Mã giao dịch", "Mã đơn hàng")
    assert rows[1][:7] == ("Khớp", payment.gateway_txn_id, str(payment.uuid), payment.dossier.code, 53_000, 53_000, 0)

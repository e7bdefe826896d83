"""Fees collected at the one-stop desk (issue 11, item 1): the `pay` action performed by a desk officer with the
method (cash, card at the POS terminal, bank transfer) and its reference; the receipt with the cashier; the daily
cash book (page, Excel, PDF) and the reconciliation covering desk and online payments, with the budget codes."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.cash_book import cash_book
from dichvucong.payments.models import Payment, PaymentStatus, Receipt, ReconciliationKind
from dichvucong.payments.reconciliation import reconciliation_run
from dichvucong.payments.services import payment_poll_pending, payment_request, payment_start
from tests.accounts.factories import StaffFactory
from tests.conftest import auth_client

from .conftest import make_dossier
from .helpers import pay_at_simulator, simulator_control

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(world):
    """The world's fees with their budget codes (chương, tiểu mục)."""
    world.fixed.budget_chapter, world.fixed.budget_subsection = "418", "2662"
    world.fixed.save()
    world.per_copy.budget_chapter, world.per_copy.budget_subsection = "418", "2999"
    world.per_copy.save()
    return world


def _requested(world, *, owner=None, status=Status.ACCEPTED):
    dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=owner or world.owner, status=status)
    payment_request(actor=world.reception, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT_REQUESTED
    return dossier


def _pay(client, dossier, **body):
    return client.post(f"/api/v1/dossiers/{dossier.code}/actions/", {"action": "pay", **body}, format="json")


def test_the_desk_collects_cash_and_issues_the_receipt(coded):
    world = coded
    dossier = _requested(world)
    desk = auth_client(world.reception)

    assert "pay" in {a["name"] for a in desk.get(f"/api/v1/dossiers/{dossier.code}/actions/").json()}
    response = _pay(desk, dossier, method="cash")

    assert response.status_code == 200, response.json()
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED  # back at the desk, to be forwarded
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.status, payment.method, payment.cashier, payment.amount) == (
        PaymentStatus.PAID,
        "cash",
        world.reception,
        53_000,
    )
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.amount == 53_000
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.actor_id) == ("pay", world.reception.pk)
    assert receipt.receipt_no in event.note and "Tiền mặt" in event.note
    listed = desk.get(f"/api/v1/dossiers/{dossier.code}/payments/").json()
    row = listed["results"][0] if isinstance(listed, dict) else listed[0]
    assert (row["method"], row["status"], row["cashier"]) == ("cash", "paid", world.reception.full_name)
    pdf = desk.get(row["receipt_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # paid: neither a second collection nor a second request
    again = _pay(desk, dossier, method="cash")
    assert again.status_code == 409


def test_a_walk_in_applicant_without_an_account_pays_at_the_desk(world):
    dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner, status=Status.ACCEPTED)
    dossier.owner = None
    dossier.save(update_fields=["owner"])
    payment_request(actor=world.reception, dossier=dossier)

    response = _pay(auth_client(world.reception), dossier, method="pos", reference="POS-123456")

    assert response.status_code == 200, response.json()
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.payer, payment.method, payment.reference) == (None, "pos", "POS-123456")
    assert Receipt.objects.get(payment=payment).payer_name == dossier.applicant_name


def test_card_and_transfer_need_a_reference_booked_once(world):
    desk = auth_client(world.reception)
    first, second = _requested(world), _requested(world)

    missing = _pay(desk, first, method="transfer")
    assert missing.status_code == 400
    assert missing.json()["code"] == "reference_required" and "reference" in missing.json()["fields"]
    bad = _pay(desk, first, method="bitcoin", reference="x")
    assert bad.status_code == 400 and "method" in bad.json()["fields"]

    assert _pay(desk, first, method="transfer", reference="FT2603300001").status_code == 200
    reused = _pay(desk, second, method="transfer", reference="FT2603300001")
    assert reused.status_code == 409 and reused.json()["code"] == "reference_used"
    second.refresh_from_db()
    assert second.status == Status.PAYMENT_REQUESTED


def test_only_the_receiving_agencys_desk_collects(world):
    dossier = _requested(world)
    other_desk = StaffFactory(roles=[(Role.RECEPTION, world.other_agency)])

    assert _pay(auth_client(world.specialist), dossier, method="cash").status_code == 403
    assert _pay(auth_client(other_desk), dossier, method="cash").status_code == 404
    assert _pay(auth_client(world.stranger), dossier, method="cash").status_code == 404
    # The owner cannot declare "I paid cash": only the desk records money it received.
    assert _pay(auth_client(world.owner), dossier, method="cash").status_code == 403
    assert "pay" not in {
        a["name"] for a in auth_client(world.specialist).get(f"/api/v1/dossiers/{dossier.code}/actions/").json()
    }
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_no_desk_collection_while_an_online_payment_is_in_flight(world, gateway_settings, live_server):
    gateway_settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    dossier = _requested(world)
    payment_start(actor=world.owner, dossier=dossier)

    response = _pay(auth_client(world.reception), dossier, method="cash")

    assert response.status_code == 409 and response.json()["code"] == "online_payment_pending"


def test_the_office_page_collects_with_the_method(world, client):
    dossier = _requested(world)
    client.force_login(world.reception)
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/")
    assert page.status_code == 200
    assert b'name="method"' in page.content and b'name="reference"' in page.content

    client.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "pay", "method": "pos", "reference": "POS-777"})

    payment = Payment.objects.get(dossier=dossier)
    assert (payment.method, payment.reference, payment.cashier) == ("pos", "POS-777", world.reception)


def test_cash_book_and_reconciliation_with_desk_and_online_payments_the_same_day(
    coded, gateway_settings, payment_simulator, client
):
    world = coded
    today = timezone.localdate()
    desk = auth_client(world.reception)
    cash, card = _requested(world), _requested(world)
    assert _pay(desk, cash, method="cash").status_code == 200
    assert _pay(desk, card, method="pos", reference="POS-0042").status_code == 200
    # the same day, online: paid at the platform, found by polling
    online_dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner)
    payment_request(actor=world.specialist, dossier=online_dossier, quantities={world.per_copy.pk: 2})
    online = payment_start(actor=world.owner, dossier=online_dossier)
    pay_at_simulator(online.redirect_url, callback="none")
    simulator_control(payment_simulator, online.gateway_txn_id, changes={"paid_at": timezone.localtime().isoformat()})
    payment_poll_pending(older_than=datetime.timedelta(0))
    online.refresh_from_db()
    assert online.status == PaymentStatus.PAID

    book = cash_book(agency=world.agency, day=today)
    assert [row.method for row in book.rows] == ["cash", "pos", "online"]
    assert (book.desk_total, book.online_total, book.total) == (106_000, 56_000, 162_000)
    assert [row.cashier for row in book.rows][:2] == [world.reception.full_name] * 2
    assert book.by_budget_code == [("418", "2662", 100_000, 50_000), ("418", "2999", 6_000, 6_000)]

    client.force_login(world.reception)
    page = client.get(f"/so-thu-phi/?agency={world.agency.code}&date={today.isoformat()}")
    assert page.status_code == 200
    assert "POS-0042" in page.content.decode() and "162.000" in page.content.decode()
    xlsx = client.get(f"/so-thu-phi/?agency={world.agency.code}&date={today.isoformat()}&format=xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    codes = list(workbook["Muc luc ngan sach"].iter_rows(values_only=True))
    assert codes[1:] == [("418", "2662", 100_000, 50_000, 150_000), ("418", "2999", 6_000, 6_000, 12_000)]
    lines = list(workbook["So thu"].iter_rows(values_only=True))
    assert lines[-1][-2] == 162_000
    pdf = client.get(f"/so-thu-phi/?agency={world.agency.code}&date={today.isoformat()}&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    run = reconciliation_run(actor=world.reception, agency=world.agency, day=today)
    kinds = sorted((item.kind, item.system_amount, item.gateway_amount) for item in run.items.all())
    assert kinds == [
        (ReconciliationKind.DESK, 53_000, None),
        (ReconciliationKind.DESK, 53_000, None),
        (ReconciliationKind.MATCHED, 56_000, 56_000),
    ]
    # desk payments are not "missing at the platform": the run balances
    assert (run.matched, run.differences, run.desk_count, run.desk_total) == (1, 0, 2, 106_000)
    assert run.system_total + run.desk_total == book.total
    export = load_workbook(io.BytesIO(desk.get(f"/api/v1/reconciliations/{run.uuid}/export.xlsx").content))
    assert list(export["Muc luc ngan sach"].iter_rows(values_only=True))[1:] == codes[1:]


def test_the_cash_book_is_for_the_agencys_staff_only(world, client):
    url = f"/so-thu-phi/?agency={world.agency.code}"
    expected = {world.owner: 403, world.other_specialist: 404, world.reception: 200, world.province_admin: 200}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_cash_book_api(coded):
    world = coded
    dossier = _requested(world)
    desk = auth_client(world.reception)
    assert _pay(desk, dossier, method="transfer", reference="FT-0001").status_code == 200
    today = timezone.localdate().isoformat()

    body = desk.get(f"/api/v1/cash-book/?agency={world.agency.code}&date={today}").json()

    assert (body["agency"], body["date"], body["total"], body["desk_total"]) == (
        world.agency.code,
        today,
        53_000,
        53_000,
    )
    row = body["rows"][0]
    assert (row["method"], row["reference"], row["dossier"], row["amount"]) == (
        "transfer",
        "FT-0001",
        dossier.code,
        53_000,
    )
    assert row["paid_at"].endswith("+07:00")
    assert body["by_budget_code"] == [
        {"chapter": "418", "subsection": "2662", "desk": 50_000, "online": 0, "total": 50_000},
        {"chapter": "418", "subsection": "2999", "desk": 3_000, "online": 0, "total": 3_000},
    ]
    xlsx = desk.get(f"/api/v1/cash-book/?agency={world.agency.code}&date={today}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert desk.get(f"/api/v1/cash-book/?agency={world.agency.code}&format=pdf").content.startswith(b"%PDF")
    # refused: another agency's officer, a citizen; absurd input is a 400; unknown agency a 404
    for user in (world.other_specialist, world.owner):
        assert auth_client(user).get(f"/api/v1/cash-book/?agency={world.agency.code}").status_code == 403
    assert desk.get(f"/api/v1/cash-book/?agency={world.agency.code}&date=9999-12-31").status_code == 400
    assert desk.get(f"/api/v1/cash-book/?agency={world.agency.code}&format=doc").status_code == 400
    assert desk.get("/api/v1/cash-book/?agency=NOPE").json()["code"] == "agency_not_found"

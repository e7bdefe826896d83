"""Nothing is dated before its receipt (issue 11, item 2; docs/adr/0011-legal-receipt-time.md).

An online dossier sent after the daily cut-off is received the next working day. The desk may still accept it
that evening, and an officer may even finish it, but every act is dated and counted from the legal receipt time:
the acceptance, the supplement request, the result, the return, the forms and the timeliness."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.dossiers import pdf_forms, services
from dichvucong.dossiers.dossier_deadlines import legal_date, legal_time
from dichvucong.dossiers.models import Dossier
from tests.accounts.factories import StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_cutoff(settings):
    """Every online submission of the test counts as sent after the cut-off (received the next working day)."""
    settings.WORKDAY_CUTOFF = "00:00"
    return settings


def _sent_after_cutoff(*, days: str = "3") -> Dossier:
    agency = AgencyFactory.department(name="Sở Tư pháp")
    dossier = DossierFactory(agency=agency, procedure=ProcedureFactory(agencies=[agency.code], days=days))
    assert dossier.received_at > timezone.now(), "sent after the cut-off: received the next working day"
    return dossier


def _officers(dossier):
    return (
        StaffFactory(roles=[("reception", dossier.agency)]),
        StaffFactory(roles=[("specialist", dossier.agency)]),
    )


def test_accepted_and_finished_the_same_evening_is_dated_from_the_receipt(after_cutoff):
    dossier = _sent_after_cutoff(days="0.5")
    received = dossier.received_at
    reception, specialist = _officers(dossier)

    dossier = services.dossier_accept(actor=reception, dossier=dossier)
    assert dossier.accepted_at == received  # accepted tonight, dated at the legal receipt
    assert dossier.due_at > received
    dossier = services.dossier_start_processing(actor=reception, dossier=dossier)
    dossier = services.dossier_mark_processed(actor=specialist, dossier=dossier)
    assert dossier.finished_at == received  # never before the declaration it answers
    dossier = services.dossier_deliver(actor=reception, dossier=dossier)

    assert dossier.returned_at >= received
    # half a working day from the receipt: due that same day; finished on the receipt day is on time, not "early"
    assert timezone.localtime(dossier.due_at).date() == timezone.localtime(received).date()
    assert dossier.timeliness == "on_time"
    # Mẫu 05 (the control slip) dates every hand-over at or after the receipt
    slip = pdf_forms._event_rows(dossier)
    assert slip and all(row.at >= received for row in slip)


def test_a_refusal_and_a_supplement_request_the_same_evening_are_dated_at_the_receipt(after_cutoff):
    dossier = _sent_after_cutoff()
    received = dossier.received_at
    reception, _ = _officers(dossier)

    asked = services.dossier_request_supplement(actor=reception, dossier=dossier, items=["Bản sao giấy khai sinh"])
    request = asked.supplement_requests.get()
    assert request.requested_at == received  # Mẫu 02 is issued at the receipt, not the evening before

    other = _sent_after_cutoff()
    refused = services.dossier_refuse(actor=_officers(other)[0], dossier=other, reason="Không thuộc thẩm quyền")
    assert refused.finished_at == other.received_at
    event = refused.events.get(action="refuse")
    assert event.at < other.received_at  # the history keeps the real time of the click
    assert legal_time(refused, event.at) == other.received_at  # Mẫu 03 prints the legal one


def test_the_legal_time_of_a_counter_dossier_is_the_real_time():
    dossier = DossierFactory(counter=True)
    now = timezone.now()
    assert dossier.received_at <= now
    assert legal_time(dossier, now) == now
    assert legal_date(dossier, now) == timezone.localtime(now).date()


def test_the_legal_date_never_precedes_the_receipt_date():
    dossier = Dossier(received_at=timezone.make_aware(datetime.datetime(2031, 3, 3, 7, 30)))
    evening_before = timezone.make_aware(datetime.datetime(2031, 2, 28, 20, 15))
    assert legal_date(dossier, evening_before) == datetime.date(2031, 3, 3)


def test_the_receipt_form_of_a_dossier_accepted_the_evening_before_is_dated_at_the_receipt(after_cutoff):
    import io

    from pypdf import PdfReader

    dossier = _sent_after_cutoff()
    received = timezone.localtime(dossier.received_at)
    reception, _ = _officers(dossier)
    dossier = services.dossier_accept(actor=reception, dossier=dossier)

    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf_forms.render_dossier_form(dossier, "receipt"))).pages
    )
    legal = f"ngày {received.day:02d} tháng {received.month:02d} năm {received.year}"
    today = timezone.localdate()
    assert legal in text
    assert f", ngày {today.day:02d} tháng {today.month:02d} năm {today.year}" not in text

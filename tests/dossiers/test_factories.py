"""The dossier factories build through the services: each trait leaves the dossier in its status, with its events
and audit rows (tests/dossiers/factories.py)."""

import pytest
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers.selectors import deadline_flags
from dichvucong.payments.models import PaymentStatus
from dichvucong.workflows.processing import open_run
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.dossiers.factories import DossierFactory
from tests.workflows.factories import ApprovedProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("trait", "status"),
    [
        ("draft", "draft"),
        ("accepted", "accepted"),
        ("processing", "processing"),
        ("supplement_requested", "supplement_requested"),
        ("payment_requested", "payment_requested"),
        ("paid", "processing"),
        ("processed", "processed"),
        ("returned", "result_returned"),
        ("overdue", "processing"),
    ],
)
def test_each_trait_reaches_its_status_through_the_services(trait, status):
    dossier = DossierFactory(**{trait: True})
    assert dossier.status == status
    if trait != "draft":
        assert dossier.events.exists()
        assert AuditEntry.objects.filter(action__startswith="dossier.").exists()


def test_a_paid_dossier_has_a_paid_payment_with_its_receipt():
    dossier = DossierFactory(paid=True)
    payment = dossier.payments.get()
    assert payment.status == PaymentStatus.PAID
    assert payment.receipt is not None
    assert list(dossier.events.values_list("action", flat=True))[-2:] == ["request_payment", "pay"]


def test_overdue_and_counter():
    dossier = DossierFactory(overdue=True, counter=True)
    assert dossier.channel == "counter"
    assert dossier.due_at < timezone.now()
    assert deadline_flags(dossier)["overdue"] is True


def test_with_an_approved_process_the_dossier_runs_through_it():
    agency = AgencyFactory.department()
    procedure = ProcedureFactory(agencies=[agency.code], free=True, days="7")
    ApprovedProcessFactory(procedure=procedure, agency=agency)
    running = DossierFactory(agency=agency, procedure=procedure, processing=True)
    assert open_run(running) is not None
    asked = DossierFactory(agency=agency, procedure=procedure, supplement_requested=True)
    assert open_run(asked) is None and asked.status == "supplement_requested"

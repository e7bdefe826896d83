"""Same-day, half-day and hour-based processing times (issue 11, item 3): the catalogue gives the time in working
days (0 = "trong ngày") or in working hours; the due moment follows the office hours (`WORKDAY_OFFICE_HOURS`,
07:30-11:30 and 13:00-17:00 by default): received in the morning → due that day, in the afternoon → next morning."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dichvucong.catalog.records import record_errors
from dichvucong.dossiers.dossier_deadlines import compute_due_at, effective_received_at
from dichvucong.workdays.calendar import is_working_day
from dichvucong.workdays.deadlines import due_moment

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2030, 3, 13)  # an ordinary working week (Wednesday, Thursday working days)
THURSDAY = datetime.date(2030, 3, 14)


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, minutes)))


def test_the_week_is_ordinary():
    assert is_working_day(WEDNESDAY) and is_working_day(THURSDAY)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("08:00", (WEDNESDAY, "17:00")),  # morning: the same day
        ("11:45", (THURSDAY, "11:30")),  # over lunch: counts as the afternoon → next morning
        ("13:30", (THURSDAY, "11:30")),  # afternoon: the next morning
        ("16:45", (THURSDAY, "11:30")),  # late afternoon at the counter: the next morning
    ],
)
def test_a_same_day_procedure_at_the_counter(received, due):
    moment = compute_due_at(received_at=at(WEDNESDAY, received), processing_days=Decimal(0))
    assert timezone.localtime(moment) == at(*due)


def test_a_same_day_dossier_sent_online_after_the_cut_off_is_due_the_next_day():
    received = effective_received_at(at(WEDNESDAY, "16:45"))  # after the 16:30 cut-off
    assert timezone.localtime(received) == at(THURSDAY, "07:30")
    assert timezone.localtime(compute_due_at(received_at=received, processing_days=0)) == at(THURSDAY, "17:00")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("08:00", (WEDNESDAY, "13:30")),  # half a day = 4 office hours: 3h30 in the morning, 30 min after lunch
        ("13:30", (THURSDAY, "08:00")),
    ],
)
def test_half_a_working_day(received, due):
    moment = compute_due_at(received_at=at(WEDNESDAY, received), processing_days=Decimal("0.5"))
    assert timezone.localtime(moment) == at(*due)


@pytest.mark.parametrize(
    ("hours", "received", "due"),
    [
        ("4", "08:00", (WEDNESDAY, "13:30")),
        ("4", "13:00", (WEDNESDAY, "17:00")),  # ends at closing: due that day, not the next morning
        ("4", "13:30", (THURSDAY, "08:00")),
        ("2", "16:45", (THURSDAY, "09:15")),
        ("8", "07:30", (WEDNESDAY, "17:00")),
    ],
)
def test_a_time_in_working_hours(hours, received, due):
    moment = compute_due_at(
        received_at=at(WEDNESDAY, received), processing_days=Decimal(1), processing_hours=Decimal(hours)
    )
    assert timezone.localtime(moment) == at(*due)


def test_a_same_day_procedure_paused_for_a_supplement_moves_by_the_pause():
    paused = [(at(WEDNESDAY, "09:00"), at(WEDNESDAY, "10:00"))]
    moment = due_moment(at(WEDNESDAY, "08:00"), days=0, paused=paused)
    assert timezone.localtime(moment) == at(THURSDAY, "08:30")


def test_a_dossier_of_a_same_day_procedure_gets_the_same_day_due(settings):
    from tests.agencies.factories import AgencyFactory
    from tests.catalog.factories import ProcedureFactory
    from tests.dossiers.factories import DossierFactory

    agency = AgencyFactory.department(name="Sở Tư pháp")
    procedure = ProcedureFactory(agencies=[agency.code], days="0")
    assert procedure.processing_time_label == "Trong ngày"
    dossier = DossierFactory(agency=agency, procedure=procedure, counter=True, accepted=True)
    assert dossier.due_at == compute_due_at(received_at=dossier.accepted_at, processing_days=0)
    hours = ProcedureFactory(agencies=[agency.code], days="1")
    hours.processing_hours = Decimal(4)
    hours.save()
    assert hours.processing_time_label == "4 giờ làm việc"
    dossier = DossierFactory(agency=agency, procedure=hours, counter=True, accepted=True)
    assert dossier.due_at == compute_due_at(received_at=dossier.accepted_at, processing_days=1, processing_hours=4)


def test_the_catalogue_checks_the_hours():
    base = {
        "code": "1.000001",
        "name": "Chứng thực",
        "field_code": "CT",
        "field_name": "Chứng thực",
        "tiers": ["commune"],
        "processing_days": "0",
        "online_level": 2,
    }
    assert not [e for e in record_errors({**base, "processing_hours": "4"}, {}) if "processing_hours" in str(e)]
    for bad in ("0", "-2", "abc", "1.3"):
        errors = record_errors({**base, "processing_hours": bad}, {})
        assert any("processing_hours" in str(e) for e in errors), bad

"""Early / on time / late: the one rule (`workdays.timeliness`) and the one list of choices, used everywhere."""

import datetime

from django.utils import timezone

from dichvucong.dossiers.dossier_deadlines import compute_timeliness
from dichvucong.dossiers.models import Dossier
from dichvucong.workdays.timeliness import Timeliness, timeliness
from dichvucong.workflows.models import Consultation, Handover, WorkItem
from dichvucong.workflows.processing import timeliness_of

from .conftest import local

DUE = local(2024, 3, 7, 9, 0)  # a Thursday, 9:00


class TestLegalDeadline:
    """A dossier against its appointment date (QĐ 766/QĐ-TTg): the whole due day counts."""

    def test_an_earlier_day_is_early(self):
        assert timeliness(local(2024, 3, 6, 16, 59), DUE) == "early"

    def test_the_due_day_is_on_time_even_after_the_due_hour(self):
        assert timeliness(local(2024, 3, 7, 8, 0), DUE) == timeliness(local(2024, 3, 7, 16, 59), DUE) == "on_time"

    def test_the_next_day_is_late(self):
        assert timeliness(local(2024, 3, 8, 0, 1), DUE) == "late"

    def test_dates_compare_as_local_days(self):
        utc_evening = datetime.datetime(2024, 3, 6, 18, 0, tzinfo=datetime.UTC)  # 01:00 on 7/3 in Hà Nội
        assert timeliness(utc_evening, DUE) == "on_time"
        assert timeliness(datetime.date(2024, 3, 7), datetime.date(2024, 3, 7)) == "on_time"
        assert timeliness(datetime.date(2024, 3, 6), DUE) == "early"

    def test_no_due_date_is_not_judged(self):
        assert timeliness(local(2024, 3, 7, 9, 0), None) == ""

    def test_a_second_supplement_request_makes_it_late_whatever_the_date(self):
        finished = local(2024, 3, 1, 9, 0)
        assert timeliness(finished, DUE, supplement_count=1) == "early"
        assert timeliness(finished, DUE, supplement_count=2) == "late"

    def test_the_dossiers_compute_timeliness_is_this_rule(self):
        assert compute_timeliness is timeliness
        assert compute_timeliness(finished_at=local(2024, 3, 7, 16, 0), due_at=DUE, supplement_count=0) == "on_time"


class TestMomentDeadline:
    """A process step's or a consultation's deadline is a moment: a minute after it is late."""

    def test_same_day_before_the_due_time_is_on_time(self):
        assert timeliness(local(2024, 3, 7, 8, 59), DUE, whole_day=False) == "on_time"
        assert timeliness(DUE, DUE, whole_day=False) == "on_time"

    def test_same_day_after_the_due_time_is_late(self):
        assert timeliness(DUE + datetime.timedelta(minutes=1), DUE, whole_day=False) == "late"

    def test_an_earlier_day_is_early(self):
        assert timeliness(local(2024, 3, 6, 23, 59), DUE, whole_day=False) == "early"

    def test_a_date_deadline_still_counts_its_whole_day(self):
        assert timeliness(local(2024, 3, 7, 16, 0), datetime.date(2024, 3, 7), whole_day=False) == "on_time"

    def test_the_workflow_steps_use_this_rule(self):
        now = timezone.now()
        for done in (now - datetime.timedelta(days=1), now, now + datetime.timedelta(seconds=1)):
            assert timeliness_of(done, now) == timeliness(done, now, whole_day=False)


def test_the_values_are_plain_strings_as_stored():
    assert type(timeliness(local(2024, 3, 6), DUE)) is str
    assert Timeliness.values == ["early", "on_time", "late"]
    assert [str(label) for label in Timeliness.labels] == ["Trước hạn", "Đúng hạn", "Quá hạn"]


def test_one_list_of_choices_for_dossiers_steps_hand_overs_and_consultations():
    for model in (Dossier, WorkItem, Handover, Consultation):
        assert model._meta.get_field("timeliness").choices == Timeliness.choices

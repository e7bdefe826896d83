"""Office-time arithmetic, the cut-off, supplement pauses, half days and timeliness."""

import datetime
from decimal import Decimal

import pytest

from dichvucong.common.errors import ValidationFailed
from dichvucong.workdays.calendar import add_working_days, add_working_time, effective_received_at
from dichvucong.workdays.deadlines import due_date
from dichvucong.workdays.timeliness import timeliness

from .conftest import local

pytestmark = pytest.mark.django_db


class TestDueDate:
    def test_keeps_the_time_of_day(self):
        assert due_date(local(2024, 3, 4, 9, 0), 3) == local(2024, 3, 7, 9, 0)

    def test_from_the_opening_matches_add_working_days(self):
        for start in (datetime.date(2024, 2, 5), datetime.date(2025, 4, 25), datetime.date(2025, 12, 29)):
            for days in range(0, 25):
                due = due_date(local(start.year, start.month, start.day, 7, 30), days)
                assert due.date() == add_working_days(start, days)

    def test_across_tet_2025(self):
        assert due_date(local(2025, 1, 23, 10, 0), 2) == local(2025, 2, 3, 10, 0)

    def test_across_hung_kings_and_30_april_2025(self):
        assert due_date(local(2025, 4, 4, 8, 0), 1) == local(2025, 4, 8, 8, 0)
        assert due_date(local(2025, 4, 29, 15, 0), 2) == local(2025, 5, 6, 15, 0)

    def test_make_up_saturday_counts(self, make_up_saturday_2027):
        assert due_date(local(2027, 3, 5, 9, 0), 1) == local(2027, 3, 6, 9, 0)
        assert due_date(local(2027, 2, 26, 9, 0), 1) == local(2027, 3, 2, 9, 0)

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValidationFailed) as error:
            due_date(datetime.datetime(2024, 3, 4, 9), 1)  # noqa: DTZ001
        assert error.value.code == "workdays_naive_datetime"


class TestHalfDays:
    def test_half_a_day_is_one_session(self):
        assert add_working_time(local(2024, 3, 4, 7, 30), Decimal("0.5")) == local(2024, 3, 4, 13, 0)
        assert add_working_time(local(2024, 3, 4, 14, 0), Decimal("0.5")) == local(2024, 3, 5, 8, 30)

    def test_one_and_a_half_days_skip_lunch_and_night(self):
        assert add_working_time(local(2024, 3, 4, 9, 0), Decimal("1.5")) == local(2024, 3, 5, 14, 30)

    def test_half_day_before_a_holiday_runs_after_it(self):
        assert add_working_time(local(2025, 4, 29, 15, 0), Decimal("0.5")) == local(2025, 5, 5, 9, 30)


class TestSupplementPause:
    def test_two_working_days_waiting_for_the_citizen_move_the_due_date(self):
        accepted = local(2024, 3, 4, 9, 0)
        assert due_date(accepted, 5) == local(2024, 3, 11, 9, 0)
        paused = [(local(2024, 3, 5, 9, 0), local(2024, 3, 7, 9, 0))]
        assert due_date(accepted, 5, paused=paused) == local(2024, 3, 13, 9, 0)

    def test_only_office_time_inside_the_pause_counts(self):
        accepted = local(2024, 3, 4, 9, 0)
        paused = [(local(2024, 3, 5, 16, 0), local(2024, 3, 6, 8, 0))]  # 1 h on Tuesday + 30 min on Wednesday
        assert due_date(accepted, 5, paused=paused) == local(2024, 3, 11, 10, 30)
        weekend = [(local(2024, 3, 8, 17, 0), local(2024, 3, 11, 7, 30))]
        assert due_date(accepted, 5, paused=weekend) == local(2024, 3, 11, 9, 0)

    def test_overlapping_pauses_count_once(self):
        accepted = local(2024, 3, 4, 9, 0)
        paused = [
            (local(2024, 3, 5, 9, 0), local(2024, 3, 6, 9, 0)),
            (local(2024, 3, 5, 13, 0), local(2024, 3, 7, 9, 0)),
        ]
        assert due_date(accepted, 5, paused=paused) == local(2024, 3, 13, 9, 0)

    def test_a_pause_across_tet_costs_only_its_working_days(self):
        accepted = local(2025, 1, 22, 9, 0)  # Wednesday
        paused = [(local(2025, 1, 24, 9, 0), local(2025, 2, 3, 9, 0))]  # Friday before Tết → Monday after
        assert due_date(accepted, 3, paused=paused) == local(2025, 2, 4, 9, 0)

    def test_an_inverted_pause_is_refused(self):
        with pytest.raises(ValidationFailed) as error:
            due_date(local(2024, 3, 4, 9), 1, paused=[(local(2024, 3, 5, 9), local(2024, 3, 4, 9))])
        assert error.value.code == "workdays_invalid_pause"


class TestCutOff:
    def test_before_the_cut_off_it_is_received_at_once(self):
        assert effective_received_at(local(2024, 3, 4, 16, 29)) == local(2024, 3, 4, 16, 29)

    def test_at_or_after_the_cut_off_it_is_received_the_next_working_morning(self):
        assert effective_received_at(local(2024, 3, 4, 16, 30)) == local(2024, 3, 5, 7, 30)
        assert effective_received_at(local(2024, 3, 8, 20, 0)) == local(2024, 3, 11, 7, 30)

    def test_weekends_and_tet_move_to_the_next_working_day(self):
        assert effective_received_at(local(2024, 3, 9, 10, 0)) == local(2024, 3, 11, 7, 30)
        assert effective_received_at(local(2025, 1, 29, 10, 0)) == local(2025, 2, 3, 7, 30)

    def test_before_opening_and_over_lunch(self):
        assert effective_received_at(local(2024, 3, 4, 6, 0)) == local(2024, 3, 4, 7, 30)
        assert effective_received_at(local(2024, 3, 4, 12, 0)) == local(2024, 3, 4, 13, 0)

    def test_cut_off_and_office_hours_are_settings(self, settings):
        settings.WORKDAY_CUTOFF = "15:00"
        settings.WORKDAY_OFFICE_HOURS = "07:00-11:30,13:30-17:00"
        assert effective_received_at(local(2024, 3, 4, 15, 0)) == local(2024, 3, 5, 7, 0)
        assert effective_received_at(local(2024, 3, 4, 12, 0)) == local(2024, 3, 4, 13, 30)

    def test_online_deadline_counts_from_the_effective_reception(self):
        received = effective_received_at(local(2024, 3, 8, 16, 45))  # Friday after the cut-off
        assert due_date(received, 3) == local(2024, 3, 14, 7, 30)


class TestTimeliness:
    def test_early_on_time_late_by_local_date(self):
        due = local(2024, 3, 7, 9, 0)
        assert timeliness(local(2024, 3, 6, 16, 0), due) == "early"
        assert timeliness(local(2024, 3, 7, 16, 59), due) == "on_time"
        assert timeliness(local(2024, 3, 8, 7, 30), due) == "late"
        assert timeliness(datetime.date(2024, 3, 7), datetime.date(2024, 3, 7)) == "on_time"

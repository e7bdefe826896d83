"""The working-day calendar: statutory holidays, package swaps, admin decisions, caching."""

import datetime
from decimal import Decimal

import pytest

from dichvucong.common.errors import ValidationFailed
from dichvucong.workdays.calendar import (
    _ensure_culture_day,
    add_working_days,
    is_working_day,
    non_working_days,
    working_days_between,
    working_weekend_days,
)
from dichvucong.workdays.models import CalendarException, DayKind
from dichvucong.workdays.services import calendar_exception_add, calendar_exception_remove

D = datetime.date
pytestmark = pytest.mark.django_db


class TestStatutoryHolidays:
    def test_tet_2024_is_skipped_from_the_29th_to_the_5th_day(self):
        assert [is_working_day(D(2024, 2, day)) for day in range(7, 16)] == [
            True,
            False,
            False,
            False,
            False,
            False,
            False,
            False,
            True,
        ]
        assert add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)
        assert add_working_days(D(2024, 2, 5), 5) == D(2024, 2, 19)

    def test_tet_2025_gives_nine_days_off_and_no_make_up_saturday(self):
        assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
        assert not any(is_working_day(D(2025, 1, 25) + datetime.timedelta(days=n)) for n in range(9))
        assert not is_working_day(D(2025, 2, 15))
        assert working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1

    def test_hung_kings_day(self):
        assert not is_working_day(D(2025, 4, 7))
        assert add_working_days(D(2025, 4, 4), 1) == D(2025, 4, 8)
        # 2026: 10/3 lunar falls on Sunday 26/4, observed on Monday 27/4
        assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)

    def test_30_april_and_1_may_2025_with_the_swap_the_package_knows(self):
        assert add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)
        assert is_working_day(D(2025, 4, 26))  # Saturday made up for Friday 2/5
        assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)

    def test_national_day_with_its_adjacent_day(self):
        assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)
        assert add_working_days(D(2024, 8, 30), 1) == D(2024, 9, 4)

    def test_vietnam_culture_day_from_2026_only(self):
        assert is_working_day(D(2025, 11, 24))
        assert not is_working_day(D(2026, 11, 24))
        assert D(2027, 11, 24) in non_working_days(2027)

    def test_culture_day_is_added_when_the_package_lacks_it(self):
        days = {}
        _ensure_culture_day(2025, days)
        assert days == {}
        _ensure_culture_day(2026, days)
        assert days[D(2026, 11, 24)].reason == "Ngày Văn hóa Việt Nam"

    def test_year_lists_have_reasons_and_only_weekdays_or_weekends(self):
        off = non_working_days(2024)
        assert D(2024, 4, 29) in off and "04/05/2024" in off[D(2024, 4, 29)].reason
        assert off[D(2024, 2, 10 - 1)].source == "statutory"
        assert D(2024, 2, 10) not in off  # Tết day on a Saturday: not a non-working *weekday*
        assert all(day.weekday() < 5 for day in off)
        weekends = working_weekend_days(2024)
        assert list(weekends) == [D(2024, 5, 4)]
        assert weekends[D(2024, 5, 4)].reason == "Làm việc bù cho ngày nghỉ 29/04/2024"


class TestAdminDecisions:
    def test_make_up_saturday_and_extra_day_off(self, make_up_saturday_2027):
        assert not is_working_day(D(2027, 3, 1))
        assert is_working_day(D(2027, 3, 6))
        assert add_working_days(D(2027, 2, 26), 1) == D(2027, 3, 2)
        assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 6)
        assert working_weekend_days(2027)[D(2027, 3, 6)].decision == "99/TB-TEST"
        assert non_working_days(2027)[D(2027, 3, 1)].source == "decision"

    def test_a_decision_overrides_a_statutory_holiday_and_a_package_swap(self, make_up_saturday_2027):
        calendar_exception_add(
            actor="test",
            decision=make_up_saturday_2027,
            date=D(2027, 4, 16),
            kind=DayKind.WORKING_DAY,
            note="Giả định: làm việc ngày Giỗ Tổ",
        )
        calendar_exception_add(actor="test", decision=make_up_saturday_2027, date=D(2025, 4, 26), kind=DayKind.DAY_OFF)
        assert is_working_day(D(2027, 4, 16))
        assert D(2027, 4, 16) not in non_working_days(2027)
        assert not is_working_day(D(2025, 4, 26))
        assert D(2025, 4, 26) not in working_weekend_days(2025)

    def test_cached_year_is_rebuilt_when_a_row_changes(self, make_up_saturday_2027, django_assert_num_queries):
        assert is_working_day(D(2027, 6, 7))
        with django_assert_num_queries(0):
            assert is_working_day(D(2027, 6, 8))
        row = calendar_exception_add(
            actor="test", decision=make_up_saturday_2027, date=D(2027, 6, 7), kind=DayKind.DAY_OFF
        )
        assert not is_working_day(D(2027, 6, 7))
        calendar_exception_remove(actor="test", exception=row)
        assert is_working_day(D(2027, 6, 7))

    def test_direct_edits_also_invalidate_the_cache(self, make_up_saturday_2027):
        assert is_working_day(D(2027, 3, 6))
        CalendarException.objects.filter(date=D(2027, 3, 6)).delete()
        assert not is_working_day(D(2027, 3, 6))


class TestCounting:
    def test_zero_days_is_the_start_and_half_days_round_up_to_a_date(self):
        assert add_working_days(D(2024, 2, 10), 0) == D(2024, 2, 10)
        assert add_working_days(D(2024, 3, 4), Decimal("0.5")) == D(2024, 3, 5)
        assert add_working_days(D(2024, 3, 4), Decimal("1.5")) == D(2024, 3, 6)

    def test_between_is_the_inverse_of_add(self):
        start = D(2025, 1, 20)
        for n in range(0, 40, 3):
            assert working_days_between(start, add_working_days(start, n)) == n
        assert working_days_between(D(2025, 2, 3), D(2025, 1, 24)) == -1

    def test_counting_a_year_costs_one_query_per_year(self, django_assert_num_queries):
        with django_assert_num_queries(2):
            assert add_working_days(D(2024, 12, 20), 20) == D(2025, 1, 20)

    @pytest.mark.parametrize("days", [-1, "abc", "NaN"])
    def test_bad_day_counts_are_refused(self, days):
        with pytest.raises(ValidationFailed) as error:
            add_working_days(D(2024, 3, 4), days)
        assert error.value.code == "workdays_invalid_days"

    def test_years_outside_the_calendar_are_refused(self):
        with pytest.raises(ValidationFailed) as error:
            is_working_day(D(2200, 1, 1))
        assert error.value.code == "workdays_year_out_of_range"

"""GET /api/v1/workdays/add/ and GET /api/v1/workdays/ (API.md "Working days")."""

import pytest

from tests.conftest import auth_client

pytestmark = pytest.mark.django_db


class TestAddApi:
    def test_returns_the_nth_working_day_after_start_across_tet(self, api_client):
        response = api_client.get("/api/v1/workdays/add/", {"start": "2025-01-24", "days": "1"})
        assert response.status_code == 200
        assert response.json()["date"] == "2025-02-03"

    def test_uses_the_admin_table(self, api_client, make_up_saturday_2027):
        response = api_client.get("/api/v1/workdays/add/", {"start": "2027-03-05", "days": "1"})
        assert response.json()["date"] == "2027-03-06"

    def test_accepts_half_days(self, api_client):
        assert (
            api_client.get("/api/v1/workdays/add/", {"start": "2024-03-04", "days": "0.5"}).json()["date"]
            == "2024-03-05"
        )

    @pytest.mark.parametrize(
        ("params", "code", "field"),
        [
            ({"start": "2025-02-30", "days": "1"}, "workdays_invalid_start", "start"),
            ({"days": "1"}, "workdays_invalid_start", "start"),
            ({"start": "2025-01-24"}, "workdays_invalid_days", "days"),
            ({"start": "2025-01-24", "days": "-2"}, "workdays_invalid_days", "days"),
            ({"start": "2025-01-24", "days": "ba"}, "workdays_invalid_days", "days"),
            ({"start": "2025-01-24", "days": "100000"}, "workdays_invalid_days", "days"),
        ],
    )
    def test_bad_input_is_a_400_with_a_stable_code(self, api_client, params, code, field):
        response = api_client.get("/api/v1/workdays/add/", params)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == code
        assert field in body["fields"]
        assert body["detail"]

    def test_dates_outside_the_calendar_are_a_400(self, api_client):
        response = api_client.get("/api/v1/workdays/add/", {"start": "2200-01-01", "days": "1"})
        assert response.status_code == 400
        assert response.json()["code"] == "workdays_year_out_of_range"

    def test_is_read_only_for_everyone(self, api_client, citizen):
        assert api_client.post("/api/v1/workdays/add/", {"start": "2025-01-24", "days": "1"}).status_code == 405
        assert auth_client(citizen).post("/api/v1/workdays/", {"year": 2025}).status_code == 405


class TestYearApi:
    def test_lists_non_working_weekdays_and_working_weekend_days_with_reasons(self, api_client):
        body = api_client.get("/api/v1/workdays/", {"year": "2025"}).json()
        assert body["year"] == 2025
        off = {row["date"]: row for row in body["non_working_days"]}
        assert {"2025-01-27", "2025-01-31", "2025-04-07", "2025-04-30", "2025-05-02", "2025-09-01"} <= set(off)
        assert "2025-02-01" not in off  # Saturday
        assert off["2025-04-07"]["reason"] == "Ngày Giỗ Tổ Hùng Vương"
        assert off["2025-04-07"]["source"] == "statutory"
        assert body["working_weekend_days"] == [
            {
                "date": "2025-04-26",
                "reason": "Làm việc bù cho ngày nghỉ 02/05/2025",
                "source": "statutory",
                "decision": None,
            }
        ]

    def test_decisions_show_their_number(self, api_client, make_up_saturday_2027):
        body = api_client.get("/api/v1/workdays/", {"year": "2027"}).json()
        assert {
            "date": "2027-03-06",
            "reason": "Làm bù cho 01/03/2027",
            "source": "decision",
            "decision": "99/TB-TEST",
        } in body["working_weekend_days"]
        assert "2027-11-24" in [row["date"] for row in body["non_working_days"]]

    def test_costs_one_query(self, api_client, django_assert_max_num_queries, make_up_saturday_2027):
        with django_assert_max_num_queries(1):
            api_client.get("/api/v1/workdays/", {"year": "2027"})

    @pytest.mark.parametrize("year", ["", "20x5", "1800", "3000", "-1"])
    def test_bad_year_is_a_400(self, api_client, year):
        response = api_client.get("/api/v1/workdays/", {"year": year})
        assert response.status_code == 400
        assert response.json()["code"] == "workdays_invalid_year"

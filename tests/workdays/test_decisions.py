"""The admin table of yearly decisions: services, audit rows, Django admin and the demo data."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ConflictError, ValidationFailed
from dichvucong.workdays.calendar import is_working_day
from dichvucong.workdays.models import CalendarDecision, CalendarException, DayKind
from dichvucong.workdays.services import calendar_decision_create, calendar_decision_delete
from tests.factories import StaffFactory

D = datetime.date
pytestmark = pytest.mark.django_db
ADMIN_URL = "/quan-tri-he-thong/workdays/calendardecision/"


class TestServices:
    def test_create_writes_an_audit_row_with_the_dates(self, make_up_saturday_2027):
        entry = AuditEntry.objects.get(action="calendar_decision.create")
        assert entry.object_repr == "99/TB-TEST"
        assert [day["date"] for day in entry.after["exceptions"]] == ["2027-03-01", "2027-03-06"]

    def test_a_date_can_be_fixed_by_one_decision_only(self, make_up_saturday_2027):
        with pytest.raises(ConflictError) as error:
            calendar_decision_create(
                actor="test", number="1/X", title="Trùng ngày", days=[{"date": D(2027, 3, 6), "kind": DayKind.DAY_OFF}]
            )
        assert error.value.code == "workdays_date_taken"
        assert not CalendarDecision.objects.filter(number="1/X").exists()

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"number": " ", "title": "x", "days": []}, "workdays_decision_incomplete"),
            (
                {"number": "1/X", "title": "x", "days": [{"date": D(2027, 1, 4), "kind": "holiday"}]},
                "workdays_invalid_kind",
            ),
            (
                {
                    "number": "1/X",
                    "title": "x",
                    "days": [
                        {"date": D(2027, 1, 4), "kind": DayKind.DAY_OFF},
                        {"date": D(2027, 1, 4), "kind": DayKind.DAY_OFF},
                    ],
                },
                "workdays_duplicate_date",
            ),
        ],
    )
    def test_bad_decisions_are_refused_and_nothing_is_written(self, kwargs, code):
        with pytest.raises(ValidationFailed) as error:
            calendar_decision_create(actor="test", **kwargs)
        assert error.value.code == code
        assert not CalendarDecision.objects.exists()

    def test_deleting_a_decision_restores_the_statutory_calendar(self, make_up_saturday_2027):
        assert not is_working_day(D(2027, 3, 1))
        calendar_decision_delete(actor="test", decision=make_up_saturday_2027)
        assert is_working_day(D(2027, 3, 1))
        assert not CalendarException.objects.exists()
        assert AuditEntry.objects.filter(action="calendar_decision.delete").count() == 1


class TestAdmin:
    def _post_decision(self, client):
        return client.post(
            f"{ADMIN_URL}add/",
            {
                "number": "5/TB-ADMIN",
                "issuer": "Văn phòng Chính phủ",
                "issued_on": "",
                "title": "Làm bù",
                "exceptions-TOTAL_FORMS": "1",
                "exceptions-INITIAL_FORMS": "0",
                "exceptions-MIN_NUM_FORMS": "0",
                "exceptions-MAX_NUM_FORMS": "1000",
                "exceptions-0-date": "2027-10-09",
                "exceptions-0-kind": "working_day",
                "exceptions-0-note": "Làm bù",
            },
        )

    def test_superuser_adds_a_make_up_saturday_with_audit_rows(self, client):
        admin = StaffFactory(is_staff=True, is_superuser=True)
        client.force_login(admin)
        assert not is_working_day(D(2027, 10, 9))
        response = self._post_decision(client)
        assert response.status_code == 302, response.content[:2000]
        assert is_working_day(D(2027, 10, 9))
        actions = set(AuditEntry.objects.filter(actor=admin).values_list("action", flat=True))
        assert {"calendar_decision.create", "calendar_exception.add"} <= actions

    def test_staff_without_the_permission_is_refused(self, client):
        client.force_login(StaffFactory(is_staff=True))
        assert self._post_decision(client).status_code == 403
        assert not CalendarDecision.objects.exists()

    def test_staff_with_the_permission_may_view_but_not_add(self, client):
        viewer = StaffFactory(is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_calendardecision"))
        client.force_login(viewer)
        assert client.get(ADMIN_URL).status_code == 200
        assert self._post_decision(client).status_code == 403

    def test_citizens_are_sent_to_the_login(self, client, citizen):
        client.force_login(citizen)
        assert client.get(ADMIN_URL).status_code == 302


class TestDemo:
    def test_demo_loads_real_decisions_idempotently(self, demo):
        from dichvucong.demo.loader import load_demo

        load_demo()
        assert set(CalendarDecision.objects.values_list("number", flat=True)) == {"2450/VPCP-KGVX", "6150/TB-BLĐTBXH"}
        assert is_working_day(D(2024, 5, 4))
        assert not is_working_day(D(2024, 4, 29))

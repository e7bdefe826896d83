import datetime

import pytest
from django.utils import timezone

from dichvucong.workdays.models import DayKind
from dichvucong.workdays.services import calendar_decision_create


def local(*args) -> datetime.datetime:
    """An aware Asia/Ho_Chi_Minh datetime."""
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def make_up_saturday_2027(db):
    """An illustrative (not real) decision: Monday 1/3/2027 off, made up on Saturday 6/3/2027."""
    return calendar_decision_create(
        actor="test",
        number="99/TB-TEST",
        title="Hoán đổi ngày làm việc (dữ liệu kiểm thử)",
        days=[
            {"date": datetime.date(2027, 3, 1), "kind": DayKind.DAY_OFF, "note": "Nghỉ hoán đổi"},
            {"date": datetime.date(2027, 3, 6), "kind": DayKind.WORKING_DAY, "note": "Làm bù cho 01/03/2027"},
        ],
    )

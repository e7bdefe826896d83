"""Due dates at acceptance (working days, cut-off, Tết, Hùng Kings, make-up Saturday), supplement pause, apology,
timeliness at return, due-soon / overdue flags."""

import datetime
from contextlib import contextmanager
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dichvucong.common.errors import ConflictError, ValidationFailed
from dichvucong.dossiers import actions, services
from dichvucong.dossiers.selectors import deadline_flags, dossier_list
from dichvucong.dossiers.submission import dossier_create
from dichvucong.workdays.calendar import is_working_day

from .conftest import FORM, submit_online

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@contextmanager
def frozen(moment):
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def counter(world, accept=True):
    return dossier_create(
        actor=world.reception,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        channel="counter",
        applicant={"full_name": "Lê Văn Cường", "id_number": "033090009999"},
        form_data=FORM,
        received_documents=[d.pk for d in world.docs[:2]],
        accept=accept,
    ).dossier


def test_online_dossier_after_the_cut_off_before_tet_counts_from_the_first_working_day_after_tet(world):
    with frozen(at(2021, 2, 9, 16, 45)):  # Tuesday, after the 16:30 cut-off; Tết 2021 is 10-16 February
        d = submit_online(world)
    assert d.received_at == at(2021, 2, 17, 7, 30)
    assert "-210217-" in d.code
    with frozen(at(2021, 2, 17, 8, 0)):
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.due_date == datetime.date(2021, 2, 22)  # Wed 17 + 3 working days (opening to opening) = Mon 22


def test_online_dossier_before_the_cut_off_counts_from_its_submission(world):
    with frozen(at(2021, 3, 1, 9, 0)):
        d = submit_online(world)
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.received_at == at(2021, 3, 1, 9, 0)
    assert d.due_at == at(2021, 3, 4, 9, 0)


def test_counter_dossier_skips_hung_kings_day(world):
    with frozen(at(2021, 4, 20, 10, 0)):  # Hùng Kings' day 2021: Wednesday 21 April
        d = counter(world)
    assert d.status == "accepted"
    assert d.due_at == at(2021, 4, 26, 10, 0)


def test_make_up_saturday_is_a_working_day(world):
    with frozen(at(2024, 5, 3, 10, 0)):  # Saturday 4/5/2024 was worked in exchange for Monday 29/4/2024
        d = counter(world)
    assert d.due_date == datetime.date(2024, 5, 7)


def test_supplement_time_does_not_count_and_the_due_date_is_recomputed(world):
    with frozen(at(2024, 6, 3, 9, 0)):
        d = counter(world)
    assert d.due_at == at(2024, 6, 6, 9, 0)
    with frozen(at(2024, 6, 3, 10, 0)):
        d = services.dossier_request_supplement(actor=world.reception, dossier=d, items=["Bản sao sổ hộ khẩu"])
    with frozen(at(2024, 6, 5, 10, 0)):
        d = services.dossier_supplement(actor=world.reception, dossier=d, note="Đã nhận bản sao")
    assert d.status == "accepted"
    assert d.due_at == at(2024, 6, 10, 9, 0)  # two working days of waiting added


def _processed(world, moment):
    with frozen(moment):
        d = counter(world)
        d = services.dossier_start_processing(actor=world.reception, dossier=d)
    return d


def test_timeliness_is_fixed_at_return(world):
    d = _processed(world, at(2024, 6, 3, 9, 0))
    with frozen(at(2024, 6, 7, 9, 0)):  # due Thursday 6/6
        d = services.dossier_mark_processed(actor=world.specialist, dossier=d)
        d = services.dossier_deliver(actor=world.reception, dossier=d)
    assert d.timeliness == "late"


def test_a_second_supplement_request_makes_the_dossier_late(world):
    d = _processed(world, at(2024, 6, 3, 9, 0))
    for day in (3, 4):
        with frozen(at(2024, 6, day, 10, 0)):
            d = services.dossier_request_supplement(actor=world.specialist, dossier=d, items=["Giấy tờ"])
        with frozen(at(2024, 6, day, 11, 0)):
            d = services.dossier_supplement(actor=world.reception, dossier=d, note="Đã bổ sung")
    with frozen(at(2024, 6, 5, 9, 0)):
        d = services.dossier_mark_processed(actor=world.specialist, dossier=d)
        d = services.dossier_deliver(actor=world.reception, dossier=d)
    assert d.timeliness == "late"  # QĐ 766/QĐ-TTg


def test_apology_once_before_the_deadline_with_a_later_date(world):
    d = _processed(world, at(2024, 6, 3, 9, 0))  # due 6/6
    with frozen(at(2024, 6, 4, 9, 0)):
        with pytest.raises(ValidationFailed) as exc:
            services.dossier_apologize(
                actor=world.leader, dossier=d, reason="Chờ xác minh", new_due_date=datetime.date(2024, 6, 6)
            )
        assert exc.value.code == "apology_date_not_later"
        d = services.dossier_apologize(
            actor=world.leader, dossier=d, reason="Chờ xác minh", new_due_date=datetime.date(2024, 6, 12)
        )
        assert d.due_date == datetime.date(2024, 6, 12)
        assert d.apology.previous_due_at == at(2024, 6, 6, 9, 0)
        assert "apologize" not in {a.name for a in actions.dossier_actions(user=world.leader, dossier=d)}
        with pytest.raises(ConflictError) as exc:
            services.dossier_apologize(
                actor=world.leader, dossier=d, reason="Lần nữa", new_due_date=datetime.date(2024, 6, 20)
            )
        assert exc.value.code == "apology_already_issued"


@pytest.mark.parametrize("day_off", [datetime.date(2024, 6, 15), datetime.date(2024, 9, 2)])  # Saturday, 2/9
def test_apology_new_date_must_be_a_working_day(world, day_off):
    d = _processed(world, at(2024, 6, 3, 9, 0))
    with frozen(at(2024, 6, 4, 9, 0)), pytest.raises(ValidationFailed) as exc:
        services.dossier_apologize(actor=world.leader, dossier=d, reason="Chờ xác minh", new_due_date=day_off)
    assert exc.value.code == "apology_date_not_working_day"
    d.refresh_from_db()
    assert d.due_date == datetime.date(2024, 6, 6) and not hasattr(d, "apology")


def test_apology_on_the_due_day_is_too_late(world):
    d = _processed(world, at(2024, 6, 3, 9, 0))
    with frozen(at(2024, 6, 6, 8, 0)):
        assert "apologize" not in {a.name for a in actions.dossier_actions(user=world.leader, dossier=d)}
        with pytest.raises(ConflictError) as exc:
            services.dossier_apologize(
                actor=world.leader, dossier=d, reason="Chậm", new_due_date=datetime.date(2024, 6, 12)
            )
    assert exc.value.code == "apology_too_late"
    d.refresh_from_db()
    assert d.due_date == datetime.date(2024, 6, 6)


def test_due_soon_and_overdue_flags_and_filters(world):
    d = _processed(world, at(2024, 6, 3, 9, 0))  # due Thursday 6/6 09:00
    with frozen(at(2024, 6, 3, 12, 0)):
        assert deadline_flags(d) == {"overdue": False, "due_soon": False}
    with frozen(at(2024, 6, 5, 12, 0)):
        assert deadline_flags(d) == {"overdue": False, "due_soon": True}
        assert list(dossier_list(user=world.reception, due_soon="1")) == [d]
        assert list(dossier_list(user=world.reception, overdue="1")) == []
    with frozen(at(2024, 6, 6, 10, 0)):
        assert deadline_flags(d) == {"overdue": True, "due_soon": False}
        assert list(dossier_list(user=world.reception, overdue="true")) == [d]


# --- the due date runs from acceptance (Decree 61/2018 art. 19: N working days after a complete dossier is accepted)


def receipt_text(dossier) -> str:
    import io

    from pypdf import PdfReader

    from dichvucong.dossiers.pdf_forms import render_dossier_form

    pdf = render_dossier_form(dossier, "receipt")
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_online_dossier_accepted_three_working_days_after_submission_counts_from_acceptance(world):
    with frozen(at(2024, 6, 3, 9, 0)):  # Monday
        d = submit_online(world)
    with frozen(at(2024, 6, 6, 10, 0)):  # Thursday: 3 working days later
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.received_at == at(2024, 6, 3, 9, 0)  # the receipt time (and the code's day) stay
    assert d.accepted_at == at(2024, 6, 6, 10, 0)
    assert d.due_at == at(2024, 6, 11, 10, 0)  # acceptance + 3 working days (Fri 7, Mon 10, Tue 11)
    text = receipt_text(d)
    assert squeezed("5. Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 11 tháng 06 năm 2024") in text
    assert squeezed("4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 03 tháng 06 năm 2024") in text


def test_online_dossier_accepted_after_the_cut_off_counts_from_the_next_working_day(world):
    with frozen(at(2024, 6, 3, 9, 0)):
        d = submit_online(world)
    with frozen(at(2024, 6, 7, 16, 45)):  # Friday after the 16:30 cut-off
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.due_at == at(2024, 6, 13, 7, 30)  # from Monday 10/6 07:30: Tue, Wed, Thu opening


def test_online_dossier_accepted_at_once_keeps_counting_from_its_receipt(world):
    with frozen(at(2024, 6, 1, 10, 0)):  # Saturday: received Monday 3/6 07:30
        d = submit_online(world)
    with frozen(at(2024, 6, 3, 7, 0)):  # accepted before the opening on Monday
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.due_at == at(2024, 6, 6, 7, 30)


def test_supplement_before_acceptance_then_acceptance_counts_from_acceptance(world):
    with frozen(at(2024, 6, 3, 9, 0)):
        d = submit_online(world)
        d = services.dossier_request_supplement(actor=world.reception, dossier=d, items=["Bản sao CCCD"])
    with frozen(at(2024, 6, 5, 9, 0)):
        d = services.dossier_supplement(actor=world.citizen, dossier=d, note="Đã bổ sung")
    with frozen(at(2024, 6, 5, 14, 0)):
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.due_at == at(2024, 6, 10, 14, 0)


def test_counter_reception_accepted_at_once_counts_from_the_registration(world):
    with frozen(at(2024, 6, 3, 16, 45)):  # the counter has no cut-off: the desk is open until 17:00
        d = counter(world)
    assert d.received_at == d.accepted_at == at(2024, 6, 3, 16, 45)
    assert d.due_at == at(2024, 6, 6, 16, 45)
    assert squeezed("trả kết quả giải quyết hồ sơ: 16 giờ 45 phút, ngày 06 tháng 06 năm 2024") in receipt_text(d)


def test_counter_dossier_accepted_later_counts_from_acceptance(world):
    with frozen(at(2024, 6, 3, 9, 0)):
        d = counter(world, accept=False)
    with frozen(at(2024, 6, 4, 8, 0)):
        d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.due_at == at(2024, 6, 7, 8, 0)


# --- the appointment printed on Mẫu 01 is a time the desk is open -------------------------------------------------


def within_office_hours(moment, sessions) -> bool:
    local = timezone.localtime(moment)
    return is_working_day(local.date()) and any(start <= local.time() <= end for start, end in sessions)


DEFAULT_SESSIONS = [(datetime.time(7, 30), datetime.time(11, 30)), (datetime.time(13, 0), datetime.time(17, 0))]


@pytest.mark.parametrize(
    "moment",
    [
        at(2024, 6, 7, 6, 50),
        at(2024, 6, 7, 9, 0),
        at(2024, 6, 7, 11, 45),
        at(2024, 6, 7, 16, 29),
        at(2024, 6, 7, 16, 45),
        at(2024, 6, 7, 17, 30),
        at(2024, 6, 7, 22, 0),
        at(2024, 6, 8, 10, 0),
    ],
    ids=["before-opening", "morning", "lunch", "before-cut-off", "after-cut-off", "after-closing", "night", "saturday"],
)
def test_the_appointment_is_always_within_office_hours(world, moment):
    with frozen(moment):
        at_counter = counter(world)
        online = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    for d in (at_counter, online):
        assert within_office_hours(d.due_at, DEFAULT_SESSIONS), (d.channel, d.due_at)
        due = timezone.localtime(d.due_at)
        assert squeezed(f"5. Thời gian trả kết quả giải quyết hồ sơ: {due:%H} giờ {due:%M} phút") in receipt_text(d)


def test_with_other_office_hours_a_reception_after_closing_is_due_at_an_opening(world, settings):
    settings.WORKDAY_OFFICE_HOURS = "07:00-11:00,13:30-16:30"
    with frozen(at(2024, 6, 3, 16, 45)):  # Monday, after this office's closing
        d = counter(world)
    assert d.due_at == at(2024, 6, 7, 7, 0)  # counted from Tuesday's opening: Thursday's closing = Friday's opening
    assert squeezed("trả kết quả giải quyết hồ sơ: 07 giờ 00 phút, ngày 07 tháng 06 năm 2024") in receipt_text(d)
    with frozen(at(2024, 6, 4, 9, 0)):
        d = services.dossier_apologize(
            actor=world.leader, dossier=d, reason="Chờ xác minh", new_due_date=datetime.date(2024, 6, 12)
        )
    assert timezone.localtime(d.due_at).time() == datetime.time(16, 30)  # a new date ends at this office's closing

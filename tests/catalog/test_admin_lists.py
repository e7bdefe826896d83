"""The catalogue's administration lists: the standard pagination shape of API.md, and change requests that are
late (more than 3 working days, Plan 111/KH-UBND) across weekends and public holidays."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.catalog import selectors
from dichvucong.catalog.models import ChangeRequest
from dichvucong.catalog.services import change_request_submit, decision_create, decision_publish
from tests.catalog.conftest import load_records, procedure_record
from tests.conftest import auth_client

D = datetime.date
DECISIONS = "/api/v1/catalog/decisions/"
REQUESTS = "/api/v1/catalog/change-requests/"


@pytest.fixture
def catalog(tree, make_staff):
    load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3))
    return {**tree, "admin": make_staff("province_admin"), "vanlam_admin": make_staff("agency_admin", tree["van_lam"])}


def test_the_decision_list_is_paginated(catalog, api_client):
    for number in range(3):
        decision = decision_create(
            actor=catalog["admin"],
            number=f"{number}/QĐ-UBND",
            title="Công bố",
            signed_on=D(2021, 8, 2),
            signer="Chủ tịch",
            effective_on=D(2021, 8, 5 + number),
            changes=[{"kind": "change", "procedure_code": "1.001612", "payload": {"processing_days": str(number)}}],
        )
        decision_publish(actor=catalog["admin"], decision=decision)
    decision_create(
        actor=catalog["admin"],
        number="draft/QĐ",
        title="Dự thảo",
        signed_on=D(2021, 9, 1),
        signer="x",
        effective_on=D(2021, 9, 1),
    )
    body = api_client.get(DECISIONS, {"page_size": 2}).json()
    assert set(body) == {"count", "count_exact", "next", "previous", "results"}  # ADR 0018: count_exact added
    assert body["count"] == 3 and body["previous"] is None and "cursor=" in body["next"]
    assert [d["number"] for d in body["results"]] == ["2/QĐ-UBND", "1/QĐ-UBND"]
    assert body["results"][0]["changes"][0]["procedure_code"] == "1.001612"
    second = api_client.get(body["next"]).json()
    assert [d["number"] for d in second["results"]] == ["0/QĐ-UBND"] and second["next"] is None


def test_the_change_request_list_is_paginated(catalog):
    for number in range(3):
        change_request_submit(
            actor=catalog["vanlam_admin"],
            agency=catalog["van_lam"],
            kind="change",
            procedure_code="1.001612",
            summary=f"Đề nghị {number}",
        )
    body = auth_client(catalog["admin"]).get(REQUESTS, {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert [r["summary"] for r in body["results"]] == ["Đề nghị 0", "Đề nghị 1"]
    assert auth_client(catalog["admin"]).get(REQUESTS, {"status": "applied"}).json()["count"] == 0


def test_the_change_request_list_query_count_is_constant(catalog, django_assert_max_num_queries):
    change_request_submit(
        actor=catalog["vanlam_admin"],
        agency=catalog["van_lam"],
        kind="change",
        procedure_code="1.001612",
        summary="Đề nghị",
    )
    client = auth_client(catalog["admin"])
    with django_assert_max_num_queries(30) as few:
        client.get(REQUESTS)
    for number in range(10):
        change_request_submit(
            actor=catalog["vanlam_admin"],
            agency=catalog["van_lam"],
            kind="change",
            procedure_code="1.001612",
            summary=f"Đề nghị {number}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(REQUESTS)


# --- age in working days: Thursday 3/4/2025; Saturday 5 and Sunday 6; Monday 7/4/2025 is Hùng Kings' day --------

SUBMITTED = timezone.make_aware(datetime.datetime(2025, 4, 3, 10, 0))


@pytest.fixture
def old_request(catalog):
    request = change_request_submit(
        actor=catalog["vanlam_admin"],
        agency=catalog["van_lam"],
        kind="change",
        procedure_code="1.001612",
        summary="Sửa thời hạn giải quyết",
    )
    ChangeRequest.objects.filter(pk=request.pk).update(submitted_at=SUBMITTED)
    return request


def _on(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr(selectors, "_today", lambda: day)


@pytest.mark.parametrize(
    "today,age,late",
    [
        (D(2025, 4, 4), 1, False),  # Friday
        (D(2025, 4, 7), 1, False),  # the weekend and the holiday do not count
        (D(2025, 4, 9), 3, False),  # Wednesday: the last day allowed
        (D(2025, 4, 10), 4, True),  # Thursday: 4 working days (7 calendar days), late
    ],
)
def test_the_api_counts_working_days_across_a_weekend_and_a_holiday(
    catalog, old_request, monkeypatch, today, age, late
):
    _on(monkeypatch, today)
    row = auth_client(catalog["admin"]).get(REQUESTS).json()["results"][0]
    assert (row["age_working_days"], row["is_late"]) == (age, late)


def test_the_page_shows_a_request_4_working_days_old_as_late(catalog, old_request, monkeypatch, client):
    _on(monkeypatch, D(2025, 4, 10))
    client.force_login(catalog["admin"])
    html = client.get("/can-bo/danh-muc/de-nghi/").content.decode()
    assert 'class="late"' in html and "quá hạn" in html and "<td>4 " in html


def test_a_request_handled_within_3_working_days_is_not_late(catalog, old_request, monkeypatch):
    ChangeRequest.objects.filter(pk=old_request.pk).update(
        status="rejected", handled_at=timezone.make_aware(datetime.datetime(2025, 4, 9, 16, 0))
    )
    _on(monkeypatch, D(2025, 4, 30))
    row = auth_client(catalog["admin"]).get(REQUESTS).json()["results"][0]
    assert (row["age_working_days"], row["is_late"]) == (3, False)

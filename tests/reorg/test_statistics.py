"""Statistics across the change: "as organised then" keeps each dossier with the unit that handled it; "as organised
now" rolls old units up into their successors, and gives the same figures before and after the plan is applied."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.agencies.selectors import agency_ids_as_organised, roll_up, successor_map
from dichvucong.common.errors import ValidationFailed
from dichvucong.dossiers.selectors import dossier_counts_by_agency, dossier_list
from dichvucong.dossiers.tracking_book import tracking_book
from dichvucong.reorg.services import plan_apply
from dichvucong.workflows.queues import agency_load
from tests.factories import ProcedureFactory, StaffFactory
from tests.reorg.factories import approved_plan, dossiers_at, merge_operations

pytestmark = pytest.mark.django_db


def _window() -> tuple[datetime.date, datetime.date]:
    """Today and the next days: a dossier submitted online after office hours is received the next working day."""
    today = timezone.localdate()
    return today, today + datetime.timedelta(days=10)


def _book_codes(user, agency, organised):
    start, end = _window()
    data = tracking_book(user=user, agency_code=agency.code, start=str(start), end=str(end), organised=organised)
    return sorted(row.code for row in data.rows)


def test_reports_equal_before_and_after_as_organised_now(world):
    planned = dossiers_at(world.plan_dept, world.investment)
    budget = ProcedureFactory(
        code="1.009999", name="Cấp mã số đơn vị có quan hệ với ngân sách", agencies=[world.finance.code]
    )
    dossiers_at(world.finance, budget, traits=("accepted", "returned"))
    dossiers_at(world.districts[0], world.household, traits=("processing", "returned"))
    dossiers_at(world.districts[1], world.land, traits=("new", "processed"))
    monitor = StaffFactory(roles=[("monitor", None)])
    start, end = _window()
    then_before = dossier_counts_by_agency(start=start, end=end)
    now_before = dossier_counts_by_agency(start=start, end=end, organised="now")
    assert now_before == then_before  # nothing reorganised yet
    books_before = {a.code: _book_codes(monitor, a, "then") for a in (world.plan_dept, world.finance)}

    plan = approved_plan(merge_operations(world))
    plan_apply(actor="test", plan=plan)
    new_district = "000.00.31.H31"
    now_after = dossier_counts_by_agency(start=start, end=end, organised="now")
    then_after = dossier_counts_by_agency(start=start, end=end)

    # "Now": the old units' figures are summed into their successors; totals unchanged.
    expected = {}
    mapping = {world.plan_dept.code: world.finance.code, world.transport.code: world.construction.code}
    mapping.update({d.code: new_district for d in world.districts})
    for code, counts in then_before.items():
        target = expected.setdefault(mapping.get(code, code), dict.fromkeys(counts, 0))
        for key, value in counts.items():
            target[key] += value
    assert now_after == expected
    assert world.plan_dept.code not in now_after
    for key in ("received", "with_result", "late", "open"):
        assert sum(c[key] for c in now_after.values()) == sum(c[key] for c in then_before.values())
    # "Then": received figures stay with the units that received the dossiers (open ones moved with their work).
    assert then_after[world.plan_dept.code]["received"] == 1  # the finished one
    assert sum(c["received"] for c in then_after.values()) == sum(c["received"] for c in then_before.values())

    # The tracking book (Mẫu 06) of the successor "as organised now" lists both units' dossiers.
    assert _book_codes(monitor, world.finance, "now") == sorted(
        books_before[world.plan_dept.code] + books_before[world.finance.code]
    )
    # "Then", the old unit keeps what it finished; its open dossiers continue (and are booked) at the successor.
    assert _book_codes(monitor, world.plan_dept, "then") == [planned["returned"].code]
    # The dossier list of a unit "as organised now" includes its predecessors' dossiers.
    listed_now = set(
        dossier_list(user=monitor, agency=world.finance.code, organised="now").values_list("code", flat=True)
    )
    listed_then = set(dossier_list(user=monitor, agency=world.plan_dept.code).values_list("code", flat=True))
    assert listed_then and listed_then <= listed_now
    # The leaders' load view accepts the same switch.
    assert agency_load(agency=world.finance, organised="now")["agency"] == world.finance.code


def test_roll_up_and_the_switch(world):
    plan = approved_plan(merge_operations(world))
    plan_apply(actor="test", plan=plan)
    assert roll_up({world.plan_dept.pk: 2, world.finance.pk: 3, world.province.pk: 1}) == {
        world.finance.pk: 5,
        world.province.pk: 1,
    }
    assert set(agency_ids_as_organised(world.finance, "now")) == {world.finance.pk, world.plan_dept.pk}
    assert agency_ids_as_organised(world.finance, "then") == [world.finance.pk]
    with pytest.raises(ValidationFailed) as error:
        agency_ids_as_organised(world.finance, "later")
    assert error.value.code == "invalid_organised"
    assert successor_map()[world.districts[1].pk] == successor_map()[world.districts[0].pk]


def test_the_api_takes_the_switch(world):
    from tests.factories import auth_client

    planned = dossiers_at(world.plan_dept, world.investment, traits=("returned",))
    plan_apply(actor="test", plan=approved_plan(merge_operations(world)))
    monitor = auth_client(StaffFactory(roles=[("monitor", None)]))
    now = monitor.get("/api/v1/dossiers/", {"agency": world.finance.code, "organised": "now"})
    assert now.status_code == 200
    assert planned["returned"].code in {row["code"] for row in now.json()["results"]}
    then = monitor.get("/api/v1/dossiers/", {"agency": world.finance.code})
    assert planned["returned"].code not in {row["code"] for row in then.json()["results"]}
    bad = monitor.get("/api/v1/dossiers/", {"agency": world.finance.code, "organised": "later"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_organised"
    book = monitor.get(f"/api/v1/agencies/{world.finance.code}/tracking-book.xlsx", {"organised": "now"})
    assert book.status_code == 200
    # An officer of another unit still may not read the successor's book.
    stranger = auth_client(StaffFactory(roles=[("reception", world.construction)]))
    refused = stranger.get(f"/api/v1/agencies/{world.finance.code}/tracking-book.xlsx", {"organised": "now"})
    assert refused.status_code == 403

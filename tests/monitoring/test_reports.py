"""Each report equals the counts of the hand-built dataset (conftest.build_world)."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.dossiers.models import Dossier
from dichvucong.monitoring.access import Scope
from dichvucong.monitoring.models import DossierFact, FlowAgencyDay, FlowAgencyMonth, FlowDay, FlowMonth
from dichvucong.monitoring.reports import dossier_report, figure_dossier_ids, procedure_report, split_period
from dichvucong.monitoring.rollups import rebuild

pytestmark = pytest.mark.django_db
PROVINCE = Scope(agencies=None, province_wide=True)


def _today():
    return timezone.localdate()


def _report(group_by="agency", scope=PROVINCE, **kw):
    today = _today()
    return dossier_report(scope=scope, start=today.replace(day=1), end=today, group_by=group_by, **kw)


EXPECTED_DEPT = {
    "received_total": 10,
    "received_counter": 2,
    "received_online": 8,
    "received_online_partial": 1,  # d_late (P3)
    "received_online_full": 7,
    "received_postal": 0,
    "resolved_total": 5,
    "resolved_early": 2,  # d_early, d_apology
    "resolved_on_time": 1,  # d_on_time
    "resolved_late": 2,  # d_late, d_supp2 (second supplement request)
    "resolved_apologised": 1,
    "in_progress_total": 2,  # d_open, d_open_late
    "in_progress_late": 1,
    "returned": 1,
    "withdrawn": 1,
    "stopped": 1,
    "share_online": 80.0,
    "share_on_time": 60.0,
}


def test_dossier_report_by_agency_equals_the_dataset(world):
    rows = {r["key"]: r for r in _report().rows}
    dept = rows[world.dept.code]
    assert {k: dept[k] for k in EXPECTED_DEPT} == EXPECTED_DEPT
    district = rows[world.district.code]
    assert (district["received_total"], district["received_counter"], district["resolved_early"]) == (1, 1, 1)
    commune = rows[world.commune.code]
    assert (commune["received_total"], commune["received_online_full"], commune["in_progress_total"]) == (1, 1, 1)
    assert commune["in_progress_late"] == 0  # not accepted yet: no due date


def test_totals_and_groupings_add_up(world):
    report = _report()
    totals = report.totals
    assert totals["received_total"] == 12  # the draft is not counted
    assert totals["resolved_total"] == 6
    assert totals["in_progress_total"] == 3
    for group_by in ("tier", "field", "procedure", "month"):
        other = _report(group_by)
        assert other.totals["received_total"] == 12, group_by
        assert sum(r["received_total"] for r in other.rows) == 12, group_by
        assert sum(r["resolved_late"] for r in other.rows) == 2, group_by
    tiers = {r["key"]: r for r in _report("tier").rows}
    assert tiers["province"]["received_total"] == 10
    assert tiers["district"]["received_total"] == 1
    assert tiers["commune"]["received_total"] == 1
    procedures = {r["key"]: r for r in _report("procedure").rows}
    assert procedures[world.p3.code]["received_online_partial"] == 1
    assert procedures[world.pd.code]["received_total"] == 2


def test_agency_scope_includes_children(world):
    scope = Scope(agencies=(world.district,), province_wide=False)
    report = _report(scope=scope)
    assert {r["key"] for r in report.rows} == {world.district.code, world.commune.code}
    assert report.totals["received_total"] == 2


def test_period_outside_the_data_is_empty(world):
    last_year = _today().replace(year=_today().year - 1)
    report = dossier_report(scope=PROVINCE, start=last_year.replace(month=1, day=1), end=last_year, group_by="tier")
    assert report.totals["received_total"] == 0
    assert report.totals["in_progress_total"] == 0  # nothing had been received yet


def test_in_progress_as_of_a_past_date_counts_dossiers_finished_later(world):
    """A dossier received days ago and resolved today was in progress yesterday; one overdue then counts late."""
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    Dossier.objects.filter(pk=world.d_early.pk).update(received_at=three_days_ago)
    Dossier.objects.filter(pk=world.d_late.pk).update(
        received_at=three_days_ago, due_at=three_days_ago + datetime.timedelta(hours=1)
    )
    rebuild()
    yesterday = _today() - datetime.timedelta(days=1)
    report = dossier_report(
        scope=PROVINCE, start=yesterday - datetime.timedelta(days=5), end=yesterday, group_by="tier"
    )
    assert report.totals["in_progress_total"] == 2
    assert report.totals["in_progress_late"] == 1
    assert report.rows[0]["in_progress_total"] == 2
    # and today both are resolved: only the dossiers open now remain
    assert _report("tier").totals["in_progress_total"] == 3


def test_figures_link_to_their_dossiers(world):
    today = _today()
    ids = lambda measure, **kw: set(  # noqa: E731
        figure_dossier_ids(scope=PROVINCE, start=today.replace(day=1), end=today, measure=measure, **kw).values_list(
            "dossier_id", flat=True
        )
    )
    assert ids("resolved_late") == {world.d_late.pk, world.d_supp2.pk}
    assert ids("in_progress_late") == {world.d_open_late.pk}
    assert ids("withdrawn") == {world.d_withdrawn.pk}
    assert ids("returned") == {world.d_refused.pk}
    assert ids("received_online_partial") == {world.d_late.pk}
    assert ids("received_total", group_by="agency", key=world.commune.code) == {world.d_commune.pk}


def _snapshot():
    def rows(model):
        return sorted(tuple(v for k, v in r.items() if k != "id") for r in model.objects.values())

    facts = sorted(tuple(r.values()) for r in DossierFact.objects.values())
    return facts, *(rows(m) for m in (FlowDay, FlowMonth, FlowAgencyDay, FlowAgencyMonth))


def test_rollups_kept_by_transitions_equal_a_rebuild_from_the_dossier_table(world):
    """Every kind of transition above (submit, receive at the counter, accept, supplement twice, apology, refuse,
    withdraw, stop, processing, processed, delivered) kept the rollups; a rebuild from scratch agrees."""
    kept = _snapshot()
    assert len(kept[0]) == 12 and all(kept)
    counts = rebuild()
    assert counts["facts"] == 12
    assert _snapshot() == kept


def test_split_period_reads_whole_months_and_edge_days():
    parts = split_period(datetime.date(2021, 1, 15), datetime.date(2021, 4, 10))
    assert [(p[0].__name__, p[2], p[3]) for p in parts] == [
        ("FlowMonth", datetime.date(2021, 2, 1), datetime.date(2021, 3, 1)),
        ("FlowDay", datetime.date(2021, 1, 15), datetime.date(2021, 1, 31)),
        ("FlowDay", datetime.date(2021, 4, 1), datetime.date(2021, 4, 10)),
    ]
    assert [p[0].__name__ for p in split_period(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))] == [
        "FlowMonth"
    ]
    assert [p[0].__name__ for p in split_period(datetime.date(2021, 1, 5), datetime.date(2021, 1, 20))] == ["FlowDay"]


def test_procedure_report_counts_levels(world):
    report = procedure_report(scope=PROVINCE, as_of=_today(), group_by="agency")
    rows = {r["key"]: r for r in report.rows}
    dept = rows[world.dept.code]
    assert (dept["total"], dept["level_3"], dept["level_4"], dept["share_level_4"]) == (2, 1, 1, 50.0)
    assert rows[world.district.code]["level_4"] >= 1
    by_field = procedure_report(scope=PROVINCE, as_of=_today(), group_by="field")
    assert by_field.totals["total"] >= 3
    by_tier = {r["key"]: r for r in procedure_report(scope=PROVINCE, as_of=_today(), group_by="tier").rows}
    assert by_tier["province"]["online_partial"] >= 1


def test_backlog_by_age(world):
    from dichvucong.monitoring.reports import backlog_by_age

    buckets = backlog_by_age(PROVINCE)
    assert [b["total"] for b in buckets] == [3, 0, 0, 0]  # d_open, d_open_late, d_commune: received today
    assert [b["late"] for b in buckets] == [1, 0, 0, 0]

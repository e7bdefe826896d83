"""Each report equals the counts of the hand-built dataset (conftest.build_world)."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.dossiers.models import Dossier
from dichvucong.monitoring.access import Scope
from dichvucong.monitoring.models import DossierFact, FlowAgencyDay, FlowAgencyMonth, FlowDay, FlowMonth
from dichvucong.monitoring.reports import dossier_report, figure_dossier_ids, procedure_report, split_period
from dichvucong.monitoring.rollups import rebuild
from tests.dossiers.factories import DossierFactory
from tests.payments.factories import paid_payment

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
    assert totals["received_total"] == 16  # the draft is not counted
    assert totals["resolved_total"] == 7
    assert totals["in_progress_total"] == 6
    for group_by in ("tier", "field", "procedure", "month"):
        other = _report(group_by)
        assert other.totals["received_total"] == 16, group_by
        assert sum(r["received_total"] for r in other.rows) == 16, group_by
        assert sum(r["resolved_late"] for r in other.rows) == 2, group_by
    tiers = {r["key"]: r for r in _report("tier").rows}
    assert tiers["province"]["received_total"] == 13
    assert tiers["district"]["received_total"] == 1
    assert tiers["commune"]["received_total"] == 2
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
    assert _report("tier").totals["in_progress_total"] == 6


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
    withdraw, stop, processing, processed, delivered, a national-portal submission, fees requested and paid online
    and at the desk, a transfer to another agency) kept the rollups; a rebuild from scratch agrees."""
    kept = _snapshot()
    assert len(kept[0]) == 16 and all(kept)
    counts = rebuild()
    assert counts["facts"] == 16
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
    # d_open, d_open_late, d_commune, d_national, d_pay_online, d_pay_desk: received today
    assert [b["total"] for b in buckets] == [6, 0, 0, 0]
    assert [b["late"] for b in buckets] == [1, 0, 0, 0]


EXPECTED_DEPT2 = {
    "received_total": 3,
    "received_counter": 1,  # d_pay_desk
    "received_online": 2,  # d_national, d_pay_online
    "received_online_full": 2,
    "received_national_portal": 1,  # d_national: online AND from the national portal (not a fourth channel)
    "received_postal": 0,
    "resolved_total": 0,
    "in_progress_total": 3,
    "paid_online": 1,  # d_pay_online
    "paid_desk": 1,  # d_pay_desk (POS)
    "share_online": 66.67,
    "share_paid_online": 50.0,
}


def test_national_portal_channel_and_payments_equal_the_dataset(world):
    rows = {r["key"]: r for r in _report().rows}
    dept2 = rows[world.dept2.code]
    assert {k: dept2[k] for k in EXPECTED_DEPT2} == EXPECTED_DEPT2
    # the channels still partition the total; the national portal is counted within online
    totals = _report().totals
    assert totals["received_counter"] + totals["received_online"] + totals["received_postal"] == 16
    assert totals["received_national_portal"] == 1 <= totals["received_online"]
    assert (totals["paid_online"], totals["paid_desk"], totals["share_paid_online"]) == (1, 1, 50.0)
    for group_by in ("tier", "field", "procedure", "month"):
        other = _report(group_by)
        assert sum(r["received_national_portal"] for r in other.rows) == 1, group_by
        assert sum(r["paid_desk"] for r in other.rows) == 1, group_by


def test_a_transfer_counts_where_it_was_received(world):
    """Liên thông: the commune receives, the district resolves under its own process; the dossier keeps its
    receiving agency (ADR 0015), so it is received and resolved at the commune; the district has no row of its own
    and sees it through its child (agency= includes children)."""
    from dichvucong.workflows.models import Handover

    transfer = Handover.objects.get(dossier=world.d_transfer, action="transfer")
    assert (transfer.from_agency, transfer.to_agency) == (world.commune2, world.district2)
    assert Dossier.objects.get(pk=world.d_transfer.pk).agency == world.commune2
    rows = {r["key"]: r for r in _report().rows}
    commune2 = rows[world.commune2.code]
    assert (commune2["received_total"], commune2["received_online_full"]) == (1, 1)
    assert (commune2["resolved_total"], commune2["resolved_early"], commune2["in_progress_total"]) == (1, 1, 0)
    assert world.district2.code not in rows
    district_scope = _report(scope=Scope(agencies=(world.district2,), province_wide=False))
    assert district_scope.totals["resolved_early"] == 1
    commune_scope = _report(scope=Scope(agencies=(world.commune2,), province_wide=False))
    assert commune_scope.totals["received_total"] == 1


def _direct(world):
    """Counts computed straight from the dossier and payment tables (the naive reading), per agency code."""
    from collections import Counter, defaultdict

    from dichvucong.payments.models import Payment

    today = _today()
    start = today.replace(day=1)
    result = defaultdict(Counter)
    resolved = {"processed", "result_returned"}
    outcome = {"refused": "returned", "withdrawn": "withdrawn", "stopped": "stopped"}
    for d in Dossier.objects.submitted().select_related("agency", "procedure"):
        row = result[d.agency.code]
        if start <= timezone.localtime(d.received_at).date() <= today:
            row["received_total"] += 1
            if d.channel == "online":
                row["received_online"] += 1
                row[f"received_online_{'full' if d.procedure.online_level >= 4 else 'partial'}"] += 1
            else:
                row[f"received_{d.channel}"] += 1
            row["received_national_portal"] += d.origin == "national_portal"
        if d.status in resolved:
            row["resolved_total"] += 1
        elif d.status in outcome:
            row[outcome[d.status]] += 1
        else:
            row["in_progress_total"] += 1
    for p in Payment.objects.filter(status="paid").select_related("dossier__agency"):
        result[p.dossier.agency.code]["paid_online" if p.method == "online" else "paid_desk"] += 1
    return result


DIRECT_FIELDS = (
    "received_total",
    "received_counter",
    "received_online",
    "received_online_partial",
    "received_online_full",
    "received_postal",
    "received_national_portal",
    "resolved_total",
    "in_progress_total",
    "returned",
    "withdrawn",
    "stopped",
    "paid_online",
    "paid_desk",
)


def test_each_agency_row_equals_counts_computed_directly_from_the_dossiers(world):
    direct = _direct(world)
    rows = {r["key"]: r for r in _report().rows}
    assert set(rows) == set(direct)
    for code, counts in direct.items():
        assert {k: rows[code][k] for k in DIRECT_FIELDS} == {k: counts[k] for k in DIRECT_FIELDS}, code
    # early / on time / late: the hand-made cases (conftest.build_world)
    resolved = {
        "early": {world.d_early, world.d_apology, world.d_district, world.d_transfer},
        "on_time": {world.d_on_time},
        "late": {world.d_late, world.d_supp2},
    }
    totals = _report().totals
    for name, dossiers in resolved.items():
        assert totals[f"resolved_{name}"] == len(dossiers), name


def test_new_figures_link_to_their_dossiers(world):
    today = _today()

    def ids(measure):
        return set(
            figure_dossier_ids(scope=PROVINCE, start=today.replace(day=1), end=today, measure=measure).values_list(
                "dossier_id", flat=True
            )
        )

    assert ids("received_national_portal") == {world.d_national.pk}
    assert ids("paid_online") == {world.d_pay_online.pk}
    assert ids("paid_desk") == {world.d_pay_desk.pk}
    assert ids("resolved_early") == {world.d_early.pk, world.d_apology.pk, world.d_district.pk, world.d_transfer.pk}


def test_a_reorganisation_move_and_a_late_payment_keep_the_rollups_equal_to_a_rebuild(world):
    """History actions outside the state machine (a reorganisation's carry-over to another agency) and a payment
    confirmed without a `pay` transition still refresh the facts (the `dossier.*` and `payment.paid` effects)."""
    from types import SimpleNamespace

    from dichvucong.dossiers import services
    from dichvucong.reorg.carryover import move_dossiers
    from dichvucong.reorg.spec import Route

    route = Route(source=world.dept2.code, default=world.dept.code, kind="merge")
    plan = SimpleNamespace(title="Sáp nhập thử")
    moved = move_dossiers(
        actor="test", plan=plan, route=route, agencies={world.dept2.code: world.dept2, world.dept.code: world.dept},
        limit=100,
    )  # fmt: skip
    assert moved == 3
    assert DossierFact.objects.get(dossier=world.d_national).agency_id == world.dept.pk
    rows = {r["key"]: r for r in _report().rows}
    assert world.dept2.code not in rows and rows[world.dept.code]["received_national_portal"] == 1
    # a payment the platform confirms after the applicant withdrew the dossier (no `pay` transition)
    d = DossierFactory(agency=world.dept, procedure=world.p4, officers=world.officers, payment_requested=True)
    d = services.dossier_withdraw(actor=d.owner, dossier=d, reason="Không còn nhu cầu")
    paid_payment(d)
    fact = DossierFact.objects.get(dossier=d)
    assert (fact.outcome, fact.paid) == ("withdrawn", "online")
    kept = _snapshot()
    rebuild()
    assert _snapshot() == kept

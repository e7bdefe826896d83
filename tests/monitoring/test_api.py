"""Reports API: rows equal the dataset, only the right roles see each report, bad input refused, Excel = API."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from rest_framework.test import APIClient

from dichvucong.monitoring.models import Plan, PlanTarget, TargetKind
from tests.factories import auth_client

pytestmark = pytest.mark.django_db
REPORTS = ["/api/v1/reports/procedures/", "/api/v1/reports/dossiers/", "/api/v1/reports/scorecard/"]


def _period():
    today = timezone.localdate()
    return {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}


def _get(user, url, **params):
    return auth_client(user).get(url, params)


def test_monitor_sees_the_province_with_the_documented_fields(world):
    response = _get(world.monitor, "/api/v1/reports/dossiers/", group_by="agency", **_period())
    assert response.status_code == 200, response.content
    data = response.json()
    rows = {r["key"]: r for r in data["rows"]}
    assert {world.dept.code, world.district.code, world.commune.code} <= set(rows)
    expected_fields = {
        "key", "label", "received_total", "received_counter", "received_online", "received_online_partial",
        "received_online_full", "received_postal", "resolved_total", "resolved_early", "resolved_on_time",
        "resolved_late", "in_progress_total", "in_progress_late", "returned", "withdrawn", "share_online",
        "share_on_time", "received_national_portal", "paid_online", "paid_desk", "share_paid_online",
    }  # fmt: skip
    assert expected_fields <= set(data["totals"]) and expected_fields <= set(rows[world.dept.code])
    assert data["totals"]["received_total"] == 16
    assert rows[world.dept.code]["resolved_late"] == 2


def test_every_figure_links_to_its_dossiers(world):
    data = _get(world.monitor, "/api/v1/reports/dossiers/", group_by="agency", **_period()).json()
    dept = next(r for r in data["rows"] if r["key"] == world.dept.code)
    listed = auth_client(world.monitor).get(dept["links"]["resolved_late"])
    assert listed.status_code == 200
    assert {d["code"] for d in listed.json()["results"]} == {world.d_late.code, world.d_supp2.code}
    total = auth_client(world.monitor).get(data["totals"]["links"]["withdrawn"]).json()
    assert [d["code"] for d in total["results"]] == [world.d_withdrawn.code]


def test_province_admin_sees_the_province(world):
    for url in REPORTS:
        assert _get(world.province_admin, url).status_code == 200, url


def test_agency_officer_sees_only_their_agency(world):
    data = _get(world.dept_officer, "/api/v1/reports/dossiers/", **_period()).json()
    assert [r["key"] for r in data["rows"]] == [world.dept.code]
    assert data["totals"]["received_total"] == 10
    refused = _get(world.dept_officer, "/api/v1/reports/dossiers/", agency=world.district.code)
    assert refused.status_code == 403 and refused.json()["code"] == "report_forbidden"
    # the figure lists follow the same rule
    items = _get(
        world.dept_officer, "/api/v1/reports/dossiers/items/", measure="received_total", agency=world.district.code
    )
    assert items.status_code == 403


def test_agency_includes_its_children_and_not_its_parent(world):
    data = _get(world.district_admin, "/api/v1/reports/dossiers/", agency=world.district.code, **_period()).json()
    assert {r["key"] for r in data["rows"]} == {world.district.code, world.commune.code}
    assert data["totals"]["received_total"] == 2
    assert _get(world.commune_officer, "/api/v1/reports/dossiers/", agency=world.district.code).status_code == 403
    assert _get(world.commune_officer, "/api/v1/reports/dossiers/", agency=world.commune.code).status_code == 200


@pytest.mark.parametrize(
    "url",
    [*REPORTS, "/api/v1/reports/targets/", "/api/v1/reports/dossiers/items/", "/api/v1/reports/procedures/items/"],
)
def test_citizens_and_anonymous_are_refused(world, url):
    response = _get(world.citizen, url, measure="received_total")
    assert response.status_code == 403 and response.json()["code"] == "report_forbidden"
    assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2021-12-31", "to": "2021-01-01"}, 400, "period_reversed"),
        ({"from": "2021-02-30"}, 400, "invalid_date"),
        ({"from": "1900-01-01", "to": "2021-01-01"}, 400, "date_out_of_range"),
        ({"from": "2000-01-01", "to": "2021-01-01"}, 400, "period_too_long"),
        ({"group_by": "colour"}, 400, "invalid_group_by"),
        ({"organised": "later"}, 400, "invalid_organised"),
        ({"agency": "000.00.99.X99"}, 404, "agency_not_found"),
    ],
)
def test_bad_input_is_refused_with_a_specific_error(world, params, status, code):
    response = _get(world.monitor, "/api/v1/reports/dossiers/", **params)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_procedure_report_fields(world):
    data = _get(world.monitor, "/api/v1/reports/procedures/", group_by="agency").json()
    dept = next(r for r in data["rows"] if r["key"] == world.dept.code)
    assert {k: dept[k] for k in ("total", "level_1", "level_2", "level_3", "level_4", "online_full", "online_partial", "share_level_4")} == {
        "total": 2, "level_1": 0, "level_2": 0, "level_3": 1, "level_4": 1, "online_full": 1, "online_partial": 1,
        "share_level_4": 50.0,
    }  # fmt: skip


def _sheet_totals(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in ws[4]]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    data_rows, total_row = rows[:-1], rows[-1]
    return header, data_rows, total_row


@pytest.mark.parametrize("group_by", ["agency", "tier", "procedure"])
def test_excel_totals_equal_the_api(world, group_by):
    api = _get(world.monitor, "/api/v1/reports/dossiers/", group_by=group_by, **_period()).json()
    response = _get(world.monitor, "/api/v1/reports/dossiers/", group_by=group_by, format="xlsx", **_period())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, data_rows, total_row = _sheet_totals(response.content)
    assert len(data_rows) == len(api["rows"])
    from dichvucong.monitoring.exports import COLUMN_LABELS

    for name in (
        "received_total",
        "received_online",
        "received_national_portal",
        "resolved_late",
        "in_progress_total",
        "withdrawn",
        "paid_online",
        "paid_desk",
    ):
        column = header.index(str(COLUMN_LABELS[name]))
        assert str(total_row[column]).startswith("=SUM("), name
        assert sum(r[column] or 0 for r in data_rows) == api["totals"][name], name
    for name in ("share_online", "share_paid_online"):
        share = header.index(str(COLUMN_LABELS[name]))
        assert str(total_row[share]).startswith("=IF("), name
    # the formula of the payment share reads the two payment columns of the totals row
    paid = [get_column_letter(header.index(str(COLUMN_LABELS[n])) + 1) for n in ("paid_online", "paid_desk")]
    formula = str(total_row[header.index(str(COLUMN_LABELS["share_paid_online"]))])
    assert all(letter in formula for letter in paid)


def test_procedure_and_scorecard_exports(world):
    for url in ("/api/v1/reports/procedures/", "/api/v1/reports/scorecard/"):
        response = _get(world.monitor, url, format="xlsx")
        assert response.status_code == 200, url
        load_workbook(io.BytesIO(response.content))


def test_scorecard_formula_on_the_dataset(world):
    data = _get(world.monitor, "/api/v1/reports/scorecard/", **_period()).json()
    on_time = next(i for i in data["indicators"] if i["key"] == "on_time")
    # resolved 7: early 4 (one after an apology), on time 1, late 2 → (4 + 1 − 1) / 7
    assert on_time["rate"] == 57.14
    assert on_time["points"] == 11.43
    dept = next(r for r in data["ranking"] if r["agency"] == world.dept.code)
    assert next(i for i in dept["indicators"] if i["key"] == "on_time")["rate"] == 40.0  # (2 + 1 − 1) / 5
    assert [r["rank"] for r in data["ranking"]] == list(range(1, len(data["ranking"]) + 1))
    payments = next(i for i in data["indicators"] if i["key"] == "online_payments")
    # fees paid: 1 online (d_pay_online), 1 at the desk (d_pay_desk, POS) → 1 / 2 of the indicator's 10 points
    assert (payments["formula"], payments["max_points"], payments["rate"], payments["points"]) == (
        "paid_online / (paid_online + paid_desk)",
        10,
        50.0,
        5.0,
    )
    dept2 = next(r for r in data["ranking"] if r["agency"] == world.dept2.code)
    assert next(i for i in dept2["indicators"] if i["key"] == "online_payments")["rate"] == 50.0
    dept = next(r for r in data["ranking"] if r["agency"] == world.dept.code)
    assert next(i for i in dept["indicators"] if i["key"] == "online_payments")["points"] is None  # no fee paid
    satisfaction = next(i for i in data["indicators"] if i["key"] == "satisfaction")
    assert satisfaction["rate"] is None and satisfaction["points"] is None  # no rating yet: not scored


def test_targets_need_a_plan(world):
    response = _get(world.monitor, "/api/v1/reports/targets/", plan="999/KH-UBND")
    assert response.status_code == 404 and response.json()["code"] == "plan_not_found"


def test_targets_are_measured_and_coloured(world):
    today = timezone.localdate()
    plan = Plan.objects.create(
        number="111/KH-UBND", title="Kế hoạch", signed_on=today, period_start=today, period_end=today
    )
    future, past = today + datetime.timedelta(days=30), today - datetime.timedelta(days=1)
    PlanTarget.objects.create(
        plan=plan, order=1, kind=TargetKind.LEVEL4_SHARE, tier="province", value=40, deadline=future, label="≥ 40 %"
    )
    PlanTarget.objects.create(
        plan=plan, order=2, kind=TargetKind.LEVEL4_SHARE, tier="province", value=90, deadline=future, label="≥ 90 %"
    )
    PlanTarget.objects.create(
        plan=plan, order=3, kind=TargetKind.ONLINE_DOSSIER_SHARE, value=95, deadline=past, label="≥ 95 %"
    )
    data = _get(world.monitor, "/api/v1/reports/targets/", plan="111/KH-UBND").json()
    statuses = [t["status"] for t in data["targets"]]
    assert statuses[:2] == ["green", "amber"]
    assert statuses[2] == "red"
    # judged on the figures as of its (past) deadline: nothing was received by then; today's share is shown apart
    assert data["targets"][2]["actual"] is None
    assert data["targets"][2]["actual_now"] == pytest.approx(100 * 12 / 16, abs=0.01)  # online 12 of 16


def test_pdf_exports(world):
    from pypdf import PdfReader

    for url in ("/api/v1/reports/dossiers/", "/api/v1/reports/procedures/"):
        response = _get(world.monitor, url, format="pdf", **_period())
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.upper().replace("\n", " ") or "VIỆT NAM" in text.upper()
    assert _get(world.citizen, "/api/v1/reports/dossiers/", format="pdf").status_code == 403


def test_figure_list_bad_input(world):
    client = auth_client(world.monitor)
    bad_key = client.get(
        "/api/v1/reports/dossiers/items/", {"measure": "received_total", "group_by": "month", "key": "2021-13"}
    )
    assert bad_key.status_code == 400 and bad_key.json()["code"] == "invalid_key"
    bad_measure = client.get("/api/v1/reports/dossiers/items/", {"measure": "everything"})
    assert bad_measure.status_code == 400 and bad_measure.json()["code"] == "invalid_measure"


def test_scorecard_excel_has_the_online_payment_indicator_of_the_api(world):
    api = _get(world.monitor, "/api/v1/reports/scorecard/", **_period()).json()
    response = _get(world.monitor, "/api/v1/reports/scorecard/", format="xlsx", **_period())
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True) if r and r[1]}
    indicator = next(i for i in api["indicators"] if i["key"] == "online_payments")
    assert rows[indicator["formula"]][2:5] == (indicator["max_points"], indicator["rate"], indicator["points"])
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r and r[0] == "Tổng điểm")
    assert total[2:5] == (api["max_points"], api["score"], api["points"])


def test_every_procedure_figure_links_to_its_procedures(world):
    data = _get(world.monitor, "/api/v1/reports/procedures/", group_by="agency").json()
    dept = next(r for r in data["rows"] if r["key"] == world.dept.code)
    for measure, expected in (
        ("total", {world.p3.code, world.p4.code}),
        ("level_3", {world.p3.code}),
        ("level_4", {world.p4.code}),
    ):
        listed = auth_client(world.monitor).get(dept["links"][measure])
        assert listed.status_code == 200, listed.content
        assert {p["code"] for p in listed.json()["results"]} == expected, measure
        assert listed.json()["count"] == dept[measure]
    total = auth_client(world.monitor).get(data["totals"]["links"]["online_full"]).json()
    assert total["count"] == data["totals"]["online_full"]
    # an officer of the department sees its figures, not another agency's
    own = _get(
        world.dept_officer, "/api/v1/reports/procedures/items/", measure="total", group_by="agency", key=world.dept.code
    )
    assert own.status_code == 200 and own.json()["count"] == 2
    other = _get(world.dept_officer, "/api/v1/reports/procedures/items/", measure="total", agency=world.district.code)
    assert other.status_code == 403 and other.json()["code"] == "report_forbidden"
    bad = _get(world.monitor, "/api/v1/reports/procedures/items/", measure="level_9")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_measure"

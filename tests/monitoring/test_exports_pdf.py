"""Every report downloads as Excel and as an official-looking PDF (`?format=xlsx|pdf`): the PDF text (pdftotext)
carries the national header and the same headline figures as the API."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dichvucong.accounts.roles import Role
from dichvucong.monitoring import services
from dichvucong.monitoring.models import Plan, PlanItem, PlanTarget, TargetKind
from tests.accounts.factories import StaffFactory
from tests.factories import auth_client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def pdf_text(content: bytes) -> str:
    """The PDF's text as laid out (pdftotext -layout), whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return re.sub(r"\s+", " ", out.decode())


def _period():
    today = timezone.localdate()
    return {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}


def _number(value) -> str:
    """How the PDF prints a figure: 75.0 → "75", 66.67 → "66,67"."""
    text = f"{round(value, 2):f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",")


def _assert_official(text: str):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số:" in text and "ngày" in text and "THỦ TRƯỞNG CƠ QUAN" in text


@pytest.fixture
def plan(world):
    today = timezone.localdate()
    plan = Plan.objects.create(
        number="111/KH-UBND", title="Kế hoạch chuyển đổi số", signed_on=today, period_start=today, period_end=today
    )
    PlanTarget.objects.create(
        plan=plan,
        order=1,
        kind=TargetKind.ONLINE_DOSSIER_SHARE,
        value=15,
        deadline=today + datetime.timedelta(days=30),
        label="Tỷ lệ hồ sơ trực tuyến ≥ 15 %",
    )
    PlanItem.objects.create(
        plan=plan,
        annex="04",
        agency=world.dept,
        procedure=world.p3,
        process_due=today - datetime.timedelta(days=10),
        online_due=today - datetime.timedelta(days=1),
    )
    return plan


def test_targets_pdf_carries_the_apis_figures(world, plan):
    client = auth_client(world.monitor)
    data = client.get("/api/v1/reports/targets/").json()
    response = client.get("/api/v1/reports/targets/", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    _assert_official(text)
    assert "111/KH-UBND" in text.upper()
    target = data["targets"][0]
    assert target["actual_now"] == pytest.approx(75.0)
    assert "Tỷ lệ hồ sơ trực tuyến ≥ 15 %" in text and _number(target["actual_now"]) in text
    assert world.p3.code in text and "Chậm" in text  # the late item stands out
    assert client.get("/api/v1/reports/targets/", {"format": "xlsx"}).status_code == 200


def test_scorecard_pdf_carries_the_apis_figures(world):
    client = auth_client(world.monitor)
    data = client.get("/api/v1/reports/scorecard/", _period()).json()
    response = client.get("/api/v1/reports/scorecard/", {**_period(), "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    _assert_official(text)
    assert "QĐ 766" in text
    on_time = next(i for i in data["indicators"] if i["key"] == "on_time")
    assert on_time["label"] in text and _number(on_time["rate"]) in text and _number(on_time["points"]) in text
    assert f"Tổng điểm – {data['max_points']} {_number(data['score'])} {_number(data['points'])}" in text
    for row in data["ranking"]:
        assert row["label"] in text


def test_dossier_pdf_totals_equal_the_api(world):
    client = auth_client(world.monitor)
    data = client.get("/api/v1/reports/dossiers/", _period()).json()
    text = pdf_text(client.get("/api/v1/reports/dossiers/", {**_period(), "format": "pdf"}).content)
    _assert_official(text)
    totals = data["totals"]
    assert f"{totals['received_total']} {totals['received_counter']}" in text


def test_waits_and_monthly_reports_download_as_excel_and_pdf(world):
    admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, world.dept)])
    month = timezone.localdate().replace(day=1)
    report = services.monthly_report_generate(actor=admin, agency=world.dept, month=month, today=month.replace(day=21))
    client = auth_client(world.monitor)
    for url, params in (
        ("/api/v1/reports/waits/", _period()),
        (f"/api/v1/reports/monthly/{report.uuid}/", {}),
        ("/api/v1/reports/monthly/province/", {"month": month.isoformat()[:7]}),
    ):
        xlsx = client.get(url, {**params, "format": "xlsx"})
        assert xlsx.status_code == 200, url
        load_workbook(io.BytesIO(xlsx.content))
        pdf = client.get(url, {**params, "format": "pdf"})
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf", url
        _assert_official(pdf_text(pdf.content))
    text = pdf_text(client.get(f"/api/v1/reports/monthly/{report.uuid}/", {"format": "pdf"}).content)
    assert world.dept.name.upper() in text or world.dept.name in text
    totals = report.data["dossiers"]["totals"]
    assert f"Tổng cộng {totals['received_total']} {totals['received_counter']}" in text
    # the PDF of another agency's report is as refused as its figures
    other = StaffFactory(roles=[(Role.AGENCY_ADMIN, world.district)])
    assert auth_client(other).get(f"/api/v1/reports/monthly/{report.uuid}/", {"format": "pdf"}).status_code == 404
    assert auth_client(world.citizen).get("/api/v1/reports/waits/", {"format": "xlsx"}).status_code == 403
    assert auth_client(world.citizen).get("/api/v1/reports/targets/", {"format": "pdf"}).status_code == 403

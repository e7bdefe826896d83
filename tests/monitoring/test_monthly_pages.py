"""Pages of the monthly reporting cycle: an agency generates its draft (from the 20th), annotates and submits it
(agency_admin; late from the 25th), sees its versions and downloads PDF + Excel; the monitor sees who has not
submitted and the province's totals. Citizens, other agencies and wrong roles are refused; nothing written."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.monitoring import services
from dichvucong.monitoring.models import MonthlyReport
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dept_admin(world):
    return StaffFactory(roles=[(Role.AGENCY_ADMIN, world.dept)])


def _last_month():
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_agency_admin_generates_annotates_submits_and_resubmits(world, dept_admin):
    client = _client(dept_admin)
    page = client.get("/bao-cao/thang/")
    assert page.status_code == 200 and 'for="monthly-month"' in page.content.decode()
    month = _last_month()  # its 20th and 25th have passed: a late submission
    response = client.post("/bao-cao/thang/", {"agency": world.dept.code, "month": month.isoformat()[:7]})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert response["Location"] == f"/bao-cao/thang/{report.uuid}/"
    html = client.get(response["Location"]).content.decode()
    assert "Phụ lục 02" in html and "<caption>" in html and "?format=pdf" in html and "?format=xlsx" in html
    assert "Gửi báo cáo tháng" in html and "gửi muộn" in html
    assert client.post(response["Location"], {"action": "annotate", "note": "Giải trình số liệu"}).status_code == 302
    assert client.post(response["Location"], {"action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.late and report.note == "Giải trình số liệu"
    # submitted twice, or annotated once frozen: the Vietnamese reason, nothing written
    twice = client.post(response["Location"], {"action": "submit"})
    assert twice.status_code == 409 and "Báo cáo tháng này đã gửi." in twice.content.decode()
    frozen = client.post(response["Location"], {"action": "annotate", "note": "sửa"})
    assert frozen.status_code == 409 and "không sửa được" in frozen.content.decode()
    report.refresh_from_db()
    assert report.note == "Giải trình số liệu"
    # generating again makes version 2; both listed on the report's page, the late one marked
    client.post("/bao-cao/thang/", {"agency": world.dept.code, "month": month.isoformat()[:7]})
    second = MonthlyReport.objects.get(version=2)
    html = client.get(f"/bao-cao/thang/{second.uuid}/").content.decode()
    assert f"/bao-cao/thang/{report.uuid}/" in html and "Gửi muộn" in html


def test_too_early_and_bad_month_are_refused(world, dept_admin):
    client = _client(dept_admin)
    this_month = timezone.localdate().replace(day=1)
    if timezone.localdate().day < services.GENERATE_FROM_DAY:
        early = client.post("/bao-cao/thang/", {"agency": world.dept.code, "month": this_month.isoformat()[:7]})
        assert early.status_code == 409 and "được lập từ ngày 20" in early.content.decode()
    bad = client.post("/bao-cao/thang/", {"agency": world.dept.code, "month": "2026-13"})
    assert bad.status_code == 400 and "Tháng không hợp lệ" in bad.content.decode()
    assert not MonthlyReport.objects.exists()


def test_wrong_people_are_refused(world, dept_admin):
    month = _last_month()
    report = services.monthly_report_generate(actor=dept_admin, agency=world.dept, month=month)
    url = f"/bao-cao/thang/{report.uuid}/"
    # a citizen cannot see the cycle at all
    for path in ("/bao-cao/thang/", url, "/bao-cao/thang/tinh/"):
        assert _client(world.citizen).get(path).status_code == 403, path
    assert Client().get("/bao-cao/thang/").status_code == 302
    # another agency's admin: not found, cannot generate for the department
    assert _client(world.district_admin).get(url).status_code == 404
    assert _client(world.district_admin).post(url, {"action": "submit"}).status_code == 404
    other = _client(world.district_admin).post("/bao-cao/thang/", {"agency": world.dept.code, "month": "2026-01"})
    assert other.status_code == 403
    # the department's specialist sees the report but neither annotates nor submits it
    specialist = _client(world.dept_officer)
    html = specialist.get(url).content.decode()
    assert "Gửi báo cáo tháng" not in html and 'name="note"' not in html
    assert specialist.post(url, {"action": "submit"}).status_code == 403
    assert specialist.post(url, {"action": "annotate", "note": "x"}).status_code == 403
    # only the province's roles consolidate
    assert _client(dept_admin).get("/bao-cao/thang/tinh/").status_code == 403
    report.refresh_from_db()
    assert report.status == "draft" and report.note == "" and MonthlyReport.objects.count() == 1


def test_monitor_sees_who_has_not_submitted(world, dept_admin):
    month = _last_month()
    report = services.monthly_report_generate(actor=dept_admin, agency=world.dept, month=month)
    services.monthly_report_submit(actor=dept_admin, report=report)
    html = _client(world.monitor).get("/bao-cao/thang/tinh/", {"month": month.isoformat()[:7]}).content.decode()
    assert world.district.name in html and "Chưa gửi" in html
    assert world.dept.name in html and "Gửi muộn" in html and "<svg" in html
    assert f"month={month.isoformat()[:7]}&amp;format=pdf" in html
    # Without a month: this month (the link from the dashboard has none).
    current = _client(world.monitor).get("/bao-cao/thang/tinh/")
    assert current.status_code == 200 and world.district.name in current.content.decode()
    api = _client(world.monitor).get("/api/v1/reports/monthly/province/")
    assert api.status_code == 200 and api.json()["month"] == timezone.localdate().isoformat()[:7]
    bad = _client(world.monitor).get("/bao-cao/thang/tinh/", {"month": "tháng"})
    assert bad.status_code == 400 and "Tháng không hợp lệ" in bad.content.decode()
    dashboard = _client(world.monitor).get("/bao-cao/").content.decode()
    assert "/bao-cao/thang/tinh/" in dashboard and "/phan-anh/quan-ly/" in dashboard and "/danh-gia/" in dashboard
    assert "format=pdf" in dashboard and "/api/v1/reports/scorecard/" in dashboard
    # an agency's officer's dashboard has no province consolidation link
    assert "/bao-cao/thang/tinh/" not in _client(world.dept_officer).get("/bao-cao/").content.decode()

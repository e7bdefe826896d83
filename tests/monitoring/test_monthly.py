"""The monthly reporting cycle: generated from the 20th, annotated, submitted before the 25th (late marked), frozen,
versioned when resubmitted, consolidated by the monitor."""

import pytest
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.common.errors import ConflictError, PermissionDeniedError
from dichvucong.dossiers import services as dossier_services
from dichvucong.monitoring import services
from dichvucong.monitoring.models import MonthlyReport
from dichvucong.monitoring.monthly import province_month
from tests.accounts.factories import StaffFactory
from tests.dossiers.factories import DossierFactory
from tests.factories import auth_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept_admin(world):
    return StaffFactory(roles=[(Role.AGENCY_ADMIN, world.dept)])


def _month():
    return timezone.localdate().replace(day=1)


def test_submitted_report_is_frozen_and_versioned(world, dept_admin):
    month = _month()
    report = services.monthly_report_generate(
        actor=dept_admin, agency=world.dept, month=month, today=month.replace(day=21)
    )
    assert report.data["dossiers"]["totals"]["received_total"] == 10
    services.monthly_report_annotate(actor=dept_admin, report=report, note="Tỷ lệ trực tuyến tăng")
    report = services.monthly_report_submit(actor=dept_admin, report=report, today=month.replace(day=24))
    assert report.status == "submitted" and report.late is False
    # data change after submission: one more dossier, one more resolution
    DossierFactory(agency=world.dept, procedure=world.p4, officers=world.officers)
    dossier_services.dossier_mark_processed(actor=world.dept_officer, dossier=world.d_open_late)
    report.refresh_from_db()
    assert report.data["dossiers"]["totals"]["received_total"] == 10
    detail = auth_client(world.monitor).get(f"/api/v1/reports/monthly/{report.uuid}/").json()
    assert detail["data"]["dossiers"]["totals"]["received_total"] == 10
    assert detail["note"] == "Tỷ lệ trực tuyến tăng"
    # a month submitted twice is refused, nothing written
    with pytest.raises(ConflictError) as error:
        services.monthly_report_submit(actor=dept_admin, report=report, today=month.replace(day=24))
    assert error.value.code == "report_already_submitted"
    with pytest.raises(ConflictError) as error:
        services.monthly_report_annotate(actor=dept_admin, report=report, note="sửa")
    assert error.value.code == "report_frozen"
    # resubmission: a new version with today's figures, late after the 24th
    second = services.monthly_report_generate(
        actor=dept_admin, agency=world.dept, month=month, today=month.replace(day=26)
    )
    assert second.version == 2 and second.data["dossiers"]["totals"]["received_total"] == 11
    second = services.monthly_report_submit(actor=dept_admin, report=second, today=month.replace(day=26))
    assert second.late is True
    assert MonthlyReport.objects.get(pk=report.pk).data["dossiers"]["totals"]["received_total"] == 10


def test_too_early_and_wrong_roles_are_refused(world, dept_admin):
    month = _month()
    with pytest.raises(ConflictError) as error:
        services.monthly_report_generate(actor=dept_admin, agency=world.dept, month=month, today=month.replace(day=19))
    assert error.value.code == "report_too_early"
    with pytest.raises(PermissionDeniedError):
        services.monthly_report_generate(
            actor=world.district_admin, agency=world.dept, month=month, today=month.replace(day=21)
        )
    report = services.monthly_report_generate(
        actor=dept_admin, agency=world.dept, month=month, today=month.replace(day=21)
    )
    with pytest.raises(PermissionDeniedError):
        services.monthly_report_submit(actor=world.dept_officer, report=report, today=month.replace(day=21))
    assert MonthlyReport.objects.get(pk=report.pk).status == "draft"
    # another agency's officer does not even see it
    other = auth_client(world.district_admin).get(f"/api/v1/reports/monthly/{report.uuid}/")
    assert other.status_code == 404
    assert auth_client(world.citizen).get("/api/v1/reports/monthly/").status_code == 403


def test_monitor_sees_who_has_not_submitted_and_the_province_totals(world, dept_admin):
    month = _month()
    report = services.monthly_report_generate(
        actor=dept_admin, agency=world.dept, month=month, today=month.replace(day=21)
    )
    services.monthly_report_submit(actor=dept_admin, report=report, today=month.replace(day=22))
    data = province_month(month)
    assert [r["key"] for r in data["rows"]] == [world.dept.code]
    assert world.district.code in {m["agency"] for m in data["missing"]}
    assert data["totals"]["received_total"] == 10
    api = auth_client(world.monitor).get("/api/v1/reports/monthly/province/", {"month": month.isoformat()[:7]})
    assert api.status_code == 200 and api.json()["totals"]["received_total"] == 10
    xlsx = auth_client(world.monitor).get(
        "/api/v1/reports/monthly/province/", {"month": month.isoformat()[:7], "format": "xlsx"}
    )
    assert xlsx.status_code == 200
    refused = auth_client(world.dept_officer).get("/api/v1/reports/monthly/province/")
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("month", "code"),
    [
        ("", "invalid_month"),
        ("2021-13", "invalid_month"),
        ("2021-05-garbage", "invalid_month"),
        ("1999-12", "month_out_of_range"),
        ("2999-01", "month_out_of_range"),
    ],
)
def test_absurd_months_are_refused_and_nothing_is_written(world, dept_admin, month, code):
    response = auth_client(dept_admin).post(
        "/api/v1/reports/monthly/", {"agency": world.dept.code, "month": month}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert not MonthlyReport.objects.exists()
    unknown = auth_client(dept_admin).post(
        "/api/v1/reports/monthly/", {"agency": "000.00.99.X99", "month": "2021-05"}, format="json"
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "agency_not_found"
    assert not MonthlyReport.objects.exists()


def test_every_reporting_agency_gets_its_draft_on_the_20th_once(world, dept_admin):
    from dichvucong.agencies.models import Agency
    from dichvucong.audit.models import AuditEntry
    from dichvucong.monitoring.monthly import REPORTING
    from dichvucong.monitoring.tasks import generate_monthly_drafts_task

    month = _month()
    assert services.monthly_drafts_generate(today=month.replace(day=19)) == 0
    assert not MonthlyReport.objects.exists()
    # One agency already generated its draft by hand: kept as it is.
    own = services.monthly_report_generate(
        actor=dept_admin, agency=world.dept, month=month, today=month.replace(day=20)
    )
    reporting = set(Agency.objects.filter(REPORTING).active_on(month).values_list("pk", flat=True))
    assert world.dept.pk in reporting and len(reporting) > 1

    made = services.monthly_drafts_generate(today=month.replace(day=20))
    assert made == len(reporting) - 1
    reports = MonthlyReport.objects.filter(month=month)
    assert set(reports.values_list("agency_id", flat=True)) == reporting
    assert reports.get(agency=world.dept).pk == own.pk and reports.get(agency=world.dept).version == 1
    assert all(r.status == MonthlyReport.Status.DRAFT and r.version == 1 for r in reports)
    assert AuditEntry.objects.filter(action="monthly_report.generate", actor_label="system").count() == made
    # The next days (and the beat task itself) generate nothing more.
    assert services.monthly_drafts_generate(today=month.replace(day=21)) == 0
    assert generate_monthly_drafts_task.name == "monitoring.generate_monthly_drafts"

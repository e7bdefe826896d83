"""The province admin's back-office pages for reorganisation plans (/can-bo/to-chuc-lai/): list with status, a plan
with its operations, the preview's counts and lists and its Excel export, approval and application through
confirmed POST forms; every other role (monitor, agency admin, citizen) is refused and changes nothing."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers.models import Dossier
from dichvucong.reorg.models import Plan, PlanStatus
from dichvucong.reorg.services import plan_create
from tests.reorg.factories import dossiers_at, merge_operations

pytestmark = pytest.mark.django_db

LIST = "/can-bo/to-chuc-lai/"


@pytest.fixture
def draft(world):
    world.dossiers = dossiers_at(world.plan_dept, world.investment, traits=("new", "processing", "returned"))
    world.plan = plan_create(
        actor="test",
        title="Phương án sắp xếp 2025",
        legal_basis="Nghị quyết 1666/NQ-UBTVQH15 ngày 16/6/2025",
        effective_on=timezone.localdate(),
        operations=merge_operations(world)[:1],  # Kế hoạch và Đầu tư into Tài chính
    )
    world.page = f"{LIST}{world.plan.uuid}/"
    return world


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csp_safe(html: str) -> None:
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handler


def test_the_back_office_home_links_the_province_admin_only(draft, make_staff):
    assert LIST in _browser(make_staff("province_admin")).get("/can-bo/").content.decode()
    assert LIST not in _browser(make_staff("monitor")).get("/can-bo/").content.decode()
    assert LIST not in _browser(make_staff("agency_admin", draft.plan_dept)).get("/can-bo/").content.decode()


def test_the_list_shows_plans_with_their_status(draft, make_staff):
    response = _browser(make_staff("province_admin")).get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert draft.plan.title in html and f'href="{draft.page}"' in html
    assert "Dự thảo" in html and timezone.localdate().strftime("%d/%m/%Y") in html
    _csp_safe(html)


def test_the_plan_page_shows_operations_preview_counts_lists_and_export(draft, make_staff):
    client = _browser(make_staff("province_admin"))
    response = client.get(draft.page)

    html = response.content.decode()
    assert response.status_code == 200
    _csp_safe(html)
    assert "Hợp nhất, sáp nhập" in html and draft.plan.legal_basis in html
    counts = response.context["preview"]["counts"]
    assert (counts["agencies_closed"], counts["dossiers"]) == (1, 2)  # the returned dossier stays
    assert f"<strong>{counts['dossiers']}</strong> hồ sơ đang giải quyết được chuyển" in html
    for trait in ("new", "processing"):
        assert draft.dossiers[trait].code in html
    assert draft.dossiers["returned"].code not in html
    assert draft.finance.name in html
    # The Excel export link works for the same session.
    export = re.search(r'href="([^"]+preview\.xlsx)"', html).group(1)
    workbook = client.get(export)
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    # Approve is offered (a confirmed POST form), apply not yet.
    assert f'action="{draft.page}phe-duyet/"' in html and 'method="post"' in html
    assert 'name="confirm"' in html and "required" in html and '<label for="confirm-approve">' in html
    assert f'action="{draft.page}ap-dung/"' not in html


def test_the_province_admin_approves_then_applies_through_the_pages(draft, make_staff):
    admin = make_staff("province_admin")
    client = _browser(admin)

    unconfirmed = client.post(f"{draft.page}phe-duyet/", {})
    assert unconfirmed.status_code == 302
    assert Plan.objects.get(pk=draft.plan.pk).status == PlanStatus.DRAFT

    response = client.post(f"{draft.page}phe-duyet/", {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    plan = Plan.objects.get(pk=draft.plan.pk)
    assert (plan.status, plan.approved_by_id) == (PlanStatus.APPROVED, admin.pk)
    assert AuditEntry.objects.filter(action="reorg_plan.approve", actor=admin).exists()
    html = response.content.decode()
    assert "Đã phê duyệt phương án" in html and f'action="{draft.page}ap-dung/"' in html

    response = client.post(f"{draft.page}ap-dung/", {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert Plan.objects.get(pk=draft.plan.pk).status == PlanStatus.APPLIED
    assert "Đã áp dụng phương án" in response.content.decode()
    for trait in ("new", "processing"):
        assert Dossier.objects.get(pk=draft.dossiers[trait].pk).agency_id == draft.finance.pk
    assert response.context["journal"]

    again = client.post(f"{draft.page}ap-dung/", {"confirm": "1"}, follow=True)  # the service refuses, clearly
    assert "đã được áp dụng" in again.content.decode()


def test_a_blocking_plan_is_not_offered_for_approval_and_refused_with_the_reason(world, make_staff):
    plan = plan_create(
        actor="test",
        title="Phương án lỗi",
        legal_basis="Thử",
        effective_on=timezone.localdate(),
        operations=[{"kind": "merge", "spec": {"sources": ["000.99.99.H31"], "target": {"code": world.finance.code}}}],
    )
    client = _browser(make_staff("province_admin"))
    page = f"{LIST}{plan.uuid}/"
    html = client.get(page).content.decode()
    assert "Chặn phê duyệt" in html and f'action="{page}phe-duyet/"' not in html

    response = client.post(f"{page}phe-duyet/", {"confirm": "1"}, follow=True)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    assert response.context["messages"] and "message-error" in response.content.decode()


@pytest.mark.parametrize("role", ["monitor", "agency_admin", "citizen"])
def test_other_roles_are_refused_and_change_nothing(draft, make_staff, citizen, role):
    user = citizen if role == "citizen" else make_staff(role, draft.plan_dept if role == "agency_admin" else None)
    client = _browser(user)

    assert client.get(LIST).status_code == 403
    assert client.get(draft.page).status_code == 403
    assert client.post(f"{draft.page}phe-duyet/", {"confirm": "1"}).status_code == 403
    assert Plan.objects.get(pk=draft.plan.pk).status == PlanStatus.DRAFT
    Plan.objects.filter(pk=draft.plan.pk).update(status=PlanStatus.APPROVED)
    assert client.post(f"{draft.page}ap-dung/", {"confirm": "1"}).status_code == 403
    assert Plan.objects.get(pk=draft.plan.pk).status == PlanStatus.APPROVED
    assert Dossier.objects.get(pk=draft.dossiers["new"].pk).agency_id == draft.plan_dept.pk


def test_strangers_go_to_the_login_and_an_unknown_plan_is_404(draft, make_staff):
    for url in (LIST, draft.page):
        response = Client().get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    assert Client().post(f"{draft.page}ap-dung/", {"confirm": "1"}).status_code == 302
    client = _browser(make_staff("province_admin"))
    assert client.get(f"{LIST}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_forms_need_the_csrf_token(draft, make_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("province_admin"))
    assert client.post(f"{draft.page}phe-duyet/", {"confirm": "1"}).status_code == 403
    assert Plan.objects.get(pk=draft.plan.pk).status == PlanStatus.DRAFT

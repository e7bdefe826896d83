"""Back-office pages: list, detail with diagram, approval view with buttons, work queue."""

from django.test import Client
from django.utils import timezone

from dichvucong.workflows.models import ProcessStatus
from tests.factories import CitizenFactory

from .conftest import accepted_dossier, start


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_are_for_staff(world):
    process = world.active_template()
    assert Client().get("/can-bo/quy-trinh/").status_code == 302
    citizen = browser(CitizenFactory())
    for url in ("/can-bo/quy-trinh/", f"/can-bo/quy-trinh/{process.uuid}/", "/can-bo/cong-viec/"):
        assert citizen.get(url).status_code == 403


def test_list_and_detail_show_the_process_and_its_diagram(world):
    process = world.active_template()
    page = browser(world.staff["vl.specialist"]).get("/can-bo/quy-trinh/").content.decode()
    assert world.procedure.code in page and str(process.uuid) in page
    page = browser(world.staff["vl.specialist"]).get(f"/can-bo/quy-trinh/{process.uuid}/").content.decode()
    assert "<svg" in page and "Thẩm định hồ sơ" in page and "123/QĐ-UBND" in page


def test_a_draft_page_is_404_for_another_agency(world):
    draft = world.draft()
    assert browser(world.staff["vl.leader"]).get(f"/can-bo/quy-trinh/{draft.uuid}/").status_code == 404
    assert browser(world.staff["vl.leader"]).get(f"/can-bo/quy-trinh/{draft.uuid}/phe-duyet/").status_code == 404


def test_the_approval_view_offers_each_role_its_button_and_performs_it(world):
    draft = world.draft()
    url = f"/can-bo/quy-trinh/{draft.uuid}/phe-duyet/"
    assert "Trình Văn phòng UBND tỉnh" in browser(world.dept_leader).get(url).content.decode()
    assert "Trình Văn phòng UBND tỉnh" not in browser(world.admin).get(url).content.decode()
    browser(world.dept_leader).post(f"{url}submit/")
    draft.refresh_from_db()
    assert draft.status == ProcessStatus.SUBMITTED
    browser(world.dept_leader).post(f"{url}review/")  # refused: message shown, nothing changes
    draft.refresh_from_db()
    assert draft.status == ProcessStatus.SUBMITTED
    browser(world.admin).post(f"{url}review/", {"note": "Đạt"})
    today = timezone.localdate().isoformat()
    page = browser(world.admin).get(url).content.decode()
    assert "Ghi nhận quyết định phê duyệt" in page and "<svg" in page
    browser(world.admin).post(
        f"{url}approve/",
        {"decision_number": "9/QĐ-UBND", "decision_date": today, "decision_signer": "Chủ tịch", "active_from": today},
    )
    draft.refresh_from_db()
    assert draft.status == ProcessStatus.ACTIVE


def test_the_queue_page_lists_my_dossiers_and_the_leaders_load(world):
    world.active_template()
    dossier = accepted_dossier(world)
    start(world, dossier)
    page = browser(world.staff["vl.specialist"]).get("/can-bo/cong-viec/").content.decode()
    assert dossier.code in page and "Thẩm định hồ sơ" in page
    page = browser(world.staff["vl.leader"]).get("/can-bo/cong-viec/?view=team").content.decode()
    assert dossier.code in page and "Tải công việc" in page
    assert dossier.code not in browser(world.staff["vg.leader"]).get("/can-bo/cong-viec/?view=team").content.decode()

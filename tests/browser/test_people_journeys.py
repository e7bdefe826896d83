"""The journeys of issue 18 in Debian's Chromium, each at desktop and phone size: the citizen online, the walk-in
counter with the keyboard only (and «In Mẫu 01» printing from a hidden frame), the desk queue with a supplement and a
refusal, the process approval, the result previewed, signed and verified. Every page passes axe-core with no serious
or critical violation; each step is photographed (docs/screenshots/ with DCV_SCREENSHOTS=1; phone shots end in
«-phone»)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dichvucong.accounts.roles import Role
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier
from dichvucong.results.models import ElectronicResult
from dichvucong.workflows import services as workflow_services
from tests.dossiers.factories import PDF, department, make_procedure, offer, submit_online
from tests.factories import CitizenFactory, StaffFactory
from tests.results.factories import at_leader_step, results_settings, results_world

from .conftest import axe_violations, console_errors, log_in, resize

pytestmark = pytest.mark.django_db(transaction=True)


class World:
    def __init__(self):
        self.agency = department("000.00.04.H31", "Sở Tư pháp")
        self.procedure = make_procedure()
        offer(self.procedure, self.agency)
        self.docs = list(self.procedure.required_documents.order_by("order"))
        self.citizen = CitizenFactory(full_name="Nguyễn Văn An")
        self.reception = StaffFactory(full_name="Lê Thị Một Cửa", roles=[(Role.RECEPTION, self.agency)])
        self.specialist = StaffFactory(full_name="Trần Văn Chuyên", roles=[(Role.SPECIALIST, self.agency)])
        self.leader = StaffFactory(full_name="Phạm Lãnh Đạo", roles=[(Role.LEADER, self.agency)])


@pytest.fixture
def people(db):
    return World()


def check_page(browser, shots, name: str) -> None:
    """axe-core finds no serious or critical violation, no console error, and the step is photographed."""
    WebDriverWait(browser, 15).until(ec.presence_of_element_located((By.TAG_NAME, "main")))
    assert axe_violations(browser) == [], name
    assert not [m for m in console_errors(browser) if "favicon" not in m], name
    shots(browser, name)


def named(name: str, size: str) -> str:
    """The screenshot's name: the desktop journeys keep their names, the phone variants add «-phone»."""
    return name if size == "desktop" else f"{name}-phone"


def wait_for(browser, path: str) -> None:
    WebDriverWait(browser, 15).until(ec.url_contains(path))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_citizen_finds_the_procedure_submits_online_and_gets_the_acknowledgement(
    browser, live_server, people, shots, tmp_path, size
):
    resize(browser, size)
    log_in(browser, live_server, people.citizen)
    browser.get(f"{live_server.url}/")
    check_page(browser, shots, f"citizen-1-home-{size}")
    box = browser.find_element(By.ID, "home-q")
    box.send_keys("dang ky khai sinh", Keys.ENTER)
    wait_for(browser, "/thu-tuc/?q=")
    check_page(browser, shots, f"citizen-2-search-{size}")
    assert "Trực tuyến toàn trình" in browser.page_source
    browser.find_element(By.LINK_TEXT, people.procedure.name).click()
    wait_for(browser, f"/thu-tuc/{people.procedure.code}/")
    check_page(browser, shots, f"citizen-3-procedure-{size}")

    browser.get(f"{live_server.url}/ho-so/nop/{people.procedure.code}/?agency={people.agency.code}")
    check_page(browser, shots, f"citizen-4-wizard-{size}")
    browser.find_element(By.ID, "id_f_child_name").send_keys("Nguyễn Văn Bé")
    birth = browser.find_element(By.ID, "id_f_birth_date")
    browser.execute_script("arguments[0].value = '2021-03-01';", birth)
    scan = tmp_path / "giay-to.pdf"
    scan.write_bytes(PDF)
    for doc in people.docs[:2]:
        browser.find_element(By.NAME, f"doc_{doc.pk}").send_keys(str(scan))
    browser.find_element(By.XPATH, "//button[normalize-space()='Lưu và xem lại']").click()
    wait_for(browser, "/xem-lai/")
    check_page(browser, shots, f"citizen-5-review-{size}")
    assert "ngày hẹn trả dự kiến" in browser.page_source
    browser.find_element(By.XPATH, "//button[normalize-space()='Nộp hồ sơ']").click()
    wait_for(browser, "/ho-so/cua-toi/")
    check_page(browser, shots, f"citizen-6-acknowledgement-{size}")
    dossier = Dossier.objects.get(owner=people.citizen)
    ack = browser.find_element(By.CSS_SELECTOR, "section.acknowledgement").text
    assert dossier.code in ack and "ngày hẹn trả dự kiến" in ack
    browser.find_element(By.ID, "delivery-postal").click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Lưu hình thức nhận kết quả']").click()
    WebDriverWait(browser, 15).until(lambda d: "Đổi hình thức nhận" in d.page_source)
    assert dossier.result_delivery.method == "postal"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_counter_receives_a_walk_in_applicant_with_the_keyboard_only(browser, live_server, people, shots, size):
    resize(browser, size)
    log_in(browser, live_server, people.reception)
    browser.get(f"{live_server.url}/mot-cua/tiep-nhan/")
    check_page(browser, shots, named("counter-1-choose-procedure", size))
    # The procedure picker's search box has the focus: type, Enter picks the first match, Tab reaches «Chọn».
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "procedure-select-search"
    active.send_keys("khai sinh", Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "procedure-select"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(browser, f"procedure={people.procedure.code}")
    check_page(browser, shots, named("counter-2-form", size))

    def type_into(element_id: str, text: str) -> None:
        element = browser.find_element(By.ID, element_id)
        element.send_keys(text)

    type_into("id_full_name", "Hoàng Văn Khách")
    type_into("id_id_number", "033090001299")
    type_into("id_phone", "0912345678")
    type_into("id_f_child_name", "Hoàng Văn Nhỏ")
    browser.execute_script("arguments[0].value = '2022-05-01';", browser.find_element(By.ID, "id_f_birth_date"))
    for doc in people.docs[:2]:
        browser.find_element(By.ID, f"id_received_{doc.pk}").send_keys(Keys.SPACE)
    submit = browser.find_element(By.XPATH, "//form[@method='post']//button[normalize-space()='Tiếp nhận hồ sơ']")
    submit.send_keys(Keys.ENTER)
    wait_for(browser, "/mot-cua/ho-so/")
    check_page(browser, shots, named("counter-3-received", size))
    dossier = Dossier.objects.get(applicant_name="Hoàng Văn Khách")
    assert dossier.status == "accepted" and dossier.due_at is not None
    # «In Mẫu 01» prints from a hidden frame of this page (dossiers/print.js): the PDF may be framed by the site (a
    # refused frame would be an error page, and the script would open the PDF in a new tab instead), the page stays.
    print_link = browser.find_element(By.LINK_TEXT, "In Mẫu 01")
    assert print_link.get_attribute("href").endswith(f"/dossiers/{dossier.reference}/forms/receipt.pdf")
    page_url = browser.current_url
    # The print dialog would block the headless browser: the test takes the script's cancelable «dcv:print» event.
    browser.execute_script(
        "arguments[0].addEventListener('dcv:print', function (e) { e.preventDefault(); });", print_link
    )
    print_link.send_keys(Keys.ENTER)
    frame = WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "print-frame"))[0]
    assert frame.get_attribute("src") == print_link.get_attribute("href")
    WebDriverWait(browser, 15).until(lambda d: print_link.get_attribute("data-print-state"))
    assert print_link.get_attribute("data-print-state") == "printing"
    assert browser.execute_script("return arguments[0].contentDocument.contentType;", frame) == "application/pdf"
    assert browser.current_url == page_url and len(browser.window_handles) == 1
    assert not [m for m in console_errors(browser) if "favicon" not in m]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_desk_queue_a_supplement_and_a_refusal(browser, live_server, people, shots, tmp_path, size):
    resize(browser, size)
    dossier = submit_online(people)
    log_in(browser, live_server, people.reception)
    browser.get(f"{live_server.url}/can-bo/")
    check_page(browser, shots, named("desk-1-home-counts", size))
    assert "Chờ tiếp nhận" in browser.page_source
    browser.get(f"{live_server.url}/can-bo/cong-viec/")
    check_page(browser, shots, named("desk-2-queue", size))
    browser.find_element(By.LINK_TEXT, dossier.code).click()
    wait_for(browser, f"/mot-cua/ho-so/{dossier.code}/")
    check_page(browser, shots, named("desk-3-dossier-actions", size))
    primary = browser.find_elements(By.CSS_SELECTOR, "#actions-title ~ .actions-grid button.button")
    assert [b.text for b in primary] == ["Tiếp nhận hồ sơ"]
    panel = browser.find_element(By.ID, "act-request_supplement").find_element(By.XPATH, "..")
    panel.find_element(By.NAME, "items").send_keys("Giấy chứng sinh bản sao")
    panel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda d: "Đã thực hiện" in d.page_source)
    assert Dossier.objects.get(pk=dossier.pk).status == "supplement_requested"

    log_in(browser, live_server, people.citizen)
    browser.get(f"{live_server.url}/ho-so/cua-toi/{dossier.code}/")
    check_page(browser, shots, named("desk-4-citizen-supplement", size))
    scan = tmp_path / "chung-sinh.pdf"
    scan.write_bytes(PDF)
    browser.find_element(By.NAME, "item_file_0").send_keys(str(scan))
    browser.find_element(By.XPATH, "//button[normalize-space()='Bổ sung hồ sơ']").click()
    WebDriverWait(browser, 15).until(lambda d: "Đã thực hiện" in d.page_source)
    assert Dossier.objects.get(pk=dossier.pk).status == "new"

    log_in(browser, live_server, people.reception)
    browser.get(f"{live_server.url}/can-bo/cong-viec/")
    assert "Đã bổ sung" in browser.page_source
    browser.get(f"{live_server.url}/mot-cua/ho-so/{dossier.code}/")
    browser.find_element(By.ID, "act-refuse-summary").click()
    refuse = browser.find_element(By.ID, "act-refuse").find_element(By.XPATH, "..")
    assert "Mẫu 03" in refuse.find_element(By.CSS_SELECTOR, ".consequence").text
    refuse.find_element(By.NAME, "note").send_keys("Hồ sơ không thuộc thẩm quyền giải quyết")
    refuse.find_element(By.CSS_SELECTOR, "button.button-danger").click()  # the browser asks for the confirmation
    assert Dossier.objects.get(pk=dossier.pk).status == "new"
    shots(browser, named("desk-5-refusal-confirmation", size))
    refuse.find_element(By.NAME, "confirm").click()
    refuse.find_element(By.CSS_SELECTOR, "button.button-danger").click()
    WebDriverWait(browser, 15).until(lambda d: "Đã thực hiện" in d.page_source)
    check_page(browser, shots, named("desk-6-refused", size))
    assert Dossier.objects.get(pk=dossier.pk).status == "refused"
    assert "Phiếu từ chối (Mẫu 03)" in browser.page_source


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_officer_pages_pass_axe_at_both_sizes(browser, live_server, people, shots, size):
    dossier = services.dossier_accept(actor=people.reception, dossier=submit_online(people))
    resize(browser, size)
    log_in(browser, live_server, people.leader)
    for name, path in (
        ("queue", "/can-bo/cong-viec/?view=team"),
        ("dossiers", "/mot-cua/ho-so/"),
        ("dossier", f"/mot-cua/ho-so/{dossier.code}/"),
        ("processes", "/can-bo/quy-trinh/"),
        ("lookup", "/tra-cuu/"),
    ):
        browser.get(f"{live_server.url}{path}")
        check_page(browser, shots, f"officer-{name}-{size}")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_process_is_submitted_reviewed_and_approved_in_the_browser(browser, live_server, shots, size):
    """The process approval journey: the department's leader submits, the Provincial Office reviews and records the
    chairman's decision; each page passes axe."""
    department_ = department("000.00.06.H31", "Sở Nội vụ")
    procedure = make_procedure(code="1.009999", name="Thủ tục thử quy trình", tiers=",province,")
    leader = StaffFactory(full_name="Lãnh đạo Sở Nội vụ", roles=[(Role.LEADER, department_)])
    admin = StaffFactory(full_name="Văn phòng UBND tỉnh", roles=[(Role.PROVINCE_ADMIN, None)])
    steps = [
        {"key": "tiep-nhan", "name": "Tiếp nhận", "role": "reception", "duration_days": "0.5", "actions": ["forward"]},
        {"key": "tham-dinh", "name": "Thẩm định", "role": "specialist", "duration_days": "1", "actions": ["forward"]},
        {"key": "ky", "name": "Lãnh đạo ký", "role": "leader", "duration_days": "1", "actions": ["sign"]},
        {"key": "tra", "name": "Văn thư phát hành", "role": "clerk", "duration_days": "0.5", "actions": ["deliver"]},
    ]
    process = workflow_services.process_create(
        actor=leader, procedure=procedure, owner_agency=department_, scope="tier", tier="province", steps=steps
    )
    resize(browser, size)
    log_in(browser, live_server, leader)
    browser.get(f"{live_server.url}/can-bo/quy-trinh/{process.uuid}/phe-duyet/")
    check_page(browser, shots, named("process-1-draft", size))
    browser.find_element(By.XPATH, "//button[normalize-space()='Trình Văn phòng UBND tỉnh']").click()
    WebDriverWait(browser, 15).until(lambda d: "Đã cập nhật quy trình" in d.page_source)

    log_in(browser, live_server, admin)
    browser.get(f"{live_server.url}/can-bo/quy-trinh/{process.uuid}/phe-duyet/")
    check_page(browser, shots, named("process-2-review", size))
    browser.find_element(By.XPATH, "//button[normalize-space()='Đã kiểm soát, trình Chủ tịch']").click()
    WebDriverWait(browser, 15).until(lambda d: "Ghi nhận quyết định phê duyệt" in d.page_source)
    browser.find_element(By.ID, "d-number").send_keys("15/QĐ-UBND")
    browser.find_element(By.ID, "d-signer").send_keys("Chủ tịch UBND tỉnh")
    browser.find_element(By.XPATH, "//button[normalize-space()='Ghi nhận quyết định phê duyệt']").click()
    WebDriverWait(browser, 15).until(lambda d: "Đã cập nhật quy trình" in d.page_source)
    check_page(browser, shots, named("process-3-approved", size))
    process.refresh_from_db()
    assert process.status in ("approved", "active") and process.decision_number == "15/QĐ-UBND"
    browser.get(f"{live_server.url}/can-bo/quy-trinh/{process.uuid}/")
    check_page(browser, shots, named("process-4-diagram", size))
    assert "Chuyển bước tiếp theo" in browser.page_source


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_result_is_previewed_signed_shown_and_verified(browser, live_server, settings, tmp_path, shots, size):
    """Result and verification: the leader reads the exact PDF inline, signs, sees the signed document; the signed
    file passes the public signature check."""
    results_settings(settings, keystore_dir=tmp_path / "keys", media_root=tmp_path / "media")
    world = results_world()
    dossier = at_leader_step(world)
    resize(browser, size)
    log_in(browser, live_server, world.leader)
    browser.get(f"{live_server.url}/mot-cua/ho-so/{dossier.code}/")
    check_page(browser, shots, named("result-1-preview-before-signing", size))
    frame = browser.find_element(By.CSS_SELECTOR, "iframe.pdf-preview")
    assert frame.get_attribute("src").endswith(f"/ho-so/{dossier.code}/ket-qua/xem-truoc.pdf")
    sign = browser.find_element(By.ID, "act-sign").find_element(By.XPATH, "..")
    sign.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda d: "Kết quả đã ký số" in d.page_source)
    check_page(browser, shots, named("result-2-signed-shown", size))
    result = ElectronicResult.objects.get(dossier=dossier)
    signed = tmp_path / "ket-qua.pdf"
    with result.file.open("rb") as handle:
        signed.write_bytes(handle.read())

    browser.get(f"{live_server.url}/xac-thuc-chu-ky/")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(signed))
    browser.find_element(By.XPATH, "//button[normalize-space()='Kiểm tra chữ ký']").click()
    WebDriverWait(browser, 30).until(lambda d: world.leader.display_name in d.page_source)
    check_page(browser, shots, named("result-3-verified", size))

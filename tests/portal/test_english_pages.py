"""With the English language cookie, the page frame and the main pages speak English.

Data stays as entered (procedure, agency and people's names are Vietnamese); only the interface is checked: no
text node, label or button of a page may be one of these Vietnamese interface labels (all found untranslated
once), and a few English labels must be there.
"""

import html
import re

import pytest
from django.conf import settings
from django.test import Client

from dichvucong.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

# Interface labels that stayed Vietnamese in English pages. Compared with whole text nodes and attribute values,
# so a procedure name containing e.g. "thủ tục" does not count.
VIETNAMESE_LABELS = {
    "Trang chủ",
    "Thủ tục",
    "Tra cứu",
    "Hồ sơ của tôi",
    "Kho dữ liệu",
    "Trang cán bộ",
    "Đăng nhập",
    "Đổi",
    "Tiếng Anh",
    "Hồ sơ một cửa",
    "Danh mục thủ tục hành chính",
    "Tìm kiếm",
    "Tất cả",
    "Cơ quan",
    "Lĩnh vực",
    "Mức độ",
    "Mã",
    "Tên thủ tục",
    "Nộp trực tuyến",
    "Thành phần hồ sơ",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Nơi tiếp nhận hồ sơ",
    "Căn cứ pháp lý",
    "Tra cứu tình trạng hồ sơ",
    "Mã hồ sơ",
    "Trạng thái",
    "Ngày hẹn trả",
    "Kiểm tra chữ ký",
    "Xác thực chữ ký số trên kết quả điện tử",
    "Chứng thư gốc của tỉnh",
    "Danh mục dịch vụ công trực tuyến toàn trình (mức độ 4)",
    "Chọn cơ quan",
    "Xem",
    "Hàng đợi công việc",
    "Hồ sơ của cơ quan",
    "Người nộp",
    "Hình thức",
    "Hẹn trả",
    "Lọc",
    "Bước hiện tại",
    "Của tôi",
    "Của đơn vị",
    "Đến hạn hôm nay",
    "Quá hạn",
    "Sắp đến hạn",
    "Trực tuyến",
    "Đã tiếp nhận",
    "Mới nộp, chờ tiếp nhận",
}
# Longer phrases that must not appear anywhere on an English page.
VIETNAMESE_PHRASES = ("Hồ sơ của tôi", "Tiếng Anh", "Bỏ qua, đến nội dung chính")


def _interface_texts(page: str) -> set[str]:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    attrs = re.findall(r'(?:aria-label|placeholder|title|alt|data-label)="([^"]*)"', page)
    nodes = re.split(r"<[^>]+>", page)
    return {html.unescape(text).strip().rstrip(":") for text in [*attrs, *nodes]} - {""}


def english_client(username: str | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if username:
        assert client.login(username=username, password="demo")
    return client


def assert_english(client: Client, url: str, *expected: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en">' in page, url
    left = sorted(_interface_texts(page) & VIETNAMESE_LABELS)
    assert not left, f"{url}: untranslated {left}"
    for phrase in VIETNAMESE_PHRASES:
        assert phrase not in page, f"{url}: untranslated {phrase!r}"
    for text in expected:
        assert text in page, f"{url}: missing {text!r}"
    return page


def test_public_pages_in_english(demo):
    client = english_client()
    assert_english(client, "/", "Procedures", "Look up", "Log in", "Public Service Portal")
    assert_english(client, "/thu-tuc/", "Administrative procedure catalogue", "Search")
    page = assert_english(client, "/thu-tuc/3.000333/", "Required documents", "Processing time", "Fees and charges")
    assert "Cấp Phiếu lý lịch tư pháp" in page  # the procedure's name is data: it stays Vietnamese
    assert_english(client, "/tra-cuu/", "Check the status of an application")
    assert_english(client, "/xac-thuc-chu-ky/", "Verify the signature")
    assert_english(client, "/dich-vu-cong-truc-tuyen/?agency=000.00.04.H31", "Full online public services (level 4)")


def test_the_language_list_names_each_language_in_itself(db):
    page = english_client().get("/").content.decode()
    assert ">Tiếng Việt</option>" in page and ">English</option>" in page
    assert "Tiếng Anh" not in page
    page = Client().get("/").content.decode()  # Vietnamese: the same names
    assert ">Tiếng Việt</option>" in page and ">English</option>" in page


def test_a_lookup_error_is_in_english(demo):
    page = english_client().post("/tra-cuu/", {"code": "X", "id_number": "123"}).content.decode()
    assert "The citizen ID number must have exactly 12 digits." in page and "Số CCCD phải gồm" not in page


def test_citizen_pages_in_english(demo):
    client = english_client("citizen")
    assert_english(client, "/ho-so/cua-toi/", "My applications", "Application code", "Status")
    dossier = Dossier.objects.filter(owner__username="citizen").exclude(status="draft").first()
    assert_english(client, f"/ho-so/cua-toi/{dossier.code}/", "Processing history")


def test_officer_pages_in_english(demo):
    assert_english(english_client("sotp.specialist"), "/can-bo/cong-viec/", "Work queue")
    client = english_client("sotp.reception")
    assert_english(client, "/can-bo/", "Officer page")
    assert_english(client, "/mot-cua/ho-so/", "Agency applications", "Applicant")

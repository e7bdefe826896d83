"""The public statistics, feedback and monitoring pages (reports, monthly reports, ratings) in English with the
language cookie (the switcher's /i18n/setlang/; Accept-Language is ignored by design, common.middleware).

Data stays as entered (agency, procedure and step names are Vietnamese); the interface must not: no text node or
label of these pages may be a Vietnamese msgid of the catalogue (with its placeholders filled in), and the headings
translated for them must be absent.
"""

import datetime
import re
from functools import cache

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.agencies.models import Agency
from dichvucong.monitoring import services

from .test_english_catalogue import CATALOGUE, po_entries
from .test_english_pages import _interface_texts, english_client

pytestmark = pytest.mark.django_db

# Headings and labels of these pages that were Vietnamese in English before the catalogue was completed.
VIETNAMESE_HEADINGS = (
    "Số liệu công khai về giải quyết thủ tục hành chính",
    "Tỷ lệ hồ sơ trực tuyến theo cấp",
    "Hồ sơ tiếp nhận theo cấp và hình thức nộp",
    "Trả lời phản ánh, kiến nghị",
    "Gửi phản ánh, kiến nghị",
    "Phản ánh về (một trong hai)",
    "Báo cáo, theo dõi thực hiện kế hoạch",
    "Kỳ báo cáo",
    "Nhóm theo",
    "Tải các báo cáo của kỳ",
    "Hồ sơ chờ lâu nhất ở bước nào",
    "Tổng hợp báo cáo tháng của tỉnh",
    "Lập báo cáo tháng",
    "Các báo cáo tháng",
    "Phụ lục 02. Tình hình tiếp nhận, giải quyết hồ sơ",
    "Nhận xét, giải trình",
    "Gửi báo cáo tháng",
    "Các phiên bản",
    "Đánh giá của người dân, doanh nghiệp",
    "Phản ánh, kiến nghị gửi đến cơ quan",
)
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", re.I)


@cache
def _vietnamese_msgids() -> tuple[frozenset[str], tuple[tuple[re.Pattern, int], ...]]:
    """The catalogue's Vietnamese msgids: exact texts, and patterns (with the length of their fixed text) for those
    with placeholders. A msgid whose English is itself ("Tiếng Việt" in the language list) is left out."""
    exact, patterns = set(), []
    for entry in po_entries(CATALOGUE / "django.po"):
        if entry["msgstr"] == [entry["msgid"]]:
            continue
        for msgid in filter(None, (entry["msgid"], entry.get("msgid_plural"))):
            text = msgid.replace("%%", "%").strip().rstrip(":")
            if not VIETNAMESE.search(re.sub(r"%\([^)]+\)[sd]|%[sd]", "", text)):
                continue
            if re.search(r"%\([^)]+\)[sd]|%[sd]", text):
                parts = re.split(r"%\([^)]+\)[sd]|%[sd]", text)
                patterns.append((re.compile(".+?".join(map(re.escape, parts)), re.S), len("".join(parts))))
            else:
                exact.add(text)
    return frozenset(exact), tuple(patterns)


def assert_english(client, url: str, *expected: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en">' in page, url
    texts = _interface_texts(page)
    exact, patterns = _vietnamese_msgids()
    left = sorted(texts & exact)
    # a pattern counts when its fixed text is at least half of the text: "%(n)s hồ sơ" is not a step's name
    left += sorted(
        t
        for t in texts - exact
        if VIETNAMESE.search(t) and any(2 * fixed >= len(t) and p.fullmatch(t) for p, fixed in patterns)
    )
    assert not left, f"{url}: untranslated {left}"
    for heading in VIETNAMESE_HEADINGS:
        assert heading not in page, f"{url}: untranslated {heading!r}"
    for text in expected:
        assert text in page, f"{url}: missing {text!r}"
    return page


def test_public_statistics_and_feedback_pages_in_english(demo):
    client = Client()  # the visitor chooses English with the language switcher
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thong-ke/"})
    assert response.status_code == 302 and response["Location"] == "/thong-ke/"
    assert_english(client, "/", "Submit an application online")
    assert_english(
        client, "/thong-ke/", "Public statistics on administrative procedures", "Applications received", "Data (JSON)"
    )
    assert_english(client, "/phan-anh/", "Answers to feedback and recommendations")
    assert_english(client, "/phan-anh/gui/", "Send feedback or a recommendation", "Administrative procedure code")


def test_the_monitors_reports_in_english(demo):
    client = english_client("sotttt.monitor")
    page = assert_english(client, "/bao-cao/", "Reports and monitoring of the plan", "Reporting period", "Group by")
    assert "Decision 766/QĐ-TTg indicators and ranking" in page
    assert_english(client, "/bao-cao/thang/", "Monthly reports", "Prepare a monthly report")
    assert_english(client, "/bao-cao/thang/tinh/", "Province summary of monthly reports", "Not sent")
    assert_english(client, "/danh-gia/", "Ratings by citizens and businesses")
    assert_english(client, "/phan-anh/quan-ly/", "Feedback and recommendations")


def test_a_monthly_report_in_english(demo):
    admin = User.objects.get(username="vpubnd.agencyadmin")
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    report = services.monthly_report_generate(actor=admin, agency=Agency.objects.get(code="000.00.01.H31"), month=month)
    url = f"/bao-cao/thang/{report.uuid}/"
    page = assert_english(
        english_client("vpubnd.agencyadmin"),
        url,
        f"Monthly report {month:%m/%Y}",
        "Annex 02. Applications received and settled",
        "Comments and explanations",
        "Send the monthly report",
    )
    assert "Versions" in page
    assert_english(english_client("sotttt.monitor"), url, "Annex 01. Procedures by level of online public service")

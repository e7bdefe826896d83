"""The desk queue, the action confirmations and the pickers in English (issue 18; the language cookie of
tests/portal/test_english_pages.py): the interface words are English, the data (names, procedures) stays as entered."""

import re

from django.conf import settings
from django.test import Client

from dichvucong.dossiers.models import Dossier

from .test_desk import _desk_world

QUEUE = "/can-bo/cong-viec/"


def english(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en">' in page
    return page


def test_the_desk_queue_and_the_officer_home_in_english(world):
    made = _desk_world(world)
    client = english(world.staff["vl.reception"])

    page = _page(client, f"{QUEUE}?view=team")
    for text in (
        "Work queue",
        "Waiting to be received",
        "Fees paid, waiting to be sent for processing",
        "Received, waiting to be sent for processing",
        "Type of work",
        "Deadline",
        "Sort",
        "Nearest deadline first",
        "Longest waiting first",
        "Save the filters for next time",
        "Task",
        "Since",
        ">Supplemented<",
    ):
        assert text in page, text
    for vietnamese in ("Chờ tiếp nhận", "Loại việc", "Sắp xếp", "Việc cần làm", "Lưu bộ lọc", "Đã bổ sung", "Từ lúc"):
        assert vietnamese not in page, vietnamese
    assert made["accept"].code in page and made["accept"].applicant_name in page  # the data as entered

    home = _page(client, "/can-bo/")
    assert "Work waiting" in home and "<strong>2</strong> Waiting to be received" in home
    assert "Việc đang chờ" not in home and "Chờ tiếp nhận" not in home


def test_a_destructive_action_asks_for_confirmation_in_english(world):
    made = _desk_world(world)
    dossier = made["accept"]
    client = english(world.staff["vl.reception"])

    page = _page(client, f"/mot-cua/ho-so/{dossier.code}/")
    assert re.search(r"I have read this and confirm «[A-Z][^»]*»", page), "no English confirmation"
    assert "The application ends as «Refused»" in page and "This cannot be undone." in page
    assert f"{dossier.applicant_name} sees the notice and the reason" in page
    for vietnamese in ("Tôi đã đọc và xác nhận", "Không thể hoàn tác", "Hồ sơ kết thúc ở trạng thái"):
        assert vietnamese not in page, vietnamese

    # Unconfirmed, the refusal is not done and the message says why, in English.
    response = client.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "refuse", "reason": "Thiếu giấy tờ"})
    assert response.status_code == 302
    after = _page(client, response["Location"])
    assert "was not done: tick the confirmation box after reading what will happen." in after
    assert Dossier.objects.get(pk=dossier.pk).status == "new"


def test_the_pickers_in_english(world):
    _desk_world(world)
    client = english(world.staff["vl.reception"])

    page = _page(client, "/mot-cua/ho-so/")
    assert 'data-picker-label="Search procedures by name or code"' in page and ">All procedures<" in page
    assert "Tìm thủ tục theo tên hoặc mã" not in page and "Tất cả thủ tục" not in page
    counter = _page(client, "/mot-cua/tiep-nhan/")
    assert "— Choose a procedure —" in counter and "— Chọn thủ tục —" not in counter

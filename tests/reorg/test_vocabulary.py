"""Pages say "dịch vụ công trực tuyến toàn trình / một phần" and "Trung tâm phục vụ hành chính công" from the date
of the setting, and keep the old level in brackets (both views); before it, the 2021 wording."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dichvucong.agencies.services import province_tier_model_change
from dichvucong.agencies.vocabulary import vocabulary_on
from tests.factories import AgencyFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(db):
    department = AgencyFactory.department(name="Sở Tư pháp", code="000.00.04.H31")
    return ProcedureFactory(code="1.001193", name="Cấp phiếu lý lịch tư pháp", agencies=[department.code], level=4)


def _page(url):
    client = Client()
    client.cookies["django_language"] = "vi"
    return client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()


def test_2021_wording_by_default(procedure):
    page = _page(reverse("catalog:detail", args=[procedure.code]))
    assert "Mức độ 4" in page
    assert "toàn trình (mức độ 4)" not in page
    assert "Dịch vụ công trực tuyến mức độ 4" in _page(reverse("catalog:online-services"))


def test_2025_wording_from_the_setting_date(procedure):
    today = timezone.localdate()
    province_tier_model_change(actor="test", tier_model="two_tier", since=today, vocabulary_2025_since=today)
    page = _page(reverse("catalog:detail", args=[procedure.code]))
    assert "DVCTT toàn trình (mức độ 4)" in page
    listing = _page(reverse("catalog:list"))
    assert "DVCTT toàn trình (mức độ 4)" in listing
    assert "Dịch vụ công trực tuyến toàn trình" in _page(reverse("catalog:online-services"))
    vocabulary = vocabulary_on()
    assert vocabulary.one_stop == "Trung tâm phục vụ hành chính công"
    assert vocabulary.level(3) == "DVCTT một phần (mức độ 3)"
    # Before the date, the old words (a report about 2024 reads as it did then).
    assert vocabulary_on(today - datetime.timedelta(days=1)).one_stop == "Bộ phận một cửa"

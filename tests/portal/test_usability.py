"""Findings of the new-user browser test (phone and desktop): site-wide parts (favicon, footer, home page)."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
class TestFavicon:
    def test_favicon_ico_leads_to_the_static_icon(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code == 302
        assert response["Location"].endswith("/img/favicon.ico")
        assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")
        assert client.head("/favicon.ico").status_code == 302

    def test_every_page_links_the_icon(self, client):
        page = client.get("/").content.decode()
        assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in page


@pytest.mark.django_db
def test_the_footer_links_the_signature_check_on_every_page(client):
    for url in ("/", "/thu-tuc/", "/tra-cuu/"):
        page = client.get(url).content.decode()
        footer = page[page.index("<footer") :]
        assert '<a href="/xac-thuc-chu-ky/">Kiểm tra chữ ký số</a>' in footer, url


@pytest.mark.django_db
def test_home_section_headings_read_naturally_and_the_signature_check_has_a_card(client):
    page = client.get("/").content.decode()
    assert "Cổng cung cấp" not in page
    assert '<h2 id="offer-title">Bạn có thể làm gì trên Cổng</h2>' in page
    assert '<h2 id="units-title">Các cơ quan giải quyết thủ tục hành chính</h2>' in page
    assert '<h3><a href="/xac-thuc-chu-ky/">Kiểm tra chữ ký số</a></h3>' in page

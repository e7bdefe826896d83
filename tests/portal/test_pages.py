import pytest


@pytest.mark.django_db
class TestHomePage:
    def test_home_page_says_what_the_portal_offers_in_vietnamese(self, demo, client):
        response = client.get("/")
        page = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="vi">' in page
        assert "Nộp hồ sơ trực tuyến" in page
        assert "Tìm thủ tục hành chính" in page

    def test_page_has_landmarks_skip_link_and_viewport(self, db, client):
        page = client.get("/").content.decode()
        for marker in [
            '<main id="main"',
            'role="banner"',
            'role="contentinfo"',
            '<nav class="main-nav" aria-label=',
            'class="skip-link" href="#main"',
            'name="viewport"',
        ]:
            assert marker in page, marker

    def test_vietnamese_even_when_the_browser_prefers_english(self, db, client):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert '<html lang="vi">' in page
        assert "Nộp hồ sơ trực tuyến" in page

    def test_english_when_the_visitor_chooses_it(self, db, client):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert response.status_code == 302
        response = client.get("/")
        page = response.content.decode()
        assert '<html lang="en">' in page
        assert "Submit an application online" in page


@pytest.mark.django_db
class TestStaffPage:
    def test_anonymous_visitors_are_sent_to_login(self, db, client):
        response = client.get("/can-bo/")
        assert response.status_code == 302
        assert response["Location"].startswith("/tai-khoan/dang-nhap/")

    def test_citizens_are_refused(self, demo, client):
        client.login(username="citizen", password="demo")
        assert client.get("/can-bo/").status_code == 403

    def test_an_officer_sees_only_their_own_agency(self, demo, client):
        client.login(username="vangiang.reception", password="demo")
        page = client.get("/can-bo/").content.decode()
        assert "Ủy ban nhân dân huyện Văn Giang" in page
        assert "Văn Lâm" not in page


def test_the_stylesheet_is_served(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("css/site.css")

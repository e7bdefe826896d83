"""Navigation makes one product: the portal's cards and menu, the staff landing page's links per role, the
catalogue's "Nộp trực tuyến" button; every link is present and opens (200) for the user it is shown to."""

import re

import pytest
from django.test import Client

from dichvucong.accounts.models import User
from dichvucong.catalog.models import Procedure

pytestmark = pytest.mark.django_db


def browser(username=None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def links(html: str) -> set[str]:
    return set(re.findall(r'href="(/[^"#]*)"', html))


def nav(html: str) -> set[str]:
    block = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return links(block)


def assert_opens(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_portal_home_cards_link_to_catalogue_lookup_and_my_dossiers(demo):
    html = browser("citizen").get("/").content.decode()
    assert {"/thu-tuc/", "/tra-cuu/", "/ho-so/cua-toi/"} <= links(html)
    assert_opens(browser("citizen"), ["/thu-tuc/", "/tra-cuu/", "/ho-so/cua-toi/", "/dich-vu-cong-truc-tuyen/"])


def test_the_menu_depends_on_the_kind_of_user(demo):
    anonymous = nav(browser().get("/").content.decode())
    assert {"/thu-tuc/", "/tra-cuu/", "/tai-khoan/dang-nhap/"} <= anonymous
    assert "/ho-so/cua-toi/" not in anonymous and "/can-bo/" not in anonymous

    citizen = nav(browser("citizen").get("/").content.decode())
    assert {"/thu-tuc/", "/ho-so/cua-toi/", "/tra-cuu/"} <= citizen and "/can-bo/" not in citizen
    assert_opens(browser("citizen"), citizen)

    staff = nav(browser("vanlam.specialist").get("/").content.decode())
    assert "/can-bo/" in staff and "/ho-so/cua-toi/" not in staff
    assert_opens(browser("vanlam.specialist"), staff)


@pytest.mark.parametrize(
    ("username", "expected", "absent"),
    [
        (
            "vanlam.reception",
            {
                "/mot-cua/tiep-nhan/",
                "/mot-cua/nop-truc-tuyen-thay/",
                "/mot-cua/ho-so/",
                "/can-bo/cong-viec/",
                "/xac-thuc-chu-ky/",
            },
            {"/can-bo/quy-trinh/"},
        ),
        (
            "vanlam.specialist",
            {"/can-bo/cong-viec/", "/mot-cua/ho-so/"},
            {"/mot-cua/tiep-nhan/", "/doi-soat/", "/can-bo/khao-sat/"},
        ),
        (
            "vanlam.leader",
            {"/can-bo/cong-viec/", "/mot-cua/ho-so/", "/can-bo/quy-trinh/", "/can-bo/danh-muc/de-nghi/", "/doi-soat/"},
            {"/mot-cua/tiep-nhan/"},
        ),
        ("vanlam.clerk", {"/can-bo/cong-viec/", "/mot-cua/ho-so/"}, {"/mot-cua/tiep-nhan/"}),
        (
            "vpubnd.admin",
            {"/can-bo/quy-trinh/", "/can-bo/danh-muc/de-nghi/", "/doi-soat/", "/mot-cua/ho-so/", "/can-bo/khao-sat/"},
            {"/mot-cua/tiep-nhan/"},
        ),
        (
            "sotttt.monitor",
            {"/mot-cua/ho-so/", "/can-bo/quy-trinh/", "/can-bo/khao-sat/"},
            {"/mot-cua/tiep-nhan/", "/doi-soat/", "/huong-dan/"},
        ),
    ],
)
def test_the_staff_landing_page_links_what_each_role_uses(demo, username, expected, absent):
    client = browser(username)
    page = client.get("/can-bo/")
    assert page.status_code == 200
    section = re.search(r'<section aria-labelledby="work-title">.*?</section>', page.content.decode(), re.S).group(0)
    found = links(section)
    assert expected <= found, expected - found
    assert not absent & found, absent & found
    assert_opens(client, found)


def test_the_catalogue_submit_button_opens_the_working_wizard(demo):
    procedure = Procedure.objects.get(code="3.000333")
    html = browser("citizen").get(f"/thu-tuc/{procedure.code}/").content.decode()
    buttons = [url for url in links(html) if url.startswith(f"/ho-so/nop/{procedure.code}/")]
    assert buttons, "no Nộp trực tuyến link"
    wizard = browser("citizen").get(buttons[0].replace("&amp;", "&"))
    assert wizard.status_code == 200 and 'enctype="multipart/form-data"' in wizard.content.decode()
    # Officers get the assisted submission instead, which opens with the procedure preset.
    staff_html = browser("vanlam.reception").get(f"/thu-tuc/{procedure.code}/").content.decode()
    assisted = [url for url in links(staff_html) if url.startswith("/mot-cua/nop-truc-tuyen-thay/")]
    assert assisted and browser("vanlam.reception").get(assisted[0]).status_code == 200

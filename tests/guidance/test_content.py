"""Guides, FAQ and news: sanitised Markdown (no stored XSS), publication dates, search, who may edit."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import PermissionDeniedError, ValidationFailed
from dichvucong.guidance.markdown import render_markdown
from dichvucong.guidance.models import ContentPage
from dichvucong.guidance.services import content_save
from tests.catalog.conftest import load_records, procedure_record
from tests.conftest import auth_client

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<p style="background:url(javascript:alert(1))">s</p>',
]


@pytest.fixture
def editors(db, make_staff):
    from tests.factories import AgencyFactory

    AgencyFactory.province()
    department = AgencyFactory.department()
    load_records(procedure_record("1.001193", "Đăng ký khai sinh", tiers=["commune"]))
    return {
        "admin": make_staff("province_admin"),
        "monitor": make_staff("monitor"),
        "officer": make_staff("agency_admin", department),
    }


ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "pre",
                "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z0-9]+)([^>]*)>")


def active_parts(html: str) -> list[str]:
    """Tags outside the allow-list, event handlers, styles, and links that are not http(s), relative or mailto."""
    problems = []
    for name, attributes in _TAG.findall(html):
        if name.lower() not in ALLOWED_TAGS:
            problems.append(name)
        if re.search(r"\bon[a-z]+\s*=|\bstyle\s*=|\bsrc\s*=", attributes, re.IGNORECASE):
            problems.append(attributes)
        for href in re.findall(r'href="([^"]*)"', attributes):
            if not re.match(r"^(https?:|mailto:|/|#)", href):
                problems.append(href)
    return problems


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_is_rendered_without_any_active_content(attack):
    html = render_markdown(f"Hướng dẫn\n\n{attack}\n\n**đậm**")
    assert active_parts(html) == [], html
    assert "<strong>đậm</strong>" in html


def test_stored_page_shows_only_sanitised_html(editors):
    body = "## Các bước\n\n" + "\n\n".join(ATTACKS) + "\n\n[Thủ tục](/thu-tuc/1.001193/)"
    page = content_save(
        actor=editors["admin"], kind="guide", slug="huong-dan-an-toan", title="T", body=body, published=True
    )
    html = Client().get(f"/huong-dan/{page.slug}/").content.decode()
    assert "<h2>Các bước</h2>" in html and 'href="/thu-tuc/1.001193/"' in html
    article = html[html.index('<div class="content-body">') : html.index("</article>")]
    assert active_parts(article.replace('<div class="content-body">', "").replace("</div>", "")) == []
    api = auth_client(editors["monitor"]).get(f"/api/v1/content/{page.slug}/").json()
    assert active_parts(api["body_html"]) == []


def test_only_the_province_admin_edits_content(editors, citizen):
    payload = {"kind": "news", "slug": "tin-moi", "title": "Tin mới", "body": "Nội dung", "published": True}
    for user in (citizen, editors["officer"], editors["monitor"]):
        assert auth_client(user).post("/api/v1/content/", payload, format="json").status_code == 403
        with pytest.raises(PermissionDeniedError):
            content_save(actor=user, **payload)
    assert Client().post("/api/v1/content/", payload).status_code in (401, 403)
    created = auth_client(editors["admin"]).post("/api/v1/content/", payload, format="json")
    assert created.status_code == 201 and created.json()["published_at"]
    assert AuditEntry.objects.filter(action="guidance_content.save", object_id="tin-moi").count() == 1
    change = {**payload, "title": "Tin đã sửa"}
    assert auth_client(editors["officer"]).put("/api/v1/content/tin-moi/", change, format="json").status_code == 403
    assert auth_client(editors["admin"]).put("/api/v1/content/tin-moi/", change, format="json").status_code == 200
    assert ContentPage.objects.get(slug="tin-moi").title == "Tin đã sửa"


def test_editor_page_is_for_the_province_admin_only(editors, citizen):
    for user in (citizen, editors["officer"], editors["monitor"]):
        client = Client()
        client.force_login(user)
        assert client.get("/can-bo/noi-dung/moi/").status_code == 403
        assert client.post("/can-bo/noi-dung/moi/", {"kind": "guide", "slug": "x", "title": "x"}).status_code == 403
    assert Client().get("/can-bo/noi-dung/moi/").status_code == 302
    client = Client()
    client.force_login(editors["admin"])
    form = {"kind": "faq", "slug": "hoi-khai-sinh", "title": "Khai sinh ở đâu?", "body": "<script>x</script>Tại UBND xã.",
            "procedure_code": "1.001193", "published": "on"}  # fmt: skip
    response = client.post("/can-bo/noi-dung/moi/", form)
    assert response.status_code == 302
    page = ContentPage.objects.get(slug="hoi-khai-sinh")
    assert "<script" not in page.body_html and page.published_at is not None
    assert client.get("/can-bo/noi-dung/hoi-khai-sinh/sua/").status_code == 200


def test_invalid_content_is_refused_with_reasons(editors):
    with pytest.raises(ValidationFailed) as refused:
        content_save(actor=editors["admin"], kind="faq", slug="Bad Slug!", title="", body="x" * 20001)
    assert set(refused.value.fields) >= {"slug", "title", "body", "procedure_code"}


def test_unpublished_and_future_pages_are_hidden_from_the_public(editors):
    content_save(actor=editors["admin"], kind="news", slug="nhap", title="Bản nháp", body="x")
    later = timezone.now() + datetime.timedelta(days=3)
    content_save(actor=editors["admin"], kind="news", slug="sap-dang", title="Sắp đăng", body="x", published=True,
                 published_at=later)  # fmt: skip
    assert Client().get("/huong-dan/nhap/").status_code == 404
    assert Client().get("/huong-dan/sap-dang/").status_code == 404
    assert Client().get("/api/v1/content/nhap/").status_code == 404
    assert auth_client(editors["admin"]).get("/api/v1/content/nhap/").status_code == 200
    assert [p["slug"] for p in Client().get("/api/v1/content/").json()] == []


def test_news_carry_their_publication_date_and_are_searchable(editors):
    day = timezone.make_aware(datetime.datetime(2021, 8, 5, 8, 0))
    content_save(actor=editors["admin"], kind="news", slug="toan-trinh", title="Thêm dịch vụ công toàn trình",
                 body="Nộp hồ sơ khai sinh trực tuyến", published=True, published_at=day)  # fmt: skip
    found = Client().get("/api/v1/content/", {"q": "khai sinh truc tuyen", "kind": "news"}).json()
    assert [p["slug"] for p in found] == ["toan-trinh"] and found[0]["published_at"].startswith("2021-08-05")
    html = Client().get("/huong-dan/", {"loai": "news"}).content.decode()
    assert "05/08/2021" in html and 'datetime="2021-08-05' in html


def test_content_list_costs_a_bounded_number_of_queries(editors, django_assert_max_num_queries):
    for n in range(5):
        content_save(actor=editors["admin"], kind="guide", slug=f"huong-dan-{n}", title=f"Hướng dẫn {n}", body="x",
                     published=True)  # fmt: skip
    with django_assert_max_num_queries(3):
        assert len(Client().get("/api/v1/content/").json()) == 5

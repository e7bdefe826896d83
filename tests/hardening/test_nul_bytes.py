"""NUL characters never reach the database (issue 12, item 1): refused with a 400 before any view runs
(`common/request_guard.py`), in the API's error format under /api/ and as a Vietnamese page elsewhere.

PostgreSQL refuses NUL in text (the 500s of the issue); SQLite stores it, so these tests matter on PostgreSQL
(`.ci/run` runs them there) and hold the same answer on SQLite."""

import json

import pytest

from tests.factories import auth_client

pytestmark = pytest.mark.django_db

PROCEDURE = "1.001193"  # any code: the answer must be the refusal, not a lookup

ANONYMOUS_GETS = [
    "/api/v1/procedures/?q=a%00b",
    "/api/v1/procedures/?agency=a%00b",
    "/api/v1/procedures/?field=a%00b",
    "/api/v1/procedures/a%00b/",
    "/api/v1/agencies/?parent=a%00b",
    "/api/v1/agencies/a%00b/",
    "/api/v1/lookup/?code=a%00b&id_number=001",
    "/api/v1/catalog/exceptions/?procedure=a%00b",
    "/api/v1/workdays/?year=20%0026",
    "/api/v1/signing/certificates/?q=%00",
    "/api/v1/procedures/?a%00b=1",
]
PAGE_GETS = ["/thu-tuc/?q=a%00b", "/tra-cuu/?code=a%00b&id_number=1", "/thu-tuc/a%00b/"]
CITIZEN_GETS = [
    "/api/v1/dossiers/?q=a%00b",
    "/api/v1/dossiers/?status=a%00b",
    "/api/v1/dossiers/a%00b/",
    "/api/v1/dossiers/a%00b/payments/",
    "/api/v1/wallet/?q=%00",
    "/api/v1/me/?x=%00",
]


def _is_refusal(response):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert body["code"] == "invalid_characters"
        assert "NUL" in body["detail"]
    else:
        text = response.content.decode()
        assert "ký tự không hợp lệ" in text


@pytest.mark.parametrize("url", ANONYMOUS_GETS)
def test_anonymous_api_get_with_nul_is_400(client, url):
    _is_refusal(client.get(url))


@pytest.mark.parametrize("url", PAGE_GETS)
def test_pages_with_nul_are_a_vietnamese_400_page(client, url):
    response = client.get(url)
    _is_refusal(response)
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("url", CITIZEN_GETS)
def test_signed_in_api_get_with_nul_is_400(citizen, url):
    _is_refusal(auth_client(citizen).get(url))


def test_payment_callback_body_with_nul_is_400(client):
    raw = b'{"order_id": "a\x00b", "status": "paid"}'
    _is_refusal(client.post("/api/v1/payments/callback/", raw, content_type="application/json"))
    escaped = json.dumps({"order_id": "a\u0000b", "status": "paid"})
    _is_refusal(client.post("/api/v1/payments/callback/", escaped, content_type="application/json"))
    _is_refusal(
        client.post("/api/v1/payments/callback/", "order_id=a%00b", content_type="application/x-www-form-urlencoded")
    )


def test_form_data_with_escaped_nul_is_400_and_creates_nothing(citizen):
    from dichvucong.dossiers.models import Dossier

    body = {"procedure": PROCEDURE, "agency": "x", "form_data": {"name": "An\u0000"}, "draft": True}
    _is_refusal(auth_client(citizen).post("/api/v1/dossiers/", body, format="json"))
    _is_refusal(auth_client(citizen).post("/api/v1/dossiers/", {"form_data": {"a\u0000": 1}}, format="json"))
    assert not Dossier.objects.exists()


def test_nul_in_a_header_or_cookie_is_400(client, citizen):
    _is_refusal(client.get("/api/v1/procedures/", HTTP_IDEMPOTENCY_KEY="a\x00b"))
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    _is_refusal(client.get("/api/v1/me/"))


def test_json_nested_too_deep_is_400_not_recursion_error(citizen):
    deep = "[" * 5000 + "]" * 5000
    body = '{"procedure": "x", "form_data": {"a": ' + deep + "}}"
    response = auth_client(citizen).post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_deeply_nested"
    nested = '{"form_data": {"a": ' + "[" * 40 + "]" * 40 + "}}"
    response = auth_client(citizen).post("/api/v1/dossiers/", nested, content_type="application/json")
    assert response.json()["code"] == "too_deeply_nested"


def test_declared_body_over_the_limit_is_413_before_reading(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.generic(
        "POST", "/api/v1/payments/callback/", b"x" * 10, content_type="application/json", CONTENT_LENGTH="5000"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_clean_requests_pass_the_guard(client):
    assert client.get("/api/v1/procedures/?q=khai%20sinh").status_code == 200
    assert client.get("/thu-tuc/?q=khai+sinh").status_code == 200


def test_an_unreadable_multipart_body_says_so_not_json(citizen, settings, tmp_path):
    """A 1,000-character file name overflows the multipart header: the 400 names the real problem."""
    settings.MEDIA_ROOT = tmp_path
    boundary, name = "XyZ", "a" * 1000 + ".pdf"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    response = auth_client(citizen).generic(
        "POST", "/api/v1/uploads/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "tên tệp quá dài" in response.json()["detail"] and "JSON" not in response.json()["detail"]

"""Rate limits of the public lookup by code + CCCD (against enumerating dossier codes or CCCD numbers).

Found in the security review: the API limited anonymous callers only (signed-in accounts were never limited),
the HTML page `/tra-cuu/` had no limit at all, and DRF took the client address from the whole
X-Forwarded-For header, so a client sending a new header with each request was never limited either.
"""

import pytest

from tests.conftest import auth_client

from .conftest import user

API = "/api/v1/lookup/"
PAGE = "/tra-cuu/"
CITIZEN_CCCD = "033090001234"


@pytest.fixture
def low_rate(settings):
    settings.LOOKUP_THROTTLE_RATE = "3/min"
    return 3


def _api(client, code, id_number, **extra):
    return client.get(API, {"code": code, "id_number": id_number}, **extra)


@pytest.mark.django_db
def test_api_lookup_is_limited_per_address_for_anonymous_callers(world, client, low_rate):
    for number in range(low_rate):
        assert _api(client, world.ids["d_sotp_new"], f"0330900{number:05d}").status_code == 404
    response = _api(client, world.ids["d_sotp_new"], CITIZEN_CCCD)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and "quá nhiều lần" in response.json()["detail"]


@pytest.mark.django_db
def test_api_lookup_is_limited_for_signed_in_callers_too(world, low_rate):
    client = auth_client(user("citizen2"))
    for number in range(low_rate):
        assert _api(client, world.ids["d_sotp_new"], f"0330900{number:05d}").status_code == 404
    assert _api(client, world.ids["d_sotp_new"], CITIZEN_CCCD).status_code == 429


@pytest.mark.django_db
def test_a_new_forwarded_for_header_does_not_buy_a_new_allowance(world, client, low_rate):
    for number in range(low_rate):
        _api(client, world.ids["d_sotp_new"], "0", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert _api(client, world.ids["d_sotp_new"], CITIZEN_CCCD, HTTP_X_FORWARDED_FOR="198.51.100.77").status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(world, client, low_rate, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(low_rate):
        _api(client, world.ids["d_sotp_new"], "0", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert _api(client, world.ids["d_sotp_new"], "0", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # the proxy appends the real address: a forged left part does not help the throttled client...
    assert _api(client, world.ids["d_sotp_new"], "0", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.1").status_code == 429
    # ...and another client behind the same proxy is not affected
    assert _api(client, world.ids["d_sotp_new"], CITIZEN_CCCD, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200


@pytest.mark.django_db
def test_the_page_finds_a_dossier_within_the_allowance(world, client, low_rate):
    response = client.post(PAGE, {"code": world.ids["d_sotp_new"], "id_number": CITIZEN_CCCD})
    assert response.status_code == 200 and world.ids["d_sotp_new"] in response.content.decode()


@pytest.mark.django_db
def test_the_page_and_the_api_share_one_allowance(world, client, low_rate):
    for number in range(low_rate):
        if number % 2:
            assert _api(client, world.ids["d_sotp_new"], f"0330900{number:05d}").status_code == 404
        else:
            page = client.post(PAGE, {"code": world.ids["d_sotp_new"], "id_number": f"0330900{number:05d}"})
            assert page.status_code == 200 and "Không tìm thấy hồ sơ" in page.content.decode()
    response = client.post(PAGE, {"code": world.ids["d_sotp_new"], "id_number": CITIZEN_CCCD})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Bạn đã tra cứu quá nhiều lần" in text
    assert "Quá trình xử lý" not in text  # the right pair shows nothing while throttled
    assert _api(client, world.ids["d_sotp_new"], CITIZEN_CCCD).status_code == 429


@pytest.mark.django_db
def test_an_empty_lookup_form_is_not_counted(world, client, low_rate):
    for _ in range(low_rate + 2):
        assert client.get(PAGE).status_code == 200
    assert _api(client, world.ids["d_sotp_new"], CITIZEN_CCCD).status_code == 200


# --- public signature verification: CPU-heavy, the page shares the API's allowance ---------------------------------


@pytest.mark.django_db
def test_the_verification_page_shares_the_api_rate_limit(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dichvucong.signing.api.views import VerifyThrottle

    allowance = int(VerifyThrottle.rate.split("/")[0])
    for number in range(allowance):
        upload = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
        if number % 2:
            assert client.post("/api/v1/signatures/verify/", {"file": upload}).status_code == 400
        else:
            assert client.post("/xac-thuc-chu-ky/", {"file": upload}).status_code == 400
    upload = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post("/xac-thuc-chu-ky/", {"file": upload})
    assert response.status_code == 429 and "Bạn đã kiểm tra quá nhiều tệp" in response.content.decode()
    upload = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    assert client.post("/api/v1/signatures/verify/", {"file": upload}).status_code == 429


# --- failed logins: counted per client address by the same rule -----------------------------------------------------


def _bad_token(client, username, forwarded):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": "sai-mat-khau"}, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
def test_failed_logins_behind_a_proxy_lock_out_only_that_client(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        assert _bad_token(client, f"nobody{number}", "203.0.113.1").status_code == 400
    assert _bad_token(client, "someone-else", "203.0.113.1").json()["code"] == "login_throttled"
    assert _bad_token(client, "someone-else", "203.0.113.2").json()["code"] == "invalid_credentials"


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_escape_the_login_throttle(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        _bad_token(client, f"nobody{number}", f"198.51.100.{number}")
    assert _bad_token(client, "someone-else", "198.51.100.99").json()["code"] == "login_throttled"

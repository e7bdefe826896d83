"""Fair login throttling (issue 12, item 3): one person's five wrong passwords lock THEIR account, not every account
behind the same address (an office behind one NAT); the address limit is separate and much higher, and a right
password passes it. Production refuses to start without a shared cache (the counters would multiply by the number
of worker processes)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from dichvucong.settings_guard import check_production_settings
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "Mat-khau-2024!"
OFFICE = "192.0.2.10"


def _login(client, username, password, ip=OFFICE):
    return client.post(TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def office(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 50
    return [CitizenFactory(username=f"nv{number}") for number in range(3)]


def test_five_wrong_passwords_lock_that_account_only(client, office):
    for _ in range(5):
        assert _login(client, "nv0", "sai").status_code == 400
    assert _login(client, "nv0", PASSWORD).status_code == 429  # this account: locked, even with the right password
    assert _login(client, "nv0", PASSWORD, ip="198.51.100.7").status_code == 429  # from anywhere
    assert _login(client, "nv1", PASSWORD).status_code == 200  # a colleague behind the same address: not locked
    assert _login(client, "nv2", "sai").json()["code"] == "invalid_credentials"  # still an ordinary wrong password


def test_the_address_limit_is_separate_and_a_right_password_passes_it(client, office, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for number in range(8):  # a sprayer: few guesses per account, many from one address
        _login(client, f"khong-co-{number}", "sai")
    refused = _login(client, "nv1", "sai")
    assert refused.status_code == 429 and refused.json()["code"] == "login_throttled"
    assert _login(client, "nv1", PASSWORD).status_code == 200
    assert _login(client, "nv2", "sai", ip="192.0.2.11").json()["code"] == "invalid_credentials"


def test_the_html_login_lets_the_right_password_through_a_locked_address(client, office, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        client.post("/tai-khoan/dang-nhap/", {"username": f"x{number}", "password": "sai"}, REMOTE_ADDR=OFFICE)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "nv1", "password": PASSWORD}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_production_needs_a_shared_cache():
    good = {"environment": "production", "secret_key": "k" * 40, "debug": False, "allowed_hosts": ["a.gov.vn"]}
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        check_production_settings(**good, shared_cache=False)
    check_production_settings(**good, shared_cache=True)


def test_settings_document_the_limits(settings):
    from dichvucong import settings as project_settings

    assert project_settings.LOGIN_FAILURE_LIMIT == 5
    assert project_settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50

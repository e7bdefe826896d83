"""The login throttle sits in the authentication backend, so every password check passes it: the Django admin's
login page (/quan-tri-he-thong/login/) as much as our own login page and the API token endpoint."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate

from dichvucong.accounts.backends import ThrottledModelBackend
from tests.factories import StaffFactory

ADMIN_LOGIN = "/quan-tri-he-thong/login/"
PASSWORD = "Mat-khau-2024!"


@pytest.fixture
def superuser(db):
    return StaffFactory(username="quantri", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3


def _admin_login(client, username, password, **extra):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/quan-tri-he-thong/"}, **extra
    )


def test_every_password_check_goes_through_the_throttled_backend():
    """The only other backend is the single sign-on callback's (identity/oidc.py), which never takes a password."""
    assert django_settings.AUTHENTICATION_BACKENDS == [
        "dichvucong.accounts.backends.ThrottledModelBackend",
        "dichvucong.identity.oidc.NationalIdentityBackend",
    ]


def test_the_sso_backend_ignores_passwords_even_with_code_and_state_in_the_url(superuser, rf):
    from dichvucong.identity.oidc import NationalIdentityBackend

    request = rf.post("/tai-khoan/dang-nhap/?code=abc&state=def")
    assert NationalIdentityBackend().authenticate(request, username="quantri", password=PASSWORD) is None
    assert NationalIdentityBackend().authenticate(request) is None


def test_admin_login_works_below_the_limit(superuser, client):
    response = _admin_login(client, "quantri", PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_admin_login_is_throttled_after_the_limit_even_with_the_right_password(superuser, client):
    for _ in range(3):
        assert _admin_login(client, "quantri", "sai-mat-khau").status_code == 200
    response = _admin_login(client, "quantri", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_admin_failures_count_per_address_for_every_account(superuser, client, settings):
    """Past the address limit a wrong password is refused as throttled (it never reaches the password check of the
    account's counter limit), but another account's right password from that address still gets in."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    StaffFactory(username="quantri2", is_staff=True, is_superuser=True)
    for number in range(3):
        _admin_login(client, f"khong-co-{number}", "sai", REMOTE_ADDR="10.0.0.9")
    from dichvucong.accounts.login_throttle import login_throttle

    assert login_throttle("quantri2", "10.0.0.9").address_locked
    assert not login_throttle("quantri2", "10.0.0.10").address_locked
    _admin_login(client, "quantri2", PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert "_auth_user_id" in client.session


def test_admin_failures_throttle_the_api_token_too(superuser, api_client):
    for _ in range(3):
        _admin_login(api_client, "quantri", "sai")
    response = api_client.post("/api/v1/auth/token/", {"username": "quantri", "password": PASSWORD}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "login_throttled"


def test_behind_a_trusted_proxy_the_admin_throttle_counts_the_forwarded_client(superuser, client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(3):
        _admin_login(client, "quantri", "sai", HTTP_X_FORWARDED_FOR="203.0.113.1")
    from dichvucong.accounts.login_throttle import login_throttle

    assert login_throttle("x", "203.0.113.1") == login_throttle("x", "203.0.113.2")  # address limit not reached
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    assert login_throttle("x", "203.0.113.1").address_locked  # counted for the forwarded client...
    assert not login_throttle("x", "203.0.113.2").address_locked  # ...not for the proxy's other clients
    assert not login_throttle("x", "127.0.0.1").address_locked


def test_without_a_request_only_the_username_is_counted(superuser):
    for _ in range(3):
        assert authenticate(username="quantri", password="sai") is None
    assert authenticate(username="quantri", password=PASSWORD) is None  # the account is throttled
    assert authenticate(username="khac", password="sai") is None
    assert isinstance(ThrottledModelBackend(), ThrottledModelBackend)

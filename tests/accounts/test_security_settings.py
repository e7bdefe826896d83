import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from dichvucong.settings_guard import check_production_settings

GOOD_KEY = "k" * 50
ROOT = Path(__file__).resolve().parents[2]


class TestProductionGuard:
    def test_production_refuses_a_missing_secret_key(self):
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
            check_production_settings(
                environment="production", secret_key="", debug=False, allowed_hosts=["dichvucong.hungyen.gov.vn"]
            )

    def test_production_refuses_the_development_key(self):
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
            check_production_settings(
                environment="production",
                secret_key="insecure-dev-only-" + "x" * 40,
                debug=False,
                allowed_hosts=["a.gov.vn"],
            )

    def test_production_refuses_debug(self):
        with pytest.raises(ImproperlyConfigured, match="DEBUG"):
            check_production_settings(
                environment="production", secret_key=GOOD_KEY, debug=True, allowed_hosts=["a.gov.vn"]
            )

    def test_production_refuses_open_hosts(self):
        with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
            check_production_settings(environment="production", secret_key=GOOD_KEY, debug=False, allowed_hosts=["*"])

    def test_production_with_safe_settings_starts(self):
        check_production_settings(
            environment="production", secret_key=GOOD_KEY, debug=False, allowed_hosts=["dichvucong.hungyen.gov.vn"]
        )

    def test_development_is_not_guarded(self):
        check_production_settings(environment="development", secret_key="", debug=True, allowed_hosts=[])

    def _run_check(self, **env):
        full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
        full_env.update(env)
        return subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
        )

    def test_the_real_settings_module_refuses_to_start_in_production_without_a_key(self):
        result = self._run_check(DJANGO_ENV="production", ALLOWED_HOSTS="a.gov.vn")
        assert result.returncode != 0
        assert "Refusing to start in production" in result.stderr

    def test_the_real_settings_module_refuses_debug_in_production(self):
        result = self._run_check(DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, DEBUG="1", ALLOWED_HOSTS="a.gov.vn")
        assert result.returncode != 0
        assert "DEBUG must be off" in result.stderr


def test_passwords_are_hashed_with_argon2_in_production_settings():
    # tests/conftest.py swaps in a fast hasher per test; the configured first hasher is Argon2.
    from dichvucong import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_argon2_hashes_a_real_password(settings):
    from dichvucong import settings as project_settings
    from tests.factories import CitizenFactory

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = CitizenFactory()
    assert user.password.startswith("argon2$")


def test_session_and_csrf_cookies_are_hardened():
    assert django_settings.SESSION_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert django_settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.django_db
def test_every_page_carries_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_form_action_allows_the_payment_platform_and_nothing_else(client, settings):
    """The pay button posts here and is redirected to the platform: without its origin in form-action, browsers
    block the redirect (found by the browser journey)."""
    settings.CSP_FORM_ACTION_ORIGINS = ["https://thanhtoan.dichvucong.gov.vn"]
    policy = client.get("/")["Content-Security-Policy"]
    assert "form-action 'self' https://thanhtoan.dichvucong.gov.vn;" in policy
    assert "default-src 'self';" in policy and "script-src 'self';" in policy

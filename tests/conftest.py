import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, CitizenFactory, StaffFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (see tests/accounts/test_security_settings.py); tests use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def demo(db):
    """The Hưng Yên demo data (agencies and accounts), loaded through the real loader."""
    from dichvucong.demo.loader import load_demo

    return load_demo()


@pytest.fixture
def province(db):
    return AgencyFactory.province()


@pytest.fixture
def citizen(db):
    return CitizenFactory()


@pytest.fixture
def make_staff(db):
    def make(role: str, agency=None, **kwargs):
        return StaffFactory(roles=[(role, agency)], **kwargs)

    return make


def auth_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client

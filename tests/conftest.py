"""Fixtures shared by every test package (docs/adr/0008-test-scaffolding.md). Conftests do not import one another:
what several packages need lives here or in the factories (`tests/factories.py`, `tests/<context>/factories.py`)."""

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from dichvucong.payments.simulator import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET, RunningSimulator
from tests.factories import AgencyFactory, CitizenFactory, StaffFactory, auth_client  # noqa: F401 (auth_client: re-export)
from tests.module_demo import is_transactional, module_demo, uses_module_demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing_session():
    """Argon2 is the production hasher (tests/accounts/test_security_settings.py); tests use a fast one, from the
    start of the session so that data built outside a test (the module demo) is hashed fast too."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _outbox_delivered_by_the_tests(settings):
    """No outbox worker runs during the tests (no thread, no broker): a test delivers with
    `dichvucong.integrations.outbox.deliver_due()` or starts its own worker (tests/integrations)."""
    settings.INTEGRATIONS_DELIVERY = "manual"


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


# --- the demo ---------------------------------------------------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's ordering: inside each run of consecutive tests of one module, the tests that use the
    module demo go last (they share one load; the others must not see it), and each gets `_module_demo` as its first
    fixture, so that the module's transaction is open before pytest-django opens the test's own (a savepoint)."""
    ordered, run = [], []
    for item in items:
        if run and run[-1].path != item.path:
            ordered += sorted(run, key=lambda i: (is_transactional(i), uses_module_demo(i)))
            run = []
        run.append(item)
    ordered += sorted(run, key=lambda i: (is_transactional(i), uses_module_demo(i)))
    items[:] = ordered
    for item in items:
        if uses_module_demo(item):
            item.fixturenames.insert(0, "_module_demo")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Leaving the module, or reaching a test that does not use the module demo: roll the module demo back first."""
    if module_demo.key is not None and (module_demo.key != str(item.path) or not uses_module_demo(item)):
        module_demo.close()


@pytest.fixture(scope="session")
def _module_demo_session(_fast_password_hashing_session, django_db_setup, django_db_blocker):
    yield module_demo
    module_demo.close()


@pytest.fixture(scope="session")
def keystore_dir(tmp_path_factory):
    """The TEST signing keystore of the session (keys generated once); tests/results and tests/wallet use their own."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture
def _module_demo(request, _module_demo_session, django_db_blocker, tmp_path_factory, keystore_dir):
    key = str(request.node.path)
    if module_demo.key != key:
        module_demo.ensure(
            key, blocker=django_db_blocker, media_root=tmp_path_factory.mktemp("demo-media"), keystore_dir=keystore_dir
        )
    return module_demo.agency_pks


@pytest.fixture
def demo(request, db):
    """The Hưng Yên demo data (agencies, accounts, catalogue, processes, dossiers…), loaded through the real loader;
    returns {agency code: Agency}. Loaded once per module for ordinary tests (rolled back after the module, each test
    in its own savepoint, fresh Agency objects per test); loaded per test for transactional ones."""
    if "_module_demo" in request.fixturenames:
        from dichvucong.agencies.models import Agency

        pks = request.getfixturevalue("_module_demo")
        by_pk = Agency.objects.in_bulk(pks.values())
        return {code: by_pk[pk] for code, pk in pks.items()}
    from dichvucong.demo.loader import load_demo

    return load_demo()


# --- the payment platform simulator (payments, browser journeys) ---------------------------------------------


@pytest.fixture(scope="session")
def payment_simulator():
    simulator = RunningSimulator(port=0, merchants={DEFAULT_MERCHANT_CODE: DEFAULT_SECRET}, late_delay=0.3).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def gateway_settings(settings, payment_simulator):
    settings.PAYMENT_GATEWAY_URL = payment_simulator.url
    settings.PAYMENT_MERCHANT_CODE = DEFAULT_MERCHANT_CODE
    settings.PAYMENT_SHARED_SECRET = DEFAULT_SECRET
    settings.PAYMENT_GATEWAY_CLASS = "dichvucong.payments.gateway.NationalPaymentPlatformClient"
    return settings


# --- people and places --------------------------------------------------------------------------------------------


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


# --- a real SMTP server: e-mails (verification, password reset, alerts) are actually received -------------------


class _SmtpInbox:
    """aiosmtpd handler keeping every received message as an `email.message.EmailMessage` (policy.default)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class _PortZeroController(Controller):
    """aiosmtpd's Controller on port 0: learn the port the OS gave before the readiness check connects to it."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server(settings):
    """A local SMTP server on a free port; Django sends to it. Yields an object with `.messages` and `.port`."""
    inbox = _SmtpInbox()
    controller = _PortZeroController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    inbox.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()

"""Fixtures of the integration platform's tests: the national portal and SMS simulators on free ports (one per
module, state reset per test), the settings pointing at them, fast retries."""

import pytest

from dichvucong.integrations.simulators import national_portal, sms


@pytest.fixture(scope="module")
def _portal_server():
    server = national_portal.running(port=0).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def _sms_server():
    server = sms.running(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def portal(_portal_server, settings):
    """The National Public Service Portal simulator (`.app` its state, `.url`), reset for the test."""
    _portal_server.app.reset()
    _portal_server.app.behaviour.set("normal", 0)
    settings.NATIONAL_PORTAL_URL = _portal_server.url
    settings.NATIONAL_PORTAL_TOKEN = national_portal.DEFAULT_TOKEN
    settings.NATIONAL_PORTAL_PUSH_SECRET = national_portal.DEFAULT_PUSH_SECRET
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 0
    settings.INTEGRATIONS_RETRY_CEILING_SECONDS = 0
    settings.INTEGRATIONS_TIMEOUT_SECONDS = 5
    return _portal_server


@pytest.fixture
def sms_gateway(_sms_server, settings):
    _sms_server.app.control_reset({})
    settings.SMS_GATEWAY_URL = _sms_server.url
    settings.SMS_API_KEY = sms.DEFAULT_API_KEY
    return _sms_server


class _WebhookReceiver(national_portal.SimulatorBase):
    """Another system of an agency: keeps every request it gets (headers and body); its mode makes it fail."""

    name = "webhook-receiver"

    def __init__(self):
        super().__init__()
        self.requests = []
        import re

        self.routes.append(("POST", re.compile(r"^/hook$"), self.hook))

    def hook(self, environ):
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
        self.requests.append({"headers": headers, "body": self.body(environ)})
        return national_portal.json_response(200, {"ok": True})


@pytest.fixture
def webhook_receiver():
    from dichvucong.integrations.simulators.base import RunningSimulator

    server = RunningSimulator(_WebhookReceiver(), port=0).start()
    yield server
    server.stop()

"""Payments fixtures: the payment simulator served over HTTP on a free port of 127.0.0.1 (never a mock)."""

import pytest

from dichvucong.payments.simulator import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET, RunningSimulator

from .helpers import CallbackRecorder


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


@pytest.fixture
def callback_recorder():
    recorder = CallbackRecorder()
    yield recorder
    recorder.stop()

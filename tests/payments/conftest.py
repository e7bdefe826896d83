"""Payments fixtures: the world of the payments tests, a callback recorder (the payment simulator, served over HTTP
on a free port of 127.0.0.1, never a mock, is in tests/conftest.py: the browser journeys use it too)."""

import pytest

from tests.payments.factories import make_dossier, payments_world  # noqa: F401 (the tests import make_dossier here)

from .helpers import CallbackRecorder


@pytest.fixture
def callback_recorder():
    recorder = CallbackRecorder()
    yield recorder
    recorder.stop()


@pytest.fixture
def world(db):
    """A department and a district with their officers, two citizens, a fee-bearing procedure, one dossier."""
    return payments_world()

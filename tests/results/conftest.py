"""Results fixtures: the results world (tests/results/factories.py) with the session's TEST keystore."""

import pytest

from tests.results.factories import (  # noqa: F401 (the tests import these from here)
    PDF,
    at_leader_step,
    issued,
    results_settings,
    results_world,
    signed,
    submitted,
    upload,
)


@pytest.fixture(scope="session")
def keystore_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("result-keys")


@pytest.fixture(autouse=True)
def _results_settings(settings, keystore_dir, tmp_path):
    results_settings(settings, keystore_dir=keystore_dir, media_root=tmp_path / "media")


@pytest.fixture
def world(db):
    return results_world()


# --- the postal carrier simulator (results sent by post) -------------------------------------------------------


@pytest.fixture(scope="session")
def postal_simulator():
    from dichvucong.results.postal_simulator import RunningPostalSimulator

    simulator = RunningPostalSimulator(port=0).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def postal_settings(settings, postal_simulator, live_server):
    """The app talks to the simulator, which calls the live server back."""
    from dichvucong.results.postal_simulator import DEFAULT_SECRET

    settings.POSTAL_CARRIER_URL = postal_simulator.url
    settings.POSTAL_CARRIER_SECRET = DEFAULT_SECRET
    settings.POSTAL_PUBLIC_BASE_URL = live_server.url
    return settings

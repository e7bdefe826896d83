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

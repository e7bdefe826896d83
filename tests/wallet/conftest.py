"""The wallet tests use the results world (a full-online procedure at Sở Tư pháp, signing officers, citizens)."""

import pytest

from tests.results.factories import results_settings, results_world


@pytest.fixture(scope="session")
def keystore_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("result-keys")


@pytest.fixture(autouse=True)
def _results_settings(settings, keystore_dir, tmp_path):
    results_settings(settings, keystore_dir=keystore_dir, media_root=tmp_path / "media")


@pytest.fixture
def world(db):
    return results_world()

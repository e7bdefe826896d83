"""Fixtures of the end-to-end tests; their helpers (the demo walked over the public API) are in helpers.py."""

import pytest

from tests.integration.helpers import (  # noqa: F401 (the tests import these from here)
    CITIZEN_CCCD,
    VANGIANG,
    VANLAM,
    act,
    actions,
    client,
    counter_dossier,
    district_procedure,
    sample_form,
    sample_value,
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path

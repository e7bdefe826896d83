"""The wallet tests use the results world (a full-online procedure at Sở Tư pháp, signing officers, citizens)."""

from tests.results.conftest import _results_settings, keystore_dir, world  # noqa: F401

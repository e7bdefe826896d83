"""Settings of the gunicorn process of benchmarks/http_side_by_side.py and benchmarks/locust_morning.py: the real
settings (taken from the environment as in production), the URLconf with the floor views (`_baseline_urls`)."""

from dichvucong.settings import *  # noqa: F403

ROOT_URLCONF = "_baseline_urls"

"""dichvucong: provincial online public services and one-stop system."""

from .celery import app as celery_app

__all__ = ["celery_app"]

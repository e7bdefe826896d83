"""Local simulator of the postal carrier (stdlib only, no Django): see `server.py`."""

from .server import DEFAULT_SECRET, RunningPostalSimulator

__all__ = ["DEFAULT_SECRET", "RunningPostalSimulator"]

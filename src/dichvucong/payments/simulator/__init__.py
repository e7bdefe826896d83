"""Local simulator of the national payment platform (stdlib only, no Django): see `server.py`."""

from .server import DEFAULT_MERCHANT_CODE, DEFAULT_SECRET, RunningSimulator, SimulatorApp

__all__ = ["DEFAULT_MERCHANT_CODE", "DEFAULT_SECRET", "RunningSimulator", "SimulatorApp"]

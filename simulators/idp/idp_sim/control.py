"""Test controls of the simulator: make the NEXT ID token wrong in one chosen way (local use only)."""

import threading

TAMPER_MODES = {
    "expired",
    "wrong_audience",
    "wrong_issuer",
    "wrong_nonce",
    "forged_signature",
    "other_person",
    "other_person_same_subject",
}

_lock = threading.Lock()
_next: list[str] = []


def arm(mode: str) -> None:
    with _lock:
        _next.append(mode)


def take() -> str | None:
    with _lock:
        return _next.pop(0) if _next else None


def reset() -> None:
    with _lock:
        _next.clear()

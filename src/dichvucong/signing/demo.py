"""Idempotent demo data of the signing context, called by dichvucong.demo.loader.load_demo."""


def load_demo(agencies: dict) -> None:
    """Nothing to load yet for this context."""

"""Idempotent demo data of the catalog context, called by dichvucong.demo.loader.load_demo."""


def load_demo(agencies: dict) -> None:
    """Nothing to load yet for this context."""

"""Idempotent demo data of the signing context, called by dichvucong.demo.loader.load_demo."""

from .demo_pki import demo_pki_init


def load_demo(agencies: dict) -> None:
    """The provincial TEST CA and certificates of the demo leaders and clerks (and their agencies' seals).

    Keys are kept in SIGNING_KEYSTORE_DIR, so after the first run this only re-registers them (no key generation).
    """
    demo_pki_init()

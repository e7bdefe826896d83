"""The Hưng Yên demo loaded once per test module, inside a transaction rolled back when the module ends.

`tests/conftest.py` wires it: a test that asks for `demo` and runs in pytest-django's ordinary transaction
(`db`, `django_db`) gets the demo of its module; a transactional test (`transactional_db`, `live_server`,
`django_db(transaction=True)`) loads its own, as before. See docs/adr/0008-test-scaffolding.md.

How: before the test's own transaction is opened, `ensure(item)` opens an outer `transaction.atomic()` and runs the
real loader once for the module; each test then runs in a savepoint of it (pytest-django's `db`), so what a test
changes is undone after it. When the next test belongs to another module, or is transactional, the outer
transaction is rolled back (`close()`), which also happens at the end of the session.
"""

from django.db import transaction
from django.test import override_settings

#: The passphrase of the test keystores (tests/signing, tests/results and the module demo share it).
KEYSTORE_PASSPHRASE = "test-keystore-passphrase"

#: Fixtures that make a test transactional (it cannot run inside the module's open transaction).
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def is_transactional(item) -> bool:
    if TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    from pytest_django.plugin import validate_django_db

    transactional, reset_sequences, _databases, serialized_rollback, _apps = validate_django_db(marker)
    return bool(transactional or reset_sequences or serialized_rollback)


def uses_module_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ()) and not is_transactional(item)


class ModuleDemo:
    """The one open module demo of this process (pytest runs one test at a time per process)."""

    def __init__(self) -> None:
        self.key = None
        self.agency_pks: dict[str, int] = {}
        self._atomic = None
        self._media = None
        self._blocker = None

    def ensure(self, key: str, *, blocker, media_root, keystore_dir) -> dict[str, int]:
        if self.key != key:
            self.close()
            self._open(key, blocker=blocker, media_root=media_root, keystore_dir=keystore_dir)
        return self.agency_pks

    def _open(self, key: str, *, blocker, media_root, keystore_dir) -> None:
        from dichvucong.demo.loader import load_demo

        self._blocker = blocker
        # The module's files and the signing keys of the package's tests (`keystore_dir`, generated once a session).
        self._media = override_settings(
            MEDIA_ROOT=media_root, SIGNING_KEYSTORE_DIR=keystore_dir, SIGNING_KEYSTORE_PASSPHRASE=KEYSTORE_PASSPHRASE
        )
        self._media.enable()
        with blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                agencies = load_demo()
            except BaseException:
                self.close()
                raise
        self.key = key
        self.agency_pks = {code: agency.pk for code, agency in agencies.items()}

    def close(self) -> None:
        if self._atomic is not None:
            with self._blocker.unblock():
                transaction.set_rollback(True)
                self._atomic.__exit__(None, None, None)
            self._atomic = None
        if self._media is not None:
            self._media.disable()
            self._media = None
        self.key, self.agency_pks = None, {}


module_demo = ModuleDemo()

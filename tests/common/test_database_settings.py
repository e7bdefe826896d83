"""The database settings read from the environment (docs/deployment.md: PgBouncer in transaction pooling)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])"
)


def _value(print_=PRINT, **env) -> str:
    full_env = {k: v for k, v in os.environ.items() if k not in ("DB_DISABLE_SERVER_SIDE_CURSORS", "DB_JIT")}
    full_env.update(DJANGO_SETTINGS_MODULE="dichvucong.settings", PYTHONPATH=str(ROOT / "src"), **env)
    result = subprocess.run(
        [sys.executable, "-c", print_], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_server_side_cursors_are_kept_by_default_and_disabled_for_pgbouncer():
    assert _value(DATABASE_URL="postgres://u@127.0.0.1:5432/x") == "False"
    assert _value(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_DISABLE_SERVER_SIDE_CURSORS="1") == "True"


OPTIONS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', '-'))"
)


def test_jit_is_off_per_connection_unless_the_server_decides():
    assert _value(OPTIONS, DATABASE_URL="postgres://u@127.0.0.1:5432/x") == "-c jit=off"
    assert _value(OPTIONS, DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_JIT="server") == "-"
    assert _value(OPTIONS, DATABASE_URL="sqlite:///x.db") == "-"


def test_jit_is_off_on_the_connection(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

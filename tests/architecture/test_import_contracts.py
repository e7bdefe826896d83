"""The import contracts of pyproject.toml (`[tool.importlinter]`, docs/adr/0006-web-layer.md) hold, so `make test`
fails on a forbidden import as `make check` and CI do. `lint-imports` runs on this checkout's `src` (PYTHONPATH),
whatever the venv's editable install points at."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed (dev dependencies)")


def lint_imports(contract: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--contract", contract],
        cwd=ROOT,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_kept(contract: str) -> None:
    result = lint_imports(contract)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_no_import_cycle_between_the_apps():
    assert_kept("acyclic-apps")


def test_the_apps_are_layered():
    assert_kept("app-layers")


def test_the_domain_never_imports_the_web_layer():
    assert_kept("domain-not-web")


def test_a_domain_module_importing_a_view_breaks_the_contract(tmp_path):
    """The custom contract itself (tools/import_contracts.py) catches what it is for: a copy of the package where a
    service imports another app's views."""
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "dichvucong",
        src / "dichvucong",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "data", "fonts"),
    )
    services = src / "dichvucong" / "catalog" / "services.py"
    services.write_text(services.read_text() + "\nfrom dichvucong.dossiers.views import lookup  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "tools", tmp_path / "tools")
    env = {**os.environ, "PYTHONPATH": str(src)}
    result = subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--contract", "domain-not-web"],
        cwd=tmp_path,  # noqa: S603
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "dichvucong.catalog.services -> dichvucong.dossiers.views" in result.stdout

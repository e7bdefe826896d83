"""Shared machinery of the benchmark scripts (not a test: nothing here asserts a time).

- `setup(args)`: points Django at the benchmark database (PostgreSQL on 127.0.0.1 or a SQLite file), creates the
  PostgreSQL database if needed, migrates it, turns DEBUG off and mounts the baseline views beside the real URLs.
- `Side`: one thing being timed (the app endpoint, the bare Django view, the raw SQL); `run_interleaved` times
  the sides round-robin in the same loop, so background load on the machine hits every side alike.
- `Raw`: a DB-API connection of its own (psycopg 3 for PostgreSQL, sqlite3 for SQLite) for the database floor.
- `Report`: collects markdown tables and EXPLAIN plans, prints them and writes var/benchmarks/<name>-<vendor>.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dcv_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def parse_args(description: str, default_sizes: str, *, requests: int = 100, extra=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default=default_sizes, help="comma-separated data sizes, e.g. 1000,10000,100000")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="postgres://...@127.0.0.1/... or sqlite:///var/bench.sqlite3",
    )
    parser.add_argument("--requests", type=int, default=requests, help="timed requests per side and case")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per side before timing")
    if extra:
        extra(parser)
    args = parser.parse_args()
    args.size_list = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    return args


# --- Django and database setup ------------------------------------------------------------------------------


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(args) -> str:
    """Configure and migrate; returns the vendor ("postgresql" or "sqlite")."""
    url = args.database_url
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        if parsed.hostname not in LOCAL_HOSTS:
            raise SystemExit(f"Benchmarks only talk to 127.0.0.1, not {parsed.hostname}.")
        _ensure_postgres_database(url)
    elif not parsed.scheme.startswith("sqlite"):
        raise SystemExit("--database-url must be postgres://...@127.0.0.1/... or sqlite:///path")
    else:
        (ROOT / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dichvucong.settings")
    os.environ["DEBUG"] = "0"  # production-like: no query log, no debug pages
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    os.environ.setdefault("DCV_VAR_DIR", str(ROOT / "var" / "bench"))
    (Path(os.environ["DCV_VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0, interactive=False)
    override_settings(ROOT_URLCONF="_baseline_urls").enable()
    from django.db import connection

    return connection.vendor


def reset_tables(*tables: str) -> None:
    """Empty the benchmark tables (and what depends on them). Only ever run against the benchmark database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            cursor.execute("PRAGMA foreign_keys = ON")


def analyze() -> None:
    """Statistics, and on PostgreSQL the visibility map too (VACUUM): after a bulk load, index-only scans are
    possible only once the table has been vacuumed, as autovacuum does in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")


def clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


# --- Raw DB-API connection (database floor) ----------------------------------------------------------------


class Raw:
    """A separate connection: psycopg 3 (PostgreSQL) or sqlite3, autocommit, `%s` placeholders on both."""

    def __init__(self, url: str):
        parsed = urlparse(url)
        self.vendor = "postgresql" if parsed.scheme.startswith("postgres") else "sqlite"
        if self.vendor == "postgresql":
            import psycopg

            self.conn = psycopg.connect(url, autocommit=True)
        else:
            import sqlite3

            path = url.split("sqlite:///", 1)[1]
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)

    def _sql(self, sql: str) -> str:
        return sql if self.vendor == "postgresql" else sql.replace("%s", "?")

    def _run(self, sql: str, params):
        cur = self.conn.cursor()
        if params is None:  # a complete statement (e.g. captured from Django): no placeholders to parse
            cur.execute(sql)
        else:
            cur.execute(self._sql(sql), params)
        return cur

    def fetchall(self, sql: str, params=None):
        return self._run(sql, params).fetchall()

    def fetchone(self, sql: str, params=None):
        return self._run(sql, params).fetchone()

    def execute(self, sql: str, params=None) -> None:
        self._run(sql, params)

    def transaction(self, statements: Callable[[Raw], None]) -> None:
        if self.vendor == "postgresql":
            with self.conn.transaction():
                statements(self)
        else:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                statements(self)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def explain(self, sql: str) -> str:
        if self.vendor != "postgresql":
            return "\n".join(str(row) for row in self.fetchall("EXPLAIN QUERY PLAN " + sql))
        rows = self.fetchall("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join(row[0] for row in rows)

    def close(self) -> None:
        self.conn.close()


# --- Timing -------------------------------------------------------------------------------------------------


@dataclass
class Side:
    name: str
    call: Callable[[], object]
    before: Callable[[], None] | None = None  # untimed preparation before each call (e.g. clear a throttle)
    samples: list[float] = field(default_factory=list)


def run_interleaved(sides: list[Side], *, requests: int, warmup: int) -> dict[str, dict]:
    """Time every side `requests` times, round-robin; returns {name: {"median", "p95", "mean", "n"}} in ms."""
    for side in sides:
        side.samples = []
        for _ in range(warmup):
            if side.before:
                side.before()
            side.call()
    for _ in range(requests):
        for side in sides:
            if side.before:
                side.before()
            start = time.perf_counter()
            side.call()
            side.samples.append((time.perf_counter() - start) * 1000)
    return {side.name: summarise(side.samples) for side in sides}


def summarise(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "mean": statistics.fmean(ordered), "n": len(ordered)}


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def count_queries(call: Callable[[], object]) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def check_response(response, expected: int = 200):
    if response.status_code != expected:
        body = getattr(response, "content", b"")[:500]
        raise SystemExit(f"Unexpected {response.status_code} (expected {expected}): {body!r}")
    return response


def fmt(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "–"


# --- Machine description and report ------------------------------------------------------------------------


def machine(raw: Raw) -> str:
    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    if raw.vendor == "postgresql":
        db = raw.fetchone("SHOW server_version")[0]
        settings = {name: raw.fetchone(f"SHOW {name}")[0] for name in ("shared_buffers", "work_mem")}
        db = f"PostgreSQL {db} (shared_buffers {settings['shared_buffers']}, work_mem {settings['work_mem']})"
    else:
        db = f"SQLite {raw.fetchone('select sqlite_version()')[0]}"
    load = os.getloadavg()
    import django

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip()
    except OSError:
        commit = "?"
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem_kb // 1024} MiB RAM, {db}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, commit {commit}, load average at start {load[0]:.2f}/{load[1]:.2f}"
    )


class Report:
    def __init__(self, name: str, vendor: str, raw: Raw):
        self.name, self.vendor = name, vendor
        self.lines = [
            f"## {name} ({vendor})",
            "",
            f"Run {datetime.datetime.now().isoformat(timespec='seconds')} on {machine(raw)}.",
            "",
        ]

    def text(self, *lines: str) -> None:
        self.lines.extend(lines)
        for line in lines:
            print(line, flush=True)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        self.text(*out, "")

    def plan(self, title: str, plan: str) -> None:
        self.text(f"{title}:", "", "```", plan, "```", "")

    def save(self) -> Path:
        out_dir = ROOT / "var" / "benchmarks"
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{self.name}-{self.vendor}.md"
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        print(f"\nwritten to {path.relative_to(ROOT)}")
        return path

"""Issue 19 item 5: the HTTP side-by-side benchmark. gunicorn (the production server: gthread, 2 workers × 4 threads)
serves the real URLs plus the constant floor view `/bench/floor/` (`_baseline_urls`); wrk, a separate process,
drives each case with 16 connections for `--duration` seconds; the cases alternate round after round, so the
machine's load hits every case alike. The writes have a second floor: the same writes as a submission done by hand
on raw psycopg connections (16 threads, `dossier_submit.RawWriter.same_writes`).

    .venv/bin/python benchmarks/http_side_by_side.py --sizes 35000,1000000,10000000 --duration 10 --rounds 3

Each size has its own database `<--database-prefix>_<size label>` (dcv_bench_35k, dcv_bench_1m, dcv_bench_10m),
built with `_dossier_data.World().grow(n)` plus the timeline events (`grow_world.py`) the first time and reused
afterwards (10M takes about an hour: build it beforehand with grow_world.py under nohup). Prints a markdown table
and writes it to var/benchmarks/http_side_by_side.md. Nothing here reads the JSON beyond the status code, so list
pagination may change (`next` as a cursor URL) without breaking it.

Cases (100 records per page for the lists):
- `district list`: `GET /api/v1/dossiers/?page_size=100` as the one-stop officer of a district (bench.reception);
- `province list`: the same as the province monitor (bench.monitor: sees every dossier);
- `status read`: `GET /api/v1/dossiers/<code>/` by the district officer, over 200 of his dossiers;
- `lookup`: `GET /api/v1/lookup/?code=&id_number=` (public; the throttle raised for the run), over 200 dossiers;
- `desk queue`: the officer's desk page `/can-bo/cong-viec/` (session cookie);
- `submission`: `POST /api/v1/dossiers/` by a citizen (token), no attachments;
- `floor`: `/bench/floor/`, a constant JSON view in the same server;
- `drf floor`: `/bench/drf-floor/`, the same constant through a DRF APIView (no authentication, no throttle);
- `raw same writes`: the submission's writes by hand on psycopg (no HTTP).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
DEFAULT_PREFIX = "postgres://postgres@127.0.0.1:5432/dcv_bench"
CASES = [
    "district list",
    "province list",
    "status read",
    "lookup",
    "desk queue",
    "submission",
    "floor",
    "drf floor",
    "raw same writes",
]


def print_round(round_no: int, case: str, r: dict) -> None:
    """One line per case and round: req/s, wrk's p50 and p95, errors."""
    rps = r["requests"] / (r["duration_us"] / 1e6)
    print(
        f"  round {round_no + 1} {case}: {rps:.1f} req/s, p50 {r['p50_us'] / 1000:.1f} ms, "
        f"p95 {r['p95_us'] / 1000:.1f} ms, errors {r['status_errors'] + r['timeouts']}",
        flush=True,
    )


def label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def server_env(database_url: str, app_root: Path = ROOT) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="_bench_settings",
        PYTHONPATH=os.pathsep.join([str(Path(app_root) / "src"), str(HERE)]),
        DEBUG="0",
        DB_CONN_MAX_AGE="600",
        LOOKUP_THROTTLE_RATE="100000000/min",
        DCV_VAR_DIR=str(ROOT / "var" / "bench"),
    )
    return env


# --- in-process helpers (run in a subprocess with Django set up on one database) -----------------------------


def _django(database_url: str) -> None:
    import _harness as h

    h.setup(argparse.Namespace(database_url=database_url))


def prepare(database_url: str, citizens: int = 0) -> dict:
    """Tokens, a session cookie, the paths of each case (printed as JSON for the driver); with `citizens`, that
    many citizens' tokens too (the locust scenario)."""
    _django(database_url)
    from django.test import Client

    from dichvucong.accounts.models import User
    from dichvucong.accounts.services import api_token_issue
    from dichvucong.agencies.models import Agency
    from dichvucong.dossiers.models import Dossier

    reception = User.objects.get(username="bench.reception")
    monitor = User.objects.get(username="bench.monitor")
    citizen = User.objects.filter(username="cd000000").first() or User.objects.filter(kind="citizen").first()
    district = Agency.objects.get(code="000.00.60.H31")
    tokens = {u.username: api_token_issue(user=u, name="http-bench")[1] for u in (reception, monitor, citizen)}
    ids = list(Dossier.objects.filter(agency=district).order_by("-pk").values_list("pk", flat=True)[:20000:100])
    codes = list(Dossier.objects.filter(pk__in=ids).values_list("code", "applicant_id_number"))
    client = Client()
    client.force_login(reception)
    from dichvucong.catalog.models import Procedure

    procedure = Procedure.objects.order_by("code").first()
    citizen_tokens = [
        api_token_issue(user=u, name="http-bench")[1]
        for u in User.objects.filter(kind="citizen").order_by("pk")[:citizens]
    ]
    return {
        "citizen_tokens": citizen_tokens,
        "procedures": list(Procedure.objects.order_by("code").values_list("code", flat=True)),
        "tokens": tokens,
        "reception": reception.username,
        "monitor": monitor.username,
        "citizen": citizen.username,
        "cookie": f"sessionid={client.cookies['sessionid'].value}",
        "codes": codes,
        "submission": {
            "procedure": procedure.code,
            "agency": district.code,
            "form_data": {"child_name": "Nguyễn Văn Bình", "birth_date": "2024-03-01"},
        },
        "dossiers": Dossier.objects.count(),
    }


def raw_writes(database_url: str, duration: float, threads: int) -> dict:
    """The submission's writes by hand (`dossier_submit.RawWriter.same_writes`), `threads` connections."""
    _django(database_url)
    from types import SimpleNamespace

    import dossier_submit

    from dichvucong.accounts.models import User
    from dichvucong.agencies.models import Agency
    from dichvucong.catalog.models import Procedure

    district = Agency.objects.get(code="000.00.61.H31")
    # Its own code prefix: the generated dossiers already hold that district's codes of today.
    world = SimpleNamespace(
        districts=[None, SimpleNamespace(pk=district.pk, code=f"{district.code}R")],
        procedures=[Procedure.objects.order_by("code").first()],
        citizens=[User.objects.filter(kind="citizen").order_by("pk").first()],
    )
    writers = [dossier_submit.RawWriter(database_url, world) for _ in range(threads)]
    samples: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    stop = time.perf_counter() + duration

    def work(i: int) -> None:
        try:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                writers[i].same_writes()
                samples[i].append((time.perf_counter() - start) * 1e6)
        except BaseException as exc:  # reported below
            errors.append(exc)

    began = time.perf_counter()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    flat = sorted(s for thread in samples for s in thread)
    return {
        "requests": len(flat),
        "duration_us": int(elapsed * 1e6),
        "p50_us": int(flat[len(flat) // 2]) if flat else 0,
        "p95_us": int(flat[min(len(flat) - 1, int(0.95 * len(flat)))]) if flat else 0,
        "status_errors": 0,
        "timeouts": 0,
        "socket_errors": 0,
    }


# --- the driver ----------------------------------------------------------------------------------------------


class Server:
    """gunicorn as a process of its own (its own process group, stopped by its pid)."""

    def __init__(self, database_url: str, port: int, workers: int, threads: int, log: Path, app_root: Path = ROOT):
        self.port = port
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "dichvucong.wsgi:application",
                "--worker-class",
                "gthread",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--keep-alive",
                "5",
            ],
            env=server_env(database_url, app_root),
            cwd=app_root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/bench/floor/"), timeout=5).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not answer on port {port}: see {log}")

    def drain(self, limit: float = 180.0, path: str = "/bench/floor/") -> None:
        """Wait until the requests wrk left in flight are served: the floor view (`path`) answers at once again."""
        deadline = time.time() + limit
        while time.time() < deadline:
            start = time.perf_counter()
            with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
                urllib.request.urlopen(self.url(path), timeout=limit).read()
            if time.perf_counter() - start < 0.25:
                return
            time.sleep(0.5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def case_specs(fixture: dict, tmp: Path) -> dict[str, dict]:
    """{case: {method, paths file, env}} for wrk."""
    tokens = fixture["tokens"]

    def paths_file(name: str, paths: list[str]) -> str:
        path = tmp / f"{name}.paths"
        path.write_text("\n".join(paths) + "\n", encoding="utf-8")
        return str(path)

    from urllib.parse import urlencode

    body = tmp / "submission.json"
    body.write_text(json.dumps(fixture["submission"], ensure_ascii=False), encoding="utf-8")
    officer = f"Token {tokens[fixture['reception']]}"
    return {
        "district list": {"paths": paths_file("district", ["/api/v1/dossiers/?page_size=100"]), "auth": officer},
        "province list": {
            "paths": paths_file("province", ["/api/v1/dossiers/?page_size=100"]),
            "auth": f"Token {tokens[fixture['monitor']]}",
        },
        "status read": {
            "paths": paths_file("read", [f"/api/v1/dossiers/{code}/" for code, _ in fixture["codes"]]),
            "auth": officer,
        },
        "lookup": {
            "paths": paths_file(
                "lookup",
                [f"/api/v1/lookup/?{urlencode({'code': c, 'id_number': n})}" for c, n in fixture["codes"]],
            )
        },
        "desk queue": {"paths": paths_file("desk", ["/can-bo/cong-viec/"]), "cookie": fixture["cookie"]},
        "submission": {
            "paths": paths_file("submit", ["/api/v1/dossiers/"]),
            "method": "POST",
            "auth": f"Token {tokens[fixture['citizen']]}",
            "body": str(body),
            "content_type": "application/json",
        },
        "floor": {"paths": paths_file("floor", ["/bench/floor/"])},
        "drf floor": {"paths": paths_file("drf-floor", ["/bench/drf-floor/"])},
    }


def check_case(server: Server, spec: dict) -> str:
    """One request of the case with urllib: its status (and the size of the answer)."""
    path = Path(spec["paths"]).read_text(encoding="utf-8").splitlines()[0]
    data = Path(spec["body"]).read_bytes() if spec.get("body") else None
    request = urllib.request.Request(server.url(path), data=data, method=spec.get("method", "GET"))
    for key, header in (("auth", "Authorization"), ("cookie", "Cookie"), ("content_type", "Content-Type")):
        if spec.get(key):
            request.add_header(header, spec[key])
    for header, value in spec.get("headers", {}).items():
        request.add_header(header, value)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return f"{response.status} ({len(response.read())} bytes)"
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{path}: {exc.code} {exc.read()[:300]!r}") from exc


def run_wrk(server: Server, spec: dict, *, duration: int, connections: int, threads: int) -> dict:
    env = dict(os.environ, WRK_PATHS=spec["paths"], WRK_METHOD=spec.get("method", "GET"))
    for key, var in (("auth", "WRK_AUTH"), ("cookie", "WRK_COOKIE"), ("body", "WRK_BODY")):
        if spec.get(key):
            env[var] = spec[key]
    if spec.get("content_type"):
        env["WRK_CONTENT_TYPE"] = spec["content_type"]
    if spec.get("headers"):
        env["WRK_HEADERS"] = "\n".join(f"{k}: {v}" for k, v in spec["headers"].items())
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "60s",
            "-s",
            str(HERE / "wrk_case.lua"),
            server.url("/"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    return json.loads(line.removeprefix("WRKJSON "))


def in_subprocess(mode: str, database_url: str, *extra: str) -> dict:
    out = subprocess.run(
        [PYTHON, __file__, f"--{mode}", "--database-url", database_url, *extra],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_size(size: int, args) -> tuple[list[list[str]], str]:
    url = args.database_url or f"{args.database_prefix}_{label(size)}"
    grow = [PYTHON, str(HERE / "grow_world.py"), "--size", str(size), "--events", "--database-url", url]
    print(f"== {size:,} dossiers: {url}", flush=True)
    subprocess.run(grow, check=True, cwd=ROOT)
    fixture = in_subprocess("prepare", url)
    load_before = os.getloadavg()
    results: dict[str, list[dict]] = {case: [] for case in args.case_list}
    with tempfile.TemporaryDirectory(prefix="http-bench-") as tmpdir:
        tmp = Path(tmpdir)
        specs = case_specs(fixture, tmp)
        log = ROOT / "var" / "benchmarks" / f"gunicorn-{label(size)}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        server = Server(url, args.port, args.workers, args.threads, log, Path(args.app_root))
        try:
            for case in args.case_list:
                if case in specs:
                    print(f"  check {case}: {check_case(server, specs[case])}", flush=True)
            for round_no in range(args.rounds):
                for case in args.case_list:
                    if case == "raw same writes":
                        r = in_subprocess(
                            "raw-writes",
                            url,
                            "--duration",
                            str(args.duration),
                            "--connections",
                            str(args.connections),
                        )
                    else:
                        r = run_wrk(
                            server,
                            specs[case],
                            duration=args.duration,
                            connections=args.connections,
                            threads=args.wrk_threads,
                        )
                    server.drain()
                    results[case].append(r)
                    print_round(round_no, case, r)
        finally:
            server.stop()
    load_after = os.getloadavg()
    summary = {}
    for case, runs in results.items():
        requests = sum(r["requests"] for r in runs)
        seconds = sum(r["duration_us"] for r in runs) / 1e6
        timed = [r for r in runs if r["requests"]]  # a round where nothing finished has no percentiles
        summary[case] = {
            "rps": requests / seconds if seconds else 0.0,
            "p50": statistics.median(r["p50_us"] for r in timed) / 1000 if timed else None,
            "p95": statistics.median(r["p95_us"] for r in timed) / 1000 if timed else None,
            "errors": sum(r["status_errors"] + r["timeouts"] + r["socket_errors"] for r in runs),
        }
    floor = summary.get("floor", {}).get("rps")
    raw = summary.get("raw same writes", {}).get("rps")
    rows = []
    for case, s in summary.items():
        if case == "submission" and raw:
            versus = f"{s['rps'] / floor:.3f} (raw same writes: {s['rps'] / raw:.2f})" if floor else "–"
        else:
            versus = f"{s['rps'] / floor:.3f}" if floor else "–"
        rows.append(
            [
                f"{fixture['dossiers']:,}",
                case,
                f"{s['rps']:.1f}",
                f"{s['p50']:.1f}" if s["p50"] is not None else f"> {args.duration * 1000}",
                f"{s['p95']:.1f}" if s["p95"] is not None else f"> {args.duration * 1000}",
                versus,
                str(s["errors"]),
            ]
        )
    load = (
        f"load average {load_before[0]:.2f}/{load_before[1]:.2f} before, {load_after[0]:.2f}/{load_after[1]:.2f} after"
    )
    return rows, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="35000,1000000,10000000")
    parser.add_argument("--duration", type=int, default=10, help="seconds per case and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--database-prefix", default=os.environ.get("BENCH_DATABASE_PREFIX", DEFAULT_PREFIX))
    # internal modes (a subprocess with Django set up on one database)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--raw-writes", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help="one database for the (single) size instead of <prefix>_<size label>")
    parser.add_argument(
        "--app-root",
        default=str(ROOT),
        help="the checkout whose src/ gunicorn serves (another worktree: a before/after run on the same data)",
    )
    parser.add_argument("--citizens", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.database_url, args.citizens)))
        return
    if args.raw_writes:
        print(json.dumps(raw_writes(args.database_url, args.duration, args.connections)))
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    args.case_list = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(args.case_list) - set(CASES)
    if unknown:
        raise SystemExit(f"unknown cases {sorted(unknown)}; known: {CASES}")
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=args.app_root
    ).stdout
    lines = [
        f"gunicorn gthread {args.workers}×{args.threads}, wrk {args.connections} connections, {args.rounds} rounds × "
        f"{args.duration} s per case, cases interleaved; commit {commit.strip()}; {os.cpu_count()} CPU. "
        "p50/p95: median over the rounds of wrk's percentiles. ÷ floor: req/s over the floor view's req/s.",
        "",
        "| dossiers | case | req/s | p50 ms | p95 ms | ÷ floor | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    loads = []
    for size in sizes:
        rows, load = measure_size(size, args)
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        loads.append(f"- {size:,}: {load}")
    text = "\n".join([*lines, "", *loads, ""])
    print("\n" + text)
    out = ROOT / "var" / "benchmarks" / "http_side_by_side.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

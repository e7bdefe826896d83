"""Where the time of one read goes, in process: the WSGI application of the gunicorn benchmark (same settings, same
URLconf, same middleware, DEBUG off) called directly, without sockets, N times per case, interleaved; prints µs per
request for each case and, with `--profile CASE`, cProfile's top functions for that case.

    .venv/bin/python benchmarks/http_side_by_side.py --prepare --database-url URL > var/fixture.json
    .venv/bin/python benchmarks/read_path_profile.py --database-url URL --fixture var/fixture.json \\
        --requests 400 --profile "status read"

Cases: `floor` (`/bench/floor/`), `drf floor` (`/bench/drf-floor/`), `status read` (the district officer's token,
over the fixture's codes), `status read 304` (the same with the ETag of a first answer), `lookup`, `lookup 304`.
One thread, no network: the figures are the server's own CPU and database time per request (docs/adr/0025).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def environ_for(path: str, headers: dict[str, str]) -> dict:
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8791",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "HTTP_HOST": "127.0.0.1:8791",
    }
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--fixture", required=True, help="the JSON of http_side_by_side.py --prepare")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", default="floor,drf floor,status read,status read 304,lookup,lookup 304")
    parser.add_argument("--profile", default="", help="a case to run under cProfile afterwards")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--app-root", default=str(ROOT), help="the checkout whose src/ is measured (before/after)")
    args = parser.parse_args()

    sys.path[:0] = [str(Path(args.app_root) / "src"), str(HERE)]
    from http_side_by_side import server_env

    os.environ.update(server_env(args.database_url, Path(args.app_root)))
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    fixture = json.loads(Path(args.fixture).read_text(encoding="utf-8"))
    officer = {"Authorization": f"Token {fixture['tokens'][fixture['reception']]}"}
    codes = fixture["codes"]
    reads = [f"/api/v1/dossiers/{code}/" for code, _ in codes]
    lookups = [f"/api/v1/lookup/?{urlencode({'code': c, 'id_number': n})}" for c, n in codes]
    statuses: dict[str, int] = {}

    def call(path: str, headers: dict[str, str]) -> tuple[int, dict]:
        seen = {}

        def start_response(status, response_headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            seen["headers"] = dict(response_headers)

        body = app(environ_for(path, headers), start_response)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        return seen["status"], seen["headers"]

    etags: dict[str, str] = {}
    for path in reads:
        etags[path] = call(path, officer)[1]["ETag"]
    for path in lookups:
        etags[path] = call(path, {})[1]["ETag"]

    def requests_of(case: str) -> list[tuple[str, dict]]:
        if case == "floor":
            return [("/bench/floor/", {})]
        if case == "drf floor":
            return [("/bench/drf-floor/", {})]
        if case == "status read":
            return [(p, officer) for p in reads]
        if case == "status read 304":
            return [(p, {**officer, "If-None-Match": etags[p]}) for p in reads]
        if case == "lookup":
            return [(p, {}) for p in lookups]
        if case == "lookup 304":
            return [(p, {"If-None-Match": etags[p]}) for p in lookups]
        raise SystemExit(f"unknown case {case}")

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    timings: dict[str, list[float]] = {c: [] for c in cases}
    cpu: dict[str, float] = dict.fromkeys(cases, 0.0)
    for _ in range(args.rounds):
        for case in cases:
            todo = requests_of(case)
            for i in range(args.requests):
                path, headers = todo[i % len(todo)]
                start, start_cpu = time.perf_counter(), time.thread_time()
                status, _ = call(path, headers)
                timings[case].append((time.perf_counter() - start) * 1e6)
                cpu[case] += time.thread_time() - start_cpu
                statuses[f"{case} {status}"] = statuses.get(f"{case} {status}", 0) + 1
    floor = statistics.median(timings["floor"]) if "floor" in timings else None
    print(f"load average {os.getloadavg()[0]:.2f}; statuses {statuses}")
    floor_cpu = cpu["floor"] / len(timings["floor"]) if "floor" in cpu else None
    print("| case | median µs | p90 µs | × floor | CPU µs (this process) | CPU × floor |\n|---|---|---|---|---|---|")
    for case, values in timings.items():
        values.sort()
        med = statistics.median(values)
        ratio = f"{med / floor:.1f}" if floor else "–"
        mean_cpu = cpu[case] / len(values) * 1e6
        cpu_ratio = f"{mean_cpu / (floor_cpu * 1e6):.1f}" if floor_cpu else "–"
        print(f"| {case} | {med:.0f} | {values[int(0.9 * len(values))]:.0f} | {ratio} | {mean_cpu:.0f} | {cpu_ratio} |")
    if args.profile:
        todo = requests_of(args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(args.requests):
            call(*todo[i % len(todo)])
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()

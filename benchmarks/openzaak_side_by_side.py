"""Issue 19: the list throughput side by side with Open Zaak 1.30 (the issue's baseline), over HTTP only.

Open Zaak runs on its own (its own venv, its own PostgreSQL databases on the same server, uwsgi 2 processes × 4
threads; docs/benchmarks.md, "Issue 19 — side by side with Open Zaak 1.30", has the steps); this script only talks
to it over HTTP with a JWT (HS256, its `client_id` + secret). Our side is served by gunicorn gthread 2 × 4 exactly
as benchmarks/http_side_by_side.py does (its functions are imported). wrk drives each case with 16 connections for
`--duration` seconds; the cases alternate round after round, so the machine's load hits every case alike.

    .venv/bin/python benchmarks/openzaak_side_by_side.py \\
        --database-urls postgres://postgres@127.0.0.1:5432/dcv_bench_35k,postgres://postgres@127.0.0.1:5432/dcv_bench_1m \\
        --openzaak-urls http://127.0.0.1:8035,http://127.0.0.1:8100 --duration 10 --rounds 3

Cases (100 records per page for every list):
- `our district list`: `GET /api/v1/dossiers/?page_size=100` as the one-stop officer of a district (sees a part);
- `our province list`: the same as the province monitor (sees every dossier);
- `OZ restricted list`: `GET /zaken/api/v1/zaken?page=1` (page size 100) as an applicatie authorised for one
  zaaktype (`--openzaak-restricted-client`), the district officer's counterpart;
- `OZ all list`: the same as an applicatie with `heeft_alle_autorisaties` (`--openzaak-all-client`), the province
  monitor's counterpart;
- `our status read`: `GET /api/v1/dossiers/<code>/` by the district officer, over 200 of his dossiers;
- `OZ zaak read`: `GET /zaken/api/v1/zaken/<uuid>` by the restricted applicatie, over the zaken of its first page;
- `our floor`: `/bench/floor/`, a constant JSON view in our server.

Prints a markdown table (req/s, p50, p95, errors per case, then ours ÷ Open Zaak per role) with the load average,
and writes it to var/benchmarks/openzaak_side_by_side.md. The tokens are made anew for every wrk run (Open Zaak
refuses a JWT older than JWT_EXPIRY, one hour by default).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import http_side_by_side as hs

OUR_CASES = {
    "our district list": "district list",
    "our province list": "province list",
    "our status read": "status read",
    "our floor": "floor",
}
OZ_CASES = ["OZ restricted list", "OZ all list", "OZ zaak read"]
CASES = [
    "our district list",
    "OZ restricted list",
    "our province list",
    "OZ all list",
    "our status read",
    "OZ zaak read",
    "our floor",
]
# ours ÷ Open Zaak: (what is compared, our case, its case)
PAIRS = [
    ("district officer / one zaaktype: list", "our district list", "OZ restricted list"),
    ("province monitor / all: list", "our province list", "OZ all list"),
    ("one record read", "our status read", "OZ zaak read"),
]
OZ_LIST = "/zaken/api/v1/zaken?page=1"
OZ_HEADERS = {"Accept-Crs": "EPSG:4326"}


def jwt_hs256(client_id: str, secret: str, now: float | None = None) -> str:
    """The JWT Open Zaak (vng-api-common) accepts: HS256 over the client id, the way its performance_test makes it."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64(
        json.dumps(
            {
                "iss": "dichvucong-bench",
                "iat": int(now if now is not None else time.time()),
                "client_id": client_id,
                "user_id": client_id,
                "user_representation": client_id,
            },
            separators=(",", ":"),
        ).encode()
    )
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


class OpenZaak:
    """A running Open Zaak, seen over HTTP (started and stopped elsewhere)."""

    def __init__(self, base_url: str, clients: dict[str, tuple[str, str]]):
        self.base = base_url.rstrip("/")
        self.clients = clients  # role -> (client_id, secret)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def auth(self, role: str) -> str:
        client_id, secret = self.clients[role]
        return f"Bearer {jwt_hs256(client_id, secret)}"

    def get_json(self, path: str, role: str) -> dict:
        request = urllib.request.Request(self.url(path), headers={"Authorization": self.auth(role), **OZ_HEADERS})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())

    # after a wrk run: wait until the API root answers at once again (nothing left in flight)
    drain = hs.Server.drain

    def settle(self) -> None:
        self.drain(path="/zaken/api/v1/")


def oz_specs(oz: OpenZaak, tmp: Path) -> dict[str, dict]:
    """{case: spec} for Open Zaak's cases (the same spec shape as http_side_by_side.case_specs); `role` says
    whose token the run gets."""

    def paths_file(name: str, paths: list[str]) -> str:
        path = tmp / f"{name}.paths"
        path.write_text("\n".join(paths) + "\n", encoding="utf-8")
        return str(path)

    first_page = oz.get_json(OZ_LIST, "restricted")
    zaken = [urlsplit(z["url"]).path for z in first_page["results"]]
    if not zaken:
        raise SystemExit("the restricted applicatie sees no zaak: check its autorisaties")
    return {
        "OZ restricted list": {"paths": paths_file("oz-restricted", [OZ_LIST]), "role": "restricted"},
        "OZ all list": {"paths": paths_file("oz-all", [OZ_LIST]), "role": "all"},
        "OZ zaak read": {"paths": paths_file("oz-read", zaken), "role": "restricted"},
    }


def summarise(runs: list[dict], connections: int) -> dict:
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    timed = [r for r in runs if r["requests"]]
    return {
        "rps": requests / seconds if seconds else 0.0,
        # wrk counts only the requests that end inside the window: with fewer than 5 a connection per round, the
        # ones cut off at the end weigh, and req/s is understated (then run longer: --duration)
        "short": requests < 5 * connections * len(runs),
        # closed loop, no think time: throughput ≈ clients ÷ response time (Little's law), cut-offs do not bias it
        "little": connections / (statistics.median(r["p50_us"] for r in timed) / 1e6) if timed else 0.0,
        "p50": statistics.median(r["p50_us"] for r in timed) / 1000 if timed else None,
        "p95": statistics.median(r["p95_us"] for r in timed) / 1000 if timed else None,
        "errors": sum(r["status_errors"] + r["timeouts"] + r["socket_errors"] for r in runs),
    }


def wait_port_free(port: int, limit: float = 120.0) -> None:
    """A gunicorn of an earlier run may still be finishing its requests on the port: wait it out (otherwise the
    new one fails to bind and the readiness check answers from the old one)."""
    deadline = time.time() + limit
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
                return
            except OSError:
                if time.time() > deadline:
                    raise SystemExit(f"port {port} stays in use: give another --port") from None
        time.sleep(1)


def uptime() -> str:
    out = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    return out or "load average {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


def measure(database_url: str, oz: OpenZaak, args) -> tuple[list[str], list[str], str]:
    size_label = database_url.rsplit("/", 1)[-1]
    print(f"== ours: {database_url}; Open Zaak: {oz.base}", flush=True)
    fixture = hs.in_subprocess("prepare", database_url)
    counts = {
        role: oz.get_json(OZ_LIST, role).get("count") for role in ("restricted", "all")
    }  # FUZZY_PAGINATION makes these approximate above its limit
    load_before = uptime()
    results: dict[str, list[dict]] = {case: [] for case in args.case_list}
    with tempfile.TemporaryDirectory(prefix="oz-bench-") as tmpdir:
        tmp = Path(tmpdir)
        ours = hs.case_specs(fixture, tmp)
        specs = {case: ours[name] for case, name in OUR_CASES.items()}
        specs.update(oz_specs(oz, tmp))
        log = hs.ROOT / "var" / "benchmarks" / f"gunicorn-oz-{size_label}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        wait_port_free(args.port)
        server = hs.Server(database_url, args.port, args.workers, args.threads, log)

        def target(case: str) -> tuple[object, dict]:
            spec = specs[case]
            if case in OZ_CASES:
                return oz, {**spec, "auth": oz.auth(spec["role"]), "headers": OZ_HEADERS}
            return server, spec

        try:
            for case in args.case_list:
                where, spec = target(case)
                print(f"  check {case}: {hs.check_case(where, spec)}", flush=True)
            for round_no in range(args.rounds):
                for case in args.case_list:
                    where, spec = target(case)
                    r = hs.run_wrk(
                        where, spec, duration=args.duration, connections=args.connections, threads=args.wrk_threads
                    )
                    if where is oz:
                        oz.settle()
                    else:
                        server.drain()
                    results[case].append(r)
                    hs.print_round(round_no, case, r)
        finally:
            server.stop()
    load_after = uptime()
    summary = {case: summarise(runs, args.connections) for case, runs in results.items()}
    sizes = f"ours {fixture['dossiers']:,} dossiers / Open Zaak count {counts['all']}"

    def ms(value: float | None) -> str:
        return f"{value:.1f}" if value is not None else f"> {args.duration * 1000}"

    rows = [
        f"| {size_label} | {case} | {s['rps']:.1f}{' †' if s['short'] else ''} | {s['little']:.1f} | {ms(s['p50'])} "
        f"| {ms(s['p95'])} | {s['errors']} |"
        for case, s in summary.items()
    ]
    ratios = []
    for what, mine, theirs in PAIRS:
        if mine in summary and theirs in summary:
            a, b = summary[mine], summary[theirs]
            ratio = f"{a['rps'] / b['rps']:.1f}×" if b["rps"] else "∞"
            little = f"{a['little'] / b['little']:.1f}×" if b["little"] else "∞"
            p50 = f"{a['p50']:.1f} / {b['p50']:.1f}" if a["p50"] and b["p50"] else "–"
            ratios.append(
                f"| {size_label} | {what} | {a['rps']:.1f} | {b['rps']:.1f} | {ratio} | **{little}** | {p50} |"
            )
    load = (
        f"- {size_label} ({sizes}; Open Zaak restricted count {counts['restricted']}): "
        f"before `{load_before}`; after `{load_after}`"
    )
    return rows, ratios, load


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-urls",
        default=os.environ.get("BENCH_DATABASE_URLS", ""),
        help="our databases (World, grown with grow_world.py), comma-separated, one per size",
    )
    parser.add_argument(
        "--openzaak-urls", default="", help="the running Open Zaak of each size, comma-separated, in the same order"
    )
    parser.add_argument(
        "--openzaak-all-client", default="superuser:superuser", help="client_id:secret with every right"
    )
    parser.add_argument(
        "--openzaak-restricted-client", default="district:district", help="client_id:secret for one zaaktype"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per case and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="our gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="our gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8792, help="our gunicorn's port")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--out", default=str(hs.ROOT / "var" / "benchmarks" / "openzaak_side_by_side.md"))
    args = parser.parse_args(argv)
    args.case_list = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(args.case_list) - set(CASES)
    if unknown:
        parser.error(f"unknown cases {sorted(unknown)}; known: {CASES}")
    args.database_list = [u.strip() for u in args.database_urls.split(",") if u.strip()]
    args.openzaak_list = [u.strip() for u in args.openzaak_urls.split(",") if u.strip()]
    if not args.database_list or len(args.database_list) != len(args.openzaak_list):
        parser.error("give as many --openzaak-urls as --database-urls (one Open Zaak per size)")
    for name in ("openzaak_all_client", "openzaak_restricted_client"):
        if ":" not in getattr(args, name):
            parser.error(f"--{name.replace('_', '-')} is client_id:secret")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    clients = {
        "all": tuple(args.openzaak_all_client.split(":", 1)),
        "restricted": tuple(args.openzaak_restricted_client.split(":", 1)),
    }
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=hs.ROOT, check=False
    ).stdout.strip()
    rows, ratios, loads = [], [], []
    for database_url, oz_url in zip(args.database_list, args.openzaak_list, strict=True):
        r, q, load = measure(database_url, OpenZaak(oz_url, clients), args)
        rows += r
        ratios += q
        loads.append(load)
    text = "\n".join(
        [
            f"Ours: gunicorn gthread {args.workers}×{args.threads}, commit {commit}. Open Zaak 1.30.0: as started "
            f"(uwsgi 2×4 in the documented set-up). wrk {args.connections} connections, {args.rounds} rounds × "
            f"{args.duration} s per case, cases interleaved; {os.cpu_count()} CPU, both on one PostgreSQL. "
            "p50/p95: median over the rounds of wrk's percentiles. †: fewer than 5 requests a connection per round "
            "ended inside the window, so req/s is understated (run with a longer --duration). ≈ 16 ÷ p50: the "
            "closed-loop throughput by Little's law (clients ÷ response time), which the window does not cut.",
            "",
            "| database | case | req/s (wrk) | ≈ 16 ÷ p50 | p50 ms | p95 ms | errors |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            "| database | role | ours req/s | Open Zaak req/s | ours ÷ OZ (wrk) | ours ÷ OZ (16 ÷ p50) "
            "| p50 ms ours / OZ |",
            "|---|---|---|---|---|---|---|",
            *ratios,
            "",
            *loads,
            "",
        ]
    )
    print("\n" + text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

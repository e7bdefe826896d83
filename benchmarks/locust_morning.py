"""Issue 19 item 6: a province's working morning on two cores, with locust (a separate process) against gunicorn.

Two roles in one file:
- the locustfile (locust imports it): citizens search the catalogue, upload a PDF and submit, look a dossier up;
  one-stop officers open their list of new dossiers and their desk, accept one and send it for processing
  (`start_processing`); monitors read the reports. Weights: citizens 6, officers 3, monitors 1; each user waits
  1–3 s between tasks (people, not a flood).
- the driver (`python benchmarks/locust_morning.py`): builds/uses a World database, starts gunicorn (gthread, 2 × 4)
  and runs locust headless at each step of `--users` for `--step-duration` seconds, then prints a markdown table
  of the step's request rate, p50/p95 and failures, and the highest rate whose p95 stayed under 1 s.

    .venv/bin/python benchmarks/locust_morning.py --size 1000000 --users 10,20,40,80,120 --step-duration 60

locust is not a dependency of the project: `--locust` names its executable (default: var/locust-venv/bin/locust,
made with `python3 -m venv var/locust-venv && var/locust-venv/bin/pip install locust`, or the `bench` extra).
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SEARCHES = ["khai sinh", "kết hôn", "hộ kinh doanh", "xây dựng", "lý lịch tư pháp", "chứng thực"]

try:  # the locustfile part: only when locust imports this file
    from locust import HttpUser, between, task

    FIXTURE = json.loads(Path(os.environ["LOCUST_FIXTURE"]).read_text(encoding="utf-8"))
except (ImportError, KeyError):
    HttpUser = None

if HttpUser is not None:

    class Citizen(HttpUser):
        weight = 6
        wait_time = between(1, 3)

        def on_start(self):
            self.client.headers["Authorization"] = f"Token {random.choice(FIXTURE['citizen_tokens'])}"

        @task(4)
        def search_catalogue(self):
            self.client.get("/api/v1/procedures/", params={"q": random.choice(SEARCHES)}, name="/api/v1/procedures/?q=")

        @task(2)
        def look_up(self):
            code, id_number = random.choice(FIXTURE["codes"])
            self.client.get("/api/v1/lookup/", params={"code": code, "id_number": id_number}, name="/api/v1/lookup/")

        @task(1)
        def submit_with_file(self):
            upload = self.client.post(
                "/api/v1/uploads/", files={"file": ("giay-to.pdf", PDF, "application/pdf")}, name="/api/v1/uploads/"
            )
            if upload.status_code != 201:
                return
            body = dict(FIXTURE["submission"], attachments=[upload.json()["id"]])
            body["procedure"] = random.choice(FIXTURE["procedures"])
            self.client.post("/api/v1/dossiers/", json=body, name="/api/v1/dossiers/ (submit)")

        @task(2)
        def my_dossiers(self):
            self.client.get("/api/v1/dossiers/", params={"page_size": 20}, name="/api/v1/dossiers/ (mine)")

    class Officer(HttpUser):
        weight = 3
        wait_time = between(1, 3)

        def on_start(self):
            self.client.headers["Authorization"] = f"Token {FIXTURE['tokens'][FIXTURE['reception']]}"

        def _first(self, status: str) -> str | None:
            answer = self.client.get(
                "/api/v1/dossiers/",
                params={"status": status, "page_size": 20},
                name=f"/api/v1/dossiers/?status={status}",
            )
            if answer.status_code != 200:
                return None
            results = answer.json().get("results") or []
            return random.choice(results)["code"] if results else None

        @task(3)
        def open_queue(self):
            self.client.get("/api/v1/dossiers/", params={"page_size": 100}, name="/api/v1/dossiers/ (district)")

        @task(2)
        def accept_one(self):
            code = self._first("new")
            if code:
                self._act(code, "accept")

        @task(2)
        def forward_one(self):
            code = self._first("accepted")
            if code:
                self._act(code, "start_processing")

        @task(2)
        def read_one(self):
            code, _ = random.choice(FIXTURE["codes"])
            self.client.get(f"/api/v1/dossiers/{code}/", name="/api/v1/dossiers/<code>/")

        def _act(self, code: str, action: str) -> None:
            # Two officers on the same dossier: the second gets a conflict (4xx with a code), not a failure.
            with self.client.post(
                f"/api/v1/dossiers/{code}/actions/",
                json={"action": action},
                name=f"actions: {action}",
                catch_response=True,
            ) as answer:
                if answer.status_code in (400, 409) and "code" in answer.text:
                    answer.success()

    class Monitor(HttpUser):
        weight = 1
        wait_time = between(1, 3)

        def on_start(self):
            self.client.headers["Authorization"] = f"Token {FIXTURE['tokens'][FIXTURE['monitor']]}"

        @task(2)
        def dossier_report(self):
            self.client.get("/api/v1/reports/dossiers/", name="/api/v1/reports/dossiers/")

        @task(1)
        def procedure_report(self):
            self.client.get("/api/v1/reports/procedures/", name="/api/v1/reports/procedures/")

        @task(1)
        def public_statistics(self):
            self.client.get("/api/v1/reports/public/", name="/api/v1/reports/public/")

        @task(1)
        def province_list(self):
            self.client.get("/api/v1/dossiers/", params={"page_size": 100}, name="/api/v1/dossiers/ (province)")


# --- the driver ----------------------------------------------------------------------------------------------


def run_step(locust: str, host: str, fixture: Path, users: int, seconds: int, out: Path) -> dict:
    prefix = out / f"step-{users}"
    env = dict(os.environ, LOCUST_FIXTURE=str(fixture))
    spawn = max(1, users // 5)
    subprocess.run(
        [
            locust,
            "-f",
            __file__,
            "--headless",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(spawn),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "5",
        ],
        env=env,
        check=False,
        capture_output=True,
        cwd=ROOT,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    slowest = max(
        (r for r in rows if r["Name"] != "Aggregated" and int(r["Request Count"]) >= 5),
        key=lambda r: float(r["95%"] or 0),
        default=total,
    )
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50": float(total["50%"] or 0),
        "p95": float(total["95%"] or 0),
        "slowest": f"{slowest['Type']} {slowest['Name']} p95 {float(slowest['95%'] or 0):.0f} ms",
    }


def main() -> None:
    import argparse

    sys.path.insert(0, str(HERE))
    import http_side_by_side as side

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--users", default="10,20,40,80,120")
    parser.add_argument("--step-duration", type=int, default=60)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--locust", default=str(ROOT / "var" / "locust-venv" / "bin" / "locust"))
    parser.add_argument("--database-prefix", default=os.environ.get("BENCH_DATABASE_PREFIX", side.DEFAULT_PREFIX))
    args = parser.parse_args()
    url = f"{args.database_prefix}_{side.label(args.size)}"
    grow = [sys.executable, str(HERE / "grow_world.py"), "--size", str(args.size), "--events", "--database-url", url]
    subprocess.run(grow, check=True, cwd=ROOT)
    fixture = side.in_subprocess("prepare", url, "--citizens", "200")
    out = ROOT / "var" / "benchmarks" / "locust"
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="locust-") as tmp:
        fixture_file = Path(tmp) / "fixture.json"
        fixture_file.write_text(json.dumps(fixture), encoding="utf-8")
        server = side.Server(url, args.port, 2, 4, out / "gunicorn.log")
        try:
            for users in [int(u) for u in args.users.split(",")]:
                load = os.getloadavg()
                r = run_step(args.locust, server.url(""), fixture_file, users, args.step_duration, out)
                r["load"] = f"{load[0]:.1f}/{os.getloadavg()[0]:.1f}"
                results.append(r)
                print(
                    f"{users} users: {r['rps']:.1f} req/s, p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, "
                    f"{r['failures']} failures, slowest {r['slowest']}, load {r['load']}",
                    flush=True,
                )
                time.sleep(3)
        finally:
            server.stop()
    ok = [r for r in results if r["p95"] < 1000 and r["failures"] <= 0.01 * max(1, r["requests"])]
    lines = [
        f"locust working morning on {fixture['dossiers']:,} dossiers, {args.step_duration} s per step, gunicorn "
        "gthread 2×4 (citizens 6 : officers 3 : monitors 1, 1–3 s between tasks).",
        "",
        "| users | req/s | p50 ms | p95 ms | failures | slowest request (p95) | load avg before/after |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['users']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['failures']} | {r['slowest']} "
            f"| {r['load']} |"
            for r in results
        ],
        "",
        (
            f"Highest sustained rate with p95 < 1 s: {max(r['rps'] for r in ok):.1f} req/s "
            f"({max(ok, key=lambda r: r['rps'])['users']} users)."
            if ok
            else "No step kept p95 under 1 s."
        ),
    ]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (ROOT / "var" / "benchmarks" / "locust_morning.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

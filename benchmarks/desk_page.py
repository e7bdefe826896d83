"""The officer's desk page (ADR 0026): the page's rows read from keys (`workflows.desk.desk_page`) against the
previous implementation (model rows of every kind merged in Python, kept in tests/workflows/_desk_reference.py),
timed in process, interleaved, on a World database (`grow_world.py --size N`), as `bench.reception`.

    .venv/bin/python benchmarks/desk_page.py --database-url postgres://postgres@127.0.0.1:5432/dcv_desk3_bench

Also times `desk_counts` and the whole page (`/can-bo/cong-viec/` through the test client) and prints the queries."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import _harness as h

sys.path.insert(0, str(h.ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", h.DEFAULT_DATABASE_URL))
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the new page (top 25 by cumulative time)")
    args = parser.parse_args()
    h.setup(args)
    from django.test import Client
    from django.test.utils import override_settings

    from dichvucong.accounts.models import User
    from dichvucong.dossiers.models import Dossier
    from dichvucong.workflows import desk
    from tests.workflows._desk_reference import reference_desk_page

    def officer():
        return User.objects.get(username="bench.reception")  # a fresh user: no role cache between requests

    client = Client()
    client.force_login(officer())

    def page():
        h.check_response(client.get("/can-bo/cong-viec/", {"view": "team"}))

    user = officer()
    new_rows, _more = desk.desk_page(user, scope="unit")
    old_rows, _more = reference_desk_page(user, scope="unit")
    assert [(r.kind, r.dossier.code) for r in new_rows] == [(r.kind, r.dossier.code) for r in old_rows]
    size = Dossier.objects.count()
    print(
        f"{size:,} dossiers; page rows: {len(new_rows)}; queries new page {h.count_queries(lambda: desk.desk_page(officer(), scope='unit'))[0]}, "
        f"old {h.count_queries(lambda: reference_desk_page(officer(), scope='unit'))[0]}"
    )
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        with override_settings(DEBUG=False):
            profiler.enable()
            for _ in range(5):
                page()
            profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    sides = [
        h.Side("old desk_page", lambda: reference_desk_page(officer(), scope="unit")),
        h.Side("new desk_page", lambda: desk.desk_page(officer(), scope="unit")),
        h.Side("desk_counts", lambda: desk.desk_counts(officer())),
        h.Side("whole page (client)", page),
    ]
    cpu = {side.name: [] for side in sides}

    def cpu_timed(side):
        call = side.call

        def timed():
            start = time.process_time()
            call()
            cpu[side.name].append((time.process_time() - start) * 1000)

        return timed

    for side in sides:
        side.call = cpu_timed(side)
    results = h.run_interleaved(sides, requests=args.requests, warmup=args.warmup)
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    print(f"load average {' '.join(load)}")
    print("| side | wall median ms | wall p95 ms | Python CPU median ms |\n|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {statistics.median(cpu[name][args.warmup :]):.1f} |")


if __name__ == "__main__":
    main()

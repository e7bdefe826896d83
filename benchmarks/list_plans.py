"""Benchmark (f), issue 19 item 1: the dossier list's SQL for each role, EXPLAIN (ANALYZE) and timings.

For each role and filter, the API page of 100 (`GET /api/v1/dossiers/?page_size=100`) is requested once through the
Django test Client to capture its SQL; each captured statement on `dossiers_dossier` is then run under
`EXPLAIN (ANALYZE, BUFFERS)` (PostgreSQL) and timed on a raw connection (median of `--requests` runs, ms), and the
whole request is timed in-process. The second page (the `next` link) is measured the same way: with keyset
pagination it costs what the first does.

    .venv/bin/python benchmarks/list_plans.py --sizes 35000,350000 --database-url postgres://postgres@127.0.0.1:5432/dcv_lists_bench
"""

import statistics
import time
from urllib.parse import urlsplit

import _dossier_data as data
import _harness as h

CASES = [
    ("monitor, all", "monitor", ""),
    ("monitor, status=processing", "monitor", "&status=processing"),
    ("officer (1 district), all", "reception", ""),
    ("officer (1 district), status=new", "reception", "&status=new"),
]


def timed(raw, sql: str, n: int) -> float:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        raw.fetchall(sql)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def execution_ms(plan: str) -> str:
    line = next((ln for ln in plan.splitlines() if ln.startswith("Execution Time")), "")
    return line.split(":", 1)[1].strip() if line else "?"


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "35000,350000", requests=20)
    vendor = h.setup(args)
    from django.test import Client

    raw = h.Raw(args.database_url)
    report = h.Report("list_plans", vendor, raw)
    world = data.World()
    client = Client()
    users = {"monitor": world.monitor, "reception": world.reception}
    rows, plans = [], []
    for size in args.size_list:
        world.grow(size)
        for label, who, query in CASES:
            headers = world.auth(users[who])
            url = f"/api/v1/dossiers/?page_size=100{query}"
            first = h.check_response(client.get(url, **headers)).json()
            pages = [("page 1", url)]
            if first.get("next"):
                parts = urlsplit(first["next"])
                pages.append(("page 2", f"{parts.path}?{parts.query}"))
            for page, page_url in pages:
                n, sqls = h.count_queries(lambda u=page_url, hd=headers: client.get(u, **hd))
                api = h.run_interleaved(
                    [h.Side("api", lambda u=page_url, hd=headers: client.get(u, **hd))],
                    requests=args.requests,
                    warmup=3,
                )["api"]
                for i, sql in enumerate(sqls):
                    if "dossiers_dossier" not in sql:
                        continue
                    head = sql.lstrip().upper()
                    kind = "estimate" if head.startswith("EXPLAIN") else "count" if "COUNT(" in head[:40] else "rows"
                    plan = "(planning only)" if kind == "estimate" else raw.explain(sql)
                    ms = timed(raw, sql, args.requests)
                    rows.append(
                        [
                            f"{size:,}",
                            label,
                            page,
                            f"{first['count']:,}" + ("" if first.get("count_exact", True) else "+"),
                            f"{i + 1}/{n} {kind}",
                            h.fmt(ms),
                            execution_ms(plan),
                            h.fmt(api["median"]),
                        ]
                    )
                    print(" | ".join(rows[-1]), flush=True)
                    if size == args.size_list[-1]:
                        plans.append((f"{label}, {page}, query {i + 1} of {n} ({kind}) at {size:,}", plan))
    report.text(f"Page of 100, {args.requests} runs per statement; median ms on a raw connection.", "")
    report.table(
        ["dossiers", "case", "page", "count", "query", "SQL ms", "EXPLAIN exec", "API request ms"],
        rows,
    )
    for title, plan in plans:
        report.plan(title, plan)
    report.save()


if __name__ == "__main__":
    main()

"""ADR 0021: what the dossier table costs at 1M and 10M, and what BRIN or partitioning by year would change.

    .venv/bin/python benchmarks/dossier_scale.py --database-url postgres://postgres@127.0.0.1:5432/dcv_bench_10m \\
        --experiments brin,partition

On a World database (grow_world.py): the table's and each index's size; the SQL of the lists as the app sends it
(captured from the district officer's and the province monitor's `GET /api/v1/dossiers/?page_size=100` through the
test Client), each statement timed on a raw connection (median of `--requests`); a month of dossiers counted by
time range (the reports' kind of query). Experiments, in scratch tables dropped afterwards:
- `brin`: a BRIN index on created_at against the B-tree, on a copy of the table in arrival order (as production
  writes it: the generator's rows are in random order, where BRIN is useless);
- `partition`: the same copy declaratively partitioned by year (RANGE on created_at), with the list indexes on
  every partition: the same list and count statements against it.
"""

from __future__ import annotations

import statistics

import _harness as h

SCRATCH = "bench_scale_ordered"
PARTED = "bench_scale_parted"


def timed(raw: h.Raw, sql: str, params=None, *, n: int) -> float:
    """Median ms of `n` runs (one warm-up)."""
    raw.fetchall(sql, params)
    samples = []
    for _ in range(n):
        with h.Timer() as t:
            raw.fetchall(sql, params)
        samples.append(t.seconds * 1000)
    return statistics.median(samples)


def sizes(raw: h.Raw, table: str) -> list[list[str]]:
    rows = raw.fetchall(
        "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass ORDER BY 2 DESC",
        [table],
    )
    total = raw.fetchone("SELECT pg_relation_size(%s::regclass), pg_indexes_size(%s::regclass)", [table, table])
    out = [[f"{table} (heap)", f"{total[0] / 2**20:,.0f}"], [f"{table} (all indexes)", f"{total[1] / 2**20:,.0f}"]]
    return out + [[name, f"{size / 2**20:,.0f}"] for name, size in rows]


def list_statements(world_users) -> dict[str, list[str]]:
    """The SQL each list request sends (count and page), captured through the test Client."""
    from django.test import Client

    from dichvucong.accounts.services import api_token_issue

    out = {}
    for label, user in world_users:
        key = api_token_issue(user=user, name="scale")[1]
        client = Client()
        call = lambda key=key, client=client: h.check_response(  # noqa: E731
            client.get("/api/v1/dossiers/?page_size=100", HTTP_AUTHORIZATION=f"Token {key}")
        )
        call()
        _, sqls = h.count_queries(call)
        out[label] = [s for s in sqls if "dossiers_dossier" in s]
    return out


def main() -> None:
    args = h.parse_args(
        __doc__.splitlines()[0],
        "0",
        requests=5,
        extra=lambda p: p.add_argument("--experiments", default="", help="brin,partition"),
    )
    vendor = h.setup(args)
    if vendor != "postgresql":
        raise SystemExit("PostgreSQL only")
    from dichvucong.accounts.models import User

    raw = h.Raw(args.database_url)
    raw.execute("SET work_mem = '4MB'")
    report = h.Report("dossier_scale", vendor, raw)
    count = raw.fetchone("SELECT count(*) FROM dossiers_dossier")[0]
    span = raw.fetchone("SELECT min(created_at)::date, max(created_at)::date FROM dossiers_dossier")
    report.text(f"{count:,} dossiers from {span[0]} to {span[1]}.", "")
    report.table(["relation", "MiB"], sizes(raw, "dossiers_dossier"))

    users = [(label, User.objects.get(username=name)) for label, name in (("district", "bench.reception"),)]
    users.append(("province", User.objects.get(username="bench.monitor")))
    statements = list_statements(users)
    rows = []
    for label, sqls in statements.items():
        for sql in sqls:
            kind = "count" if "COUNT(" in sql.upper() else "page"
            ms = timed(raw, sql, n=args.requests)
            rows.append([label, kind, h.fmt(ms)])
            report.plan(f"{label} {kind} ({h.fmt(ms)} ms)", raw.explain(sql))
    month = "created_at >= %s AND created_at < %s"
    last_month = raw.fetchone(
        "SELECT date_trunc('month', max(created_at)) - interval '1 month', date_trunc('month', max(created_at)) "
        "FROM dossiers_dossier"
    )
    ms = timed(raw, f"SELECT count(*) FROM dossiers_dossier WHERE {month}", list(last_month), n=args.requests)  # noqa: S608
    rows.append(["a month by created_at", "count", h.fmt(ms)])
    report.table(["list", "statement", "median ms"], rows)

    experiments = {e.strip() for e in args.experiments.split(",") if e.strip()}
    if experiments:
        experiment(raw, report, experiments, statements, last_month, n=args.requests)
    report.save()
    raw.close()


def experiment(raw, report, experiments, statements, last_month, *, n: int) -> None:
    raw.execute(f"DROP TABLE IF EXISTS {SCRATCH}, {PARTED}")
    raw.execute("SET maintenance_work_mem = '512MB'")
    with h.Timer() as t:
        raw.execute(f"CREATE TABLE {SCRATCH} AS SELECT * FROM dossiers_dossier ORDER BY created_at")  # noqa: S608
    raw.execute(f"VACUUM ANALYZE {SCRATCH}")  # visibility map and statistics, as for the real table
    report.text(f"Copy in arrival order: {t.seconds:.0f} s.", "")
    rows = []
    month = [last_month[0], last_month[1]]
    range_sql = f"SELECT count(*) FROM {SCRATCH} WHERE created_at >= %s AND created_at < %s"  # noqa: S608
    rows.append(["no index", "-", "-", h.fmt(timed(raw, range_sql, month, n=n))])
    for kind, ddl in (
        ("B-tree (created_at)", f"CREATE INDEX bench_scale_bt ON {SCRATCH} (created_at)"),
        ("BRIN (created_at)", f"CREATE INDEX bench_scale_brin ON {SCRATCH} USING brin (created_at)"),
    ):
        with h.Timer() as build:
            raw.execute(ddl)
        name = "bench_scale_bt" if "B-tree" in kind else "bench_scale_brin"
        size = raw.fetchone("SELECT pg_relation_size(%s::regclass)", [name])[0]
        ms = timed(raw, range_sql, month, n=n)
        rows.append([kind, f"{build.seconds:.1f}", f"{size / 2**20:,.2f}", h.fmt(ms)])
        report.plan(f"a month with {kind}", raw.explain(raw_sql(range_sql, month)))
        raw.execute(f"DROP INDEX {name}")
    report.text("A month of dossiers counted by time range on the copy in arrival order:", "")
    report.table(["index", "build s", "MiB", "count of a month, median ms"], rows)

    if "partition" in experiments:
        years = raw.fetchall(f"SELECT DISTINCT extract(year FROM created_at)::int FROM {SCRATCH} ORDER BY 1")  # noqa: S608
        raw.execute(f"CREATE TABLE {PARTED} (LIKE dossiers_dossier INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)")
        for (year,) in years:
            raw.execute(
                f"CREATE TABLE {PARTED}_{year} PARTITION OF {PARTED} FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
            )
        with h.Timer() as load:
            raw.execute(f"INSERT INTO {PARTED} SELECT * FROM {SCRATCH}")  # noqa: S608
        with h.Timer() as build:
            raw.execute(f"CREATE INDEX ON {PARTED} (agency_id, status, created_at DESC, id DESC)")
            raw.execute(f"CREATE INDEX ON {PARTED} (status, created_at DESC, id DESC)")
        raw.execute(f"VACUUM ANALYZE {PARTED}")
        report.text(
            f"Partitioned copy: {len(years)} yearly partitions, loaded in {load.seconds:.0f} s, the two list indexes "
            f"built in {build.seconds:.0f} s.",
            "",
        )
        # the same list statements against the partitioned copy and the unpartitioned one
        raw.execute(f"CREATE INDEX ON {SCRATCH} (agency_id, status, created_at DESC, id DESC)")
        raw.execute(f"CREATE INDEX ON {SCRATCH} (status, created_at DESC, id DESC)")
        raw.execute(f"CREATE INDEX ON {SCRATCH} (id)")  # the insert test's source rows
        raw.execute(f"VACUUM ANALYZE {SCRATCH}")
        rows = []
        for label, sqls in statements.items():
            for sql in sqls:
                kind = "count" if "COUNT(" in sql.upper() else "page"
                plain = sql.replace('"dossiers_dossier"', SCRATCH)
                parted = sql.replace('"dossiers_dossier"', PARTED)
                a, b = timed(raw, plain, n=n), timed(raw, parted, n=n)
                rows.append([label, kind, h.fmt(a), h.fmt(b)])
                report.plan(f"{label} {kind}, partitioned ({h.fmt(b)} ms)", raw.explain(parted))
        recent = [r[0] for r in raw.fetchall(f"SELECT id FROM {SCRATCH} ORDER BY created_at DESC LIMIT 500")]  # noqa: S608
        rates = []
        for table in (SCRATCH, PARTED):
            with h.Timer() as ins:
                for pk in recent:  # one row at a time, autocommit, into this year's partition
                    raw.execute(f"INSERT INTO {table} SELECT * FROM {SCRATCH} WHERE id = %s", [pk])  # noqa: S608
            rates.append(f"{len(recent) / ins.seconds:.0f}")
        rows.append(["insert one row (autocommit)", "rows/s", *rates])
        range_p = f"SELECT count(*) FROM {PARTED} WHERE created_at >= %s AND created_at < %s"  # noqa: S608
        rows.append(["a month", "count", "–", h.fmt(timed(raw, range_p, month, n=n))])
        report.text("Lists against the copy (plain table, list indexes) and the partitioned copy (median ms):", "")
        report.table(["list", "statement", "plain", "partitioned by year"], rows)
    raw.execute(f"DROP TABLE IF EXISTS {SCRATCH}, {PARTED}")


def raw_sql(sql: str, params) -> str:
    """Inline two timestamps for EXPLAIN."""
    for p in params:
        sql = sql.replace("%s", f"'{p.isoformat()}'", 1)
    return sql


if __name__ == "__main__":
    main()

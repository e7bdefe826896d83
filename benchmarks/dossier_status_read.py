"""Benchmark: the status read `GET /api/v1/dossiers/<code>/` and the public lookup `GET /api/v1/lookup/`, before and
after docs/adr/0019, at several numbers of dossiers.

Side by side, interleaved in the same loop, per-request latency (not throughput: that is gunicorn + wrk's job):

- `after`: the endpoint as it is (two queries: the dossier with its visibility, then what the body shows);
- `after, 304`: the same request with `If-None-Match` of the previous answer (one query, nothing rendered);
- `before`: the same read as it was (the full detail queryset: eight tables joined, four prefetches), mounted at
  `/bench/before/...` by `_baseline_urls.py` (same access rule, same serializer);
- `floor`: the constant JSON view `/bench/floor/` through the same middleware (the framework floor);
- `raw`: the same rows by hand on a raw psycopg / sqlite3 connection (the database floor).

The dossiers read are the owner's (citizen token: no personal-data audit row), each with a history of eight events.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dcv_reads_bench \\
        .venv/bin/python benchmarks/dossier_status_read.py --sizes 35000,350000
"""

import datetime
import os

import _dossier_data as data
import _harness as h
from dossier_reads import raw_lookup  # the same raw lookup as benchmark (b)

HISTORY = 8


def raw_status(raw, code: str, owner_id: int):
    row = raw.fetchone(
        "SELECT d.*, p.code, p.name, p.processing_days, a.code, a.name FROM dossiers_dossier d "
        "JOIN catalog_procedure p ON p.id = d.procedure_id JOIN agencies_agency a ON a.id = d.agency_id "
        "WHERE d.code = %s AND d.owner_id = %s",
        [code, owner_id],
    )
    events = raw.fetchall(
        "SELECT at, actor_label, action, from_status, to_status, note FROM dossiers_dossierevent "
        "WHERE dossier_id = %s ORDER BY at, id",
        [row[0]],
    )
    return row, events


def add_history(targets) -> None:
    from dichvucong.dossiers.models import DossierEvent

    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier_id=d.pk,
                at=d.created_at + datetime.timedelta(hours=i),
                actor_label="Cán bộ",
                action="step" if i else "submit",
                from_status=d.status if i else "",
                to_status=d.status,
                note=f"Bước {i}",
            )
            for d in targets
            for i in range(HISTORY)
        ]
    )


class Cycle:
    """Cycles through the targets; clears the cache (throttles) untimed before each call."""

    def __init__(self, items):
        self.items, self.i = items, 0

    def advance(self) -> None:
        self.i = (self.i + 1) % len(self.items)
        h.clear_cache()

    @property
    def current(self):
        return self.items[self.i]


def bench_size(size, *, world, client, raw, rng, args, rows, plans) -> None:
    """Time both reads at the current size; append a table row per read (and the plans at the last size)."""
    from django.db.models import Max, Min

    from dichvucong.dossiers.models import Dossier

    bounds = Dossier.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(60)]
    targets = list(Dossier.objects.filter(pk__in=ids).exclude(status="draft").select_related("owner")[:40])
    add_history(targets)
    h.analyze()
    reads = [(d.code, d.owner_id, world.auth(d.owner)) for d in targets]
    pairs = [(d.code, d.applicant_id_number) for d in targets]
    status, lookup = Cycle(reads), Cycle(pairs)
    etags: dict[str, str] = {}

    def get(url, params=None, headers=None):
        return client.get(url, params or {}, **(headers or {}))

    def status_after():
        code, _, headers = status.current
        return get(f"/api/v1/dossiers/{code}/", headers=headers)

    def status_304():
        code, _, headers = status.current
        return get(f"/api/v1/dossiers/{code}/", headers={**headers, "HTTP_IF_NONE_MATCH": etags[code]})

    def status_before():
        code, _, headers = status.current
        return get(f"/bench/before/dossiers/{code}/", headers=headers)

    def lookup_after():
        code, number = lookup.current
        return get("/api/v1/lookup/", {"code": code, "id_number": number})

    def lookup_304():
        code, number = lookup.current
        return get("/api/v1/lookup/", {"code": code, "id_number": number}, {"HTTP_IF_NONE_MATCH": etags["l" + code]})

    def lookup_before():
        code, number = lookup.current
        return get("/bench/before/lookup/", {"code": code, "id_number": number})

    for _ in reads:  # the validators, and a check that before and after answer alike
        after, before = h.check_response(status_after()), h.check_response(status_before())
        assert after.json() == before.json()
        etags[status.current[0]] = after["ETag"]
        h.check_response(status_304(), 304)
        status.advance()
    for _ in pairs:
        after, before = h.check_response(lookup_after()), h.check_response(lookup_before())
        assert after.json() == before.json()
        etags["l" + lookup.current[0]] = after["ETag"]
        h.check_response(lookup_304(), 304)
        lookup.advance()

    for name, cycle, sides in [
        (
            "status read",
            status,
            [
                ("after", status_after),
                ("after, 304", status_304),
                ("before", status_before),
                ("floor", lambda: client.get("/bench/floor/")),
                ("raw", lambda: raw_status(raw, *status.current[:2])),
            ],
        ),
        (
            "lookup",
            lookup,
            [
                ("after", lookup_after),
                ("after, 304", lookup_304),
                ("before", lookup_before),
                ("floor", lambda: client.get("/bench/floor/")),
                ("raw", lambda: raw_lookup(raw, *lookup.current)),
            ],
        ),
    ]:
        queries = {label: h.count_queries(call) for label, call in sides if label in ("after", "after, 304", "before")}
        load = os.getloadavg()
        r = h.run_interleaved(
            [h.Side(label, call, before=cycle.advance) for label, call in sides],
            requests=args.requests,
            warmup=args.warmup,
        )
        after, floor, sql = r["after"], r["floor"], r["raw"]
        print(
            f"  {name}: after {after['median']:.2f} ms, 304 {r['after, 304']['median']:.2f}, "
            f"before {r['before']['median']:.2f}, floor {floor['median']:.2f}, raw {sql['median']:.2f}",
            flush=True,
        )
        rows.append(
            [
                f"{size:,}",
                name,
                *(f"{h.fmt(r[label]['median'])} / {h.fmt(r[label]['p95'])}" for label, _ in sides),
                " / ".join(str(queries[label][0]) for label in ("after", "after, 304", "before")),
                h.ratio(after["median"], floor["median"]),
                h.ratio(r["before"]["median"], floor["median"]),
                h.ratio(after["median"], sql["median"]),
                h.ratio(r["before"]["median"], after["median"]),
                f"{load[0]:.1f} / {load[1]:.1f}",
            ]
        )
        if size == args.size_list[-1]:
            plans += [
                (f"{name} (after), query {i + 1} at {size:,} dossiers", raw.explain(s))
                for i, s in enumerate(queries["after"][1])
                if "dossiers_" in s
            ]


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "35000,350000", requests=200)
    vendor = h.setup(args)
    import random

    from django.test import Client

    raw = h.Raw(args.database_url)
    report = h.Report("dossier_status_read", vendor, raw)
    world = data.World()
    client = Client()
    rng = random.Random(7)
    rows, loads, plans = [], [], []
    for size in args.size_list:
        seconds = world.grow(size)
        loads.append(f"{size:,}: {seconds:.0f} s")
        print(f"size {size}: generated in {seconds:.1f}s", flush=True)
        bench_size(size, world=world, client=client, raw=raw, rng=rng, args=args, rows=rows, plans=plans)
    report.text(
        f"{args.requests} timed requests per side (after {args.warmup} warm-up), interleaved, Django test Client "
        f"in-process (token authentication for the status read: the dossier's owner), times in ms (median / p95). "
        f"Each dossier read has {HISTORY} history rows. Data load: {', '.join(loads)}.",
        "",
    )
    report.table(
        [
            "dossiers",
            "read",
            "after",
            "after, 304",
            "before",
            "floor /bench/floor/",
            "raw SQL",
            "SQL/request after / 304 / before",
            "after ÷ floor",
            "before ÷ floor",
            "after ÷ raw",
            "before ÷ after",
            "load 1 / 5 min",
        ],
        rows,
    )
    for title, plan in plans:
        report.plan(title, plan)
    report.save()
    raw.close()


if __name__ == "__main__":
    main()

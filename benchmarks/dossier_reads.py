"""Benchmark (b): officer dossier list `GET /api/v1/dossiers/?status=...` and public lookup
`GET /api/v1/lookup/?code=&id_number=` at several numbers of dossiers.

Side by side, in the same loop: the endpoint through the Django test Client (token authentication, middleware,
DRF, pagination, serialisation), a bare Django view returning a constant JSON (framework floor), and the same
reads written by hand on a raw DB-API connection (database floor: same visibility rule and filters, COUNT and
first page of 20 for the list; dossier row and its history for the lookup).

    .venv/bin/python benchmarks/dossier_reads.py --sizes 10000,100000,1000000
"""

import datetime
import random

import _dossier_data as data
import _harness as h

LIST_COLUMNS = (
    "d.code, d.uuid, d.status, d.channel, d.applicant_name, d.applicant_id_number, d.applicant_phone, "
    "d.applicant_email, d.applicant_address, d.applicant_organisation, d.applicant_tax_code, d.summary, "
    "d.submitted_at, d.received_at, d.accepted_at, d.due_at, d.finished_at, d.returned_at, "
    "d.timeliness, d.current_step, d.created_at, p.code, p.name, p.processing_days, a.code, a.name"
)


INVOLVED = {  # working-tree visibility rule: dossiers the officer's agencies handle(d) in an internal process
    "in": [
        "d.id IN (SELECT dossier_id FROM workflows_processrun WHERE agency_id IN ({a}))",
        "d.id IN (SELECT r.dossier_id FROM workflows_workitem w JOIN workflows_processrun r ON r.id = w.run_id "
        "WHERE w.agency_id IN ({a}))",
        "d.id IN (SELECT r.dossier_id FROM workflows_consultation c JOIN workflows_processrun r "
        "ON r.id = c.run_id WHERE c.agency_id IN ({a}))",
    ],
    "any": [
        "d.id = ANY(ARRAY(SELECT dossier_id FROM workflows_processrun WHERE agency_id IN ({a})))",
        "d.id = ANY(ARRAY(SELECT r.dossier_id FROM workflows_workitem w JOIN workflows_processrun r "
        "ON r.id = w.run_id WHERE w.agency_id IN ({a})))",
        "d.id = ANY(ARRAY(SELECT r.dossier_id FROM workflows_consultation c JOIN workflows_processrun r "
        "ON r.id = c.run_id WHERE c.agency_id IN ({a})))",
    ],
}


def raw_list(raw, *, owner_id: int, agency_ids: list[int] | None, statuses: list[str], involved: str = ""):
    """The list endpoint's read by hand: visibility (own dossiers, or the officer's agencies' submitted ones, or
    every submitted one for province roles) AND status, newest first, COUNT + first page of 20.

    `involved`: "" (agency rule only), "in" (also dossiers in the agencies' process runs, work items and
    consultations, as `IN (subquery)` like the ORM writes it) or "any" (the same rule as `= ANY(ARRAY(subquery))`).
    """
    status_in = ", ".join("%s" for _ in statuses)
    if agency_ids is None:  # province role
        visible, params = "(d.owner_id = %s OR d.status <> 'draft')", [owner_id]
    else:
        agency_in = ", ".join("%s" for _ in agency_ids)
        extra = [clause.format(a=agency_in) for clause in INVOLVED[involved]] if involved else []
        visible = (
            f"(d.owner_id = %s OR (({' OR '.join([f'd.agency_id IN ({agency_in})', *extra])}) AND d.status <> 'draft'))"
        )
        params = [owner_id, *agency_ids * (1 + len(extra))]
    where = f"{visible} AND d.status IN ({status_in})"
    params += statuses
    total = raw.fetchone(f"SELECT count(*) FROM dossiers_dossier d WHERE {where}", params)[0]  # noqa: S608
    rows = raw.fetchall(
        f"SELECT {LIST_COLUMNS} FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id "  # noqa: S608
        f"JOIN agencies_agency a ON a.id = d.agency_id WHERE {where} ORDER BY d.created_at DESC, d.id DESC LIMIT 20",
        params,
    )
    return total, rows


def raw_lookup(raw, code: str, id_number: str):
    row = raw.fetchone(
        "SELECT d.id, d.code, d.status, d.received_at, d.due_at, d.returned_at, p.name, a.name "
        "FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id "
        "JOIN agencies_agency a ON a.id = d.agency_id "
        "WHERE d.code = %s AND d.applicant_id_number = %s AND d.status <> 'draft'",
        [code, id_number],
    )
    events = raw.fetchall(
        "SELECT at, action, to_status FROM dossiers_dossierevent WHERE dossier_id = %s ORDER BY at, id", [row[0]]
    )
    return row, events


def add_history(targets) -> None:
    """Four history rows for each dossier the lookup will ask for (the rest carry none: see docs)."""
    from dichvucong.dossiers.models import DossierEvent

    steps = [
        ("submit", "", "new"),
        ("accept", "new", "accepted"),
        ("start", "accepted", "processing"),
        ("mark_processed", "processing", "processed"),
    ]
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier_id=d.pk,
                at=d.created_at + datetime.timedelta(hours=i),
                actor_label="Cán bộ",
                action=action,
                from_status=src,
                to_status=dst,
            )
            for d in targets
            for i, (action, src, dst) in enumerate(steps)
        ]
    )


class LookupPairs:
    """Cycles through existing (code, CCCD) pairs; resets the lookup throttle (30/min per address) untimed."""

    def __init__(self, pairs):
        self.pairs, self.i = pairs, 0

    def advance(self) -> None:
        self.i = (self.i + 1) % len(self.pairs)
        h.clear_cache()

    @property
    def current(self):
        return self.pairs[self.i]


def bench_lookup(client, raw, pairs, args):
    cycle = LookupPairs(pairs)

    def api_lookup():
        code, id_number = cycle.current
        return client.get("/api/v1/lookup/", {"code": code, "id_number": id_number})

    h.check_response(api_lookup())
    queries, sqls = h.count_queries(api_lookup)
    sides = [
        h.Side("api", api_lookup, before=cycle.advance),
        h.Side("floor", lambda: client.get("/bench/floor/"), before=h.clear_cache),
        h.Side("raw", lambda: raw_lookup(raw, *cycle.current), before=cycle.advance),
    ]
    return h.run_interleaved(sides, requests=args.requests, warmup=args.warmup), queries, sqls


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "10000,100000,1000000")
    vendor = h.setup(args)
    from django.db.models import Max, Min
    from django.test import Client

    from dichvucong.dossiers.models import Dossier

    raw = h.Raw(args.database_url)
    report = h.Report("dossier_reads", vendor, raw)
    with h.Timer() as t:
        world = data.World()
    print(f"world built in {t.seconds:.1f}s", flush=True)
    client = Client()
    reception, monitor = world.reception, world.monitor
    officer_agencies = [world.officer_agency.pk]
    cases = [
        ("reception officer (1 district), status=new", reception, officer_agencies, "new"),
        ("reception officer (1 district), status=result_returned", reception, officer_agencies, "result_returned"),
        ("province monitor (all agencies), status=processing", monitor, None, "processing"),
    ]
    list_rows, lookup_rows, plans, loads, list_notes = [], [], [], [], set()
    rng = random.Random(1)
    for size in args.size_list:
        seconds = world.grow(size)
        loads.append(f"{size:,}: {seconds:.0f} s")
        print(f"size {size}: generated in {seconds:.1f}s", flush=True)
        last = size == args.size_list[-1]
        for label, user, agencies, status in cases:
            headers = world.auth(user)
            url = f"/api/v1/dossiers/?status={status}"
            response = h.check_response(client.get(url, **headers))
            matches = response.json()["count"]
            total, _ = raw_list(raw, owner_id=user.pk, agency_ids=agencies, statuses=[status])
            assert total == matches, (total, matches)
            queries, sqls = h.count_queries(lambda url=url, headers=headers: client.get(url, **headers))
            rule = "in" if agencies and any("workflows_processrun" in s for s in sqls) else ""
            sides = [
                h.Side("api", lambda url=url, headers=headers: client.get(url, **headers)),
                h.Side("floor", lambda: client.get("/bench/floor/")),
                h.Side(
                    "raw",
                    lambda user=user, agencies=agencies, status=status, rule=rule: raw_list(
                        raw, owner_id=user.pk, agency_ids=agencies, statuses=[status], involved=rule
                    ),
                ),
            ]
            if rule and vendor == "postgresql":  # ANY(ARRAY(subquery)) is PostgreSQL syntax
                sides.append(
                    h.Side(
                        "raw_any",
                        lambda user=user, agencies=agencies, status=status: raw_list(
                            raw, owner_id=user.pk, agency_ids=agencies, statuses=[status], involved="any"
                        ),
                    )
                )
                list_notes.add(rule)
            r = h.run_interleaved(sides, requests=args.requests, warmup=args.warmup)
            api, floor, sql = r["api"], r["floor"], r["raw"]
            any_rewrite = h.fmt(r["raw_any"]["median"]) if "raw_any" in r else "–"
            print(f"  {label}: {matches} rows, api {api['median']:.2f} ms, raw {sql['median']:.2f} ms", flush=True)
            list_rows.append(
                [
                    f"{size:,}",
                    label,
                    f"{matches:,}",
                    h.fmt(api["median"]),
                    h.fmt(api["p95"]),
                    str(queries),
                    h.fmt(floor["median"]),
                    h.fmt(sql["median"]),
                    h.fmt(sql["p95"]),
                    any_rewrite,
                    h.ratio(api["median"], floor["median"]),
                    h.ratio(api["median"], sql["median"]),
                ]
            )
            if last:
                plans += [
                    (f"List, {label}, query {i + 1} of {len(sqls)} at {size:,} dossiers", raw.explain(s))
                    for i, s in enumerate(sqls)
                    if "dossiers_dossier" in s
                ]

        # Public lookup: random existing (code, CCCD) pairs, each with four history rows.
        bounds = Dossier.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
        ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(200)]
        targets = list(Dossier.objects.filter(pk__in=ids).exclude(status="draft"))
        add_history(targets)
        pairs = [(d.code, d.applicant_id_number) for d in targets]
        r, queries, sqls = bench_lookup(client, raw, pairs, args)
        api, floor, sql = r["api"], r["floor"], r["raw"]
        print(f"  lookup: api {api['median']:.2f} ms, raw {sql['median']:.2f} ms", flush=True)
        lookup_rows.append(
            [
                f"{size:,}",
                h.fmt(api["median"]),
                h.fmt(api["p95"]),
                str(queries),
                h.fmt(floor["median"]),
                h.fmt(sql["median"]),
                h.fmt(sql["p95"]),
                h.ratio(api["median"], floor["median"]),
                h.ratio(api["median"], sql["median"]),
            ]
        )
        if last:
            plans += [
                (f"Lookup query {i + 1} of {len(sqls)} at {size:,} dossiers", raw.explain(s))
                for i, s in enumerate(sqls)
                if "dossiers_dossier" in s
            ][:2]

    report.text(
        f"{args.requests} timed requests per side and case (after {args.warmup} warm-up), Django test "
        f"Client in-process with token authentication, times in ms. Data load (COPY on PostgreSQL, bulk_create on SQLite): {', '.join(loads)}.",
        "",
        "### Officer dossier list `GET /api/v1/dossiers/?status=...` (first page of 20)",
        "",
    )
    if list_notes:
        report.text(
            "The officer's visibility rule includes the dossiers their agencies handle in a process run, a "
            "work item or a consultation (workflows tables, `IN (subquery)`); the raw SQL does the same. "
            '"raw, ANY rewrite" is the same rule written `d.id = ANY(ARRAY(subquery))`.',
            "",
        )
    report.table(
        [
            "dossiers",
            "who, filter",
            "matching",
            "API median",
            "API p95",
            "SQL/request",
            "Django floor",
            "raw SQL median",
            "raw SQL p95",
            "raw, ANY rewrite",
            "API ÷ floor",
            "API ÷ raw SQL",
        ],
        list_rows,
    )
    report.text("### Public lookup `GET /api/v1/lookup/?code=&id_number=`", "")
    report.table(
        [
            "dossiers",
            "API median",
            "API p95",
            "SQL/request",
            "Django floor",
            "raw SQL median",
            "raw SQL p95",
            "API ÷ floor",
            "API ÷ raw SQL",
        ],
        lookup_rows,
    )
    for title, plan in plans:
        report.plan(title, plan)
    report.save()
    raw.close()


if __name__ == "__main__":
    main()

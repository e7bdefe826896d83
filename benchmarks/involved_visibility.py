"""The officers' "involved" visibility branch (ADR 0026) before and after, on a World database
(`grow_world.py --size N`), which has no process runs: this script adds them server-side (once) — a run at the
receiving agency for every dossier past acceptance, and a transferred run at `bench.reception`'s district for 1 %
of the other agencies' dossiers — then times, interleaved, the officer's visibility as a first page of the dossier
list and as a capped count with the previous branch (every run, step and consultation of the agency) and the new
one (transferred runs, inter-agency steps, consultations), and prints the plans of both branch queries.

    .venv/bin/python benchmarks/involved_visibility.py --database-url postgres://postgres@127.0.0.1:5432/dcv_x
"""

from __future__ import annotations

import argparse
import os
import time

import _harness as h


def _add_runs() -> None:
    from django.db import connection

    from dichvucong.agencies.models import Agency
    from dichvucong.catalog.models import Procedure
    from dichvucong.workflows.models import Process, ProcessRun

    if ProcessRun.objects.exists():
        return
    now = time.strftime("%Y-%m-%d %H:%M:%S+00")
    process = Process.objects.create(
        scope="tier",
        tier="district",
        name="Quy trình benchmark",
        status="active",
        version=1,
        owner_agency=Agency.objects.order_by("pk").first(),
        procedure=Procedure.objects.order_by("pk").first(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO workflows_processrun (created_at, updated_at, uuid, status, started_at, agency_id,
                   dossier_id, process_id)
               SELECT %s, %s, gen_random_uuid(), 'completed', coalesce(accepted_at, created_at), agency_id, id, %s
               FROM dossiers_dossier WHERE status IN ('processing', 'processed', 'result_returned')""",
            [now, now, process.pk],
        )
        cursor.execute(
            """INSERT INTO workflows_processrun (created_at, updated_at, uuid, status, started_at, agency_id,
                   dossier_id, process_id, transferred_from_id)
               SELECT %s, %s, gen_random_uuid(), 'completed', r.started_at, 12, r.dossier_id, r.process_id, r.id
               FROM workflows_processrun r WHERE r.agency_id <> 12 AND r.id %% 100 = 0""",
            [now, now],
        )
        cursor.execute("VACUUM ANALYZE workflows_processrun")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", h.DEFAULT_DATABASE_URL))
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    h.setup(args)
    _add_runs()
    from django.db import connection
    from django.db.models import Q

    from dichvucong.accounts.models import User
    from dichvucong.common.pagination import capped_count
    from dichvucong.dossiers.models import Dossier
    from dichvucong.dossiers.state_machine import Status
    from dichvucong.workflows.engine import WorkflowEngine
    from dichvucong.workflows.models import Consultation, ProcessRun, WorkItem

    user = User.objects.get(username="bench.reception")
    ids = sorted({a.agency_id for a in user.role_assignments.all() if a.agency_id})
    submitted = ~Q(status=Status.DRAFT)

    def old_q():
        return (
            Q(pk__in_array=ProcessRun.objects.filter(agency_id__in=ids).values("dossier_id"))
            | Q(pk__in_array=WorkItem.objects.filter(agency_id__in=ids).values("run__dossier_id"))
            | Q(pk__in_array=Consultation.objects.filter(agency_id__in=ids).values("run__dossier_id"))
        )

    def new_q():
        return WorkflowEngine().involved_agencies_q(ids, handling=False)

    def rule(involved):
        return (
            Q(owner=user)
            | (Q(agency_id__in=ids) & submitted)
            | (Q(created_by=user) & submitted)
            | (involved & submitted)
        )

    def branch_page(involved):
        return lambda: list(
            Dossier.objects.filter(involved & submitted).order_by("-created_at", "-id").values_list("pk")[:51]
        )

    def page(involved):
        return lambda: list(
            Dossier.objects.filter(rule(involved)).order_by("-created_at", "-id").values_list("pk")[:51]
        )

    def count(involved):
        return lambda: capped_count(Dossier.objects.filter(rule(involved)))

    assert page(old_q())() == page(new_q())()
    assert capped_count(Dossier.objects.filter(rule(old_q()))) == capped_count(Dossier.objects.filter(rule(new_q())))
    sides = [
        h.Side("involved branch page, before", branch_page(old_q())),
        h.Side("involved branch page, after", branch_page(new_q())),
        h.Side("officer rule page (OR), before", page(old_q())),
        h.Side("officer rule page (OR), after", page(new_q())),
        h.Side("officer rule capped count, before", count(old_q())),
        h.Side("officer rule capped count, after", count(new_q())),
    ]
    results = h.run_interleaved(sides, requests=args.requests, warmup=2)
    runs = ProcessRun.objects.count()
    array_old = ProcessRun.objects.filter(agency_id__in=ids).count()
    array_new = ProcessRun.objects.filter(agency_id__in=ids, transferred_from__isnull=False).count()
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"{Dossier.objects.count():,} dossiers, {runs:,} runs; array before {array_old:,} ids, after {array_new:,}")
    print(f"load average {load}\n| query | median ms | p95 ms |\n|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['median']:.1f} | {r['p95']:.1f} |")
    for label, involved in (("before", old_q()), ("after", new_q())):
        qs = Dossier.objects.filter(involved & submitted).order_by("-created_at", "-id").values_list("pk")[:51]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
            print(f"\n-- involved branch page, {label}\n" + "\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()

"""Benchmark: the integration outbox (issue 14).

(a) Added cost per transition: `dossier_accept` timed with the integration platform's effects (the QCVN 120 packet,
    the applicant's e-mail and SMS, webhooks, all written to the outbox in the transaction) and without them (the
    effects unregistered), interleaved on fresh dossiers; plus the number of queries each adds.
(b) Sustained delivery rate: messages per second the outbox delivers to the national portal simulator (HTTP on
    127.0.0.1, validation of every packet), with 1 and 2 worker threads (PostgreSQL), many dossiers (ordering keys).

    .venv/bin/python benchmarks/outbox_delivery.py --database-url postgres://postgres@127.0.0.1:5432/dcv_bench_outbox
    --requests N: transitions timed per side; --sizes M: messages delivered in (b).

The database is dropped and created again by the script (PostgreSQL), or a fresh SQLite file is used.
"""

import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import _harness as h

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' factories


def fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        if not name.startswith(("dcv_bench", "bench", "i14")):
            raise SystemExit("refusing to drop a database whose name does not look like a benchmark's")
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        Path(parsed.path).unlink(missing_ok=True)


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "2000", requests=200)
    fresh_database(args.database_url)
    os.environ["INTEGRATIONS_DELIVERY"] = "manual"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    vendor = h.setup(args)
    from django.conf import settings
    from django.db import connection

    from dichvucong.accounts.roles import Role
    from dichvucong.dossiers.registry import registry
    from dichvucong.dossiers.services import dossier_accept
    from dichvucong.integrations import dossier_hooks, outbox
    from dichvucong.integrations.models import OutboxMessage, Target
    from dichvucong.integrations.simulators import national_portal
    from tests.factories import AgencyFactory, DossierFactory, ProcedureFactory, officers_at

    raw = h.Raw(args.database_url)
    report = h.Report("outbox", vendor, raw)
    agency = AgencyFactory.department()
    procedure = ProcedureFactory(agencies=[agency.code])
    officers = officers_at(agency)
    reception = officers[Role.RECEPTION]

    # --- (a) added cost per transition ---------------------------------------------------------------------------
    effects = [(name, list(registry._effects.get(name, ()))) for name in list(registry._effects)]
    ours = {dossier_hooks.dossier_changed, dossier_hooks.process_step}

    def set_effects(on: bool) -> None:
        for name, original in effects:
            registry._effects[name] = [e for e in original if on or e.handler not in ours]

    n = args.requests
    dossiers = [DossierFactory(agency=agency, procedure=procedure, officers=officers) for _ in range(2 * n + 20)]
    samples = {"with": [], "without": []}
    queries = {}
    for index, dossier in enumerate(dossiers):
        side = "with" if index % 2 == 0 else "without"
        set_effects(side == "with")
        if index < 20:  # warm-up, and one query count per side
            if index in (0, 1):
                queries[side], _ = h.count_queries(lambda d=dossier: dossier_accept(actor=reception, dossier=d))
            else:
                dossier_accept(actor=reception, dossier=dossier)
            continue
        started = time.perf_counter()
        dossier_accept(actor=reception, dossier=dossier)
        samples[side].append(time.perf_counter() - started)
    set_effects(True)
    with_s, without_s = h.summarise(samples["with"]), h.summarise(samples["without"])
    report.text(f"### (a) Added cost per transition (`dossier_accept`, {n} per side, interleaved)", "")
    report.table(
        ["side", "median ms", "p95 ms", "queries"],
        [
            ["with the outbox effects (packet + e-mail + SMS)", h.fmt(with_s["median"] * 1000),
             h.fmt(with_s["p95"] * 1000), queries["with"]],
            ["without", h.fmt(without_s["median"] * 1000), h.fmt(without_s["p95"] * 1000), queries["without"]],
            ["added", h.fmt((with_s["median"] - without_s["median"]) * 1000), "",
             queries["with"] - queries["without"]],
        ],
    )  # fmt: skip

    # --- (b) sustained delivery rate -----------------------------------------------------------------------------
    simulator = national_portal.running(port=0).start()
    settings.NATIONAL_PORTAL_URL = simulator.url
    settings.NATIONAL_PORTAL_TOKEN = national_portal.DEFAULT_TOKEN
    template = OutboxMessage.objects.filter(target=Target.NATIONAL_PORTAL, kind="DongBoHoSoMC").first()
    rows = []
    threads_options = [1, 2] if vendor == "postgresql" else [1]
    for threads in threads_options:
        for size in args.size_list:
            OutboxMessage.objects.filter(status="pending").update(status="delivered")
            keys = [d.pk for d in dossiers]
            OutboxMessage.objects.bulk_create(
                [
                    OutboxMessage(
                        target=Target.NATIONAL_PORTAL,
                        kind=template.kind,
                        payload=template.payload,
                        ordering_key=f"bench:{keys[i % len(keys)]}",
                        idempotency_key=os.urandom(16).hex(),
                    )
                    for i in range(size)
                ]  # fmt: skip
            )
            before = len(simulator.app.received)

            def work():
                outbox.deliver_due(targets=[Target.NATIONAL_PORTAL], limit=200)
                connection.close()

            started = time.perf_counter()
            workers = [threading.Thread(target=work) for _ in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.perf_counter() - started
            delivered = len(simulator.app.received) - before
            rows.append([threads, size, delivered, h.fmt(elapsed), h.fmt(delivered / elapsed),
                         simulator.app.duplicates])  # fmt: skip
    simulator.stop()
    report.text("### (b) Sustained delivery rate to the national portal simulator", "")
    report.table(["worker threads", "messages", "delivered", "seconds", "messages/s", "duplicates"], rows)
    report.save()


if __name__ == "__main__":
    main()

"""Benchmark (d): the audit chain — `audit_record` throughput (1 and 2 threads) and `audit_chain_verify` time
(what `manage.py audit_verify` runs) at several chain lengths.

Side by side: `audit_record(...)` called in-process (its own transaction per call, as a service's single write
would be) vs the same three statements on a raw DB-API connection (lock the chain head, insert the chained row,
move the head); `audit_chain_verify()` vs a raw read of the same rows (server-side cursor) recomputing the same
SHA-256 chain in Python. The chain is pre-built with `bulk_create` (hashes computed exactly as `audit_record` does).

    .venv/bin/python benchmarks/audit_chain.py --sizes 10000,100000
"""

import datetime
import json
import threading

import _harness as h

AFTER = {
    "code": "000.00.60.H31-250314-0042",
    "status": "accepted",
    "received_at": "2025-03-14T08:12:00+07:00",
    "due_at": "2025-03-21T17:00:00+07:00",
    "current_step": "Chuyên viên thẩm định",
    "note": "",
}
BEFORE = {**AFTER, "status": "new", "due_at": None, "current_step": ""}


def grow_chain(target: int) -> float:
    from django.utils import timezone

    from dichvucong.audit.models import AuditChainHead, AuditEntry

    with h.Timer() as timer:
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        prev, count = head.last_hash, head.length
        start = timezone.now() - datetime.timedelta(days=365)
        while count < target:
            batch = []
            for i in range(count, min(target, count + 5000)):
                entry = AuditEntry(
                    at=start + datetime.timedelta(seconds=i),
                    actor=None,
                    actor_label="system",
                    action="dossier.accept",
                    object_type="dossiers.dossier",
                    object_id=f"000.00.60.H31-250314-{i:06d}",
                    object_repr=f"hồ sơ {i}",
                    before=BEFORE,
                    after=AFTER,
                    prev_hash=prev,
                )
                entry.hash = entry.compute_hash()
                prev = entry.hash
                batch.append(entry)
            AuditEntry.objects.bulk_create(batch)
            count += len(batch)
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev, length=count)
        h.analyze()
    return timer.seconds


def record_call():
    from dichvucong.audit.services import audit_record

    def call():
        audit_record(
            actor="benchmark",
            action="dossier.accept",
            object_type="dossiers.dossier",
            object_id="000.00.60.H31-250314-0042",
            object_repr="hồ sơ",
            before=BEFORE,
            after=AFTER,
        )

    return call


def raw_record_call(url: str):
    from django.utils import timezone

    from dichvucong.audit.models import compute_entry_hash

    raw = h.Raw(url)

    def statements(r: h.Raw) -> None:
        lock = " FOR UPDATE" if r.vendor == "postgresql" else ""  # SQLite: BEGIN IMMEDIATE locks already
        prev = r.fetchone(f"SELECT last_hash FROM audit_auditchainhead WHERE id = 1{lock}")[0]
        now = timezone.now()
        payload = {
            "at": now.isoformat(timespec="microseconds"),
            "actor_id": None,
            "actor_label": "benchmark",
            "action": "dossier.accept",
            "object_type": "dossiers.dossier",
            "object_id": "000.00.60.H31-250314-0042",
            "object_repr": "hồ sơ",
            "before": BEFORE,
            "after": AFTER,
        }
        digest = compute_entry_hash(prev_hash=prev, payload=payload)
        r.execute(
            "INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, "
            "object_repr, before, after, prev_hash, hash) VALUES (%s, NULL, 'benchmark', 'dossier.accept', "
            "'dossiers.dossier', '000.00.60.H31-250314-0042', 'hồ sơ', %s, %s, %s, %s)",
            [now, json.dumps(BEFORE, ensure_ascii=False), json.dumps(AFTER, ensure_ascii=False), prev, digest],
        )
        r.execute("UPDATE audit_auditchainhead SET last_hash = %s, length = length + 1 WHERE id = 1", [digest])

    return lambda: raw.transaction(statements)


def throughput(make_call, *, threads: int, total: int) -> float:
    from django.db import connection

    calls = [make_call() for _ in range(threads)]
    for call in calls:
        call()  # warm-up
    barrier = threading.Barrier(threads + 1)
    errors = []

    def work(call) -> None:
        try:
            barrier.wait()
            for _ in range(total // threads):
                call()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    if threads == 1:
        with h.Timer() as timer:
            for _ in range(total):
                calls[0]()
    else:
        workers = [threading.Thread(target=work, args=(call,)) for call in calls]
        for w in workers:
            w.start()
        barrier.wait()
        with h.Timer() as timer:
            for w in workers:
                w.join()
    if errors:
        raise errors[0]
    return (total // threads) * threads, timer.seconds


def interleaved_rate(sides: dict, *, threads: int, total: int, rounds: int = 5) -> dict:
    """Rows/s per side over `rounds` rounds alternating the sides (load changes hit every side alike)."""
    acc = {name: [0, 0.0] for name in sides}
    for _ in range(rounds):
        for name, make_call in sides.items():
            calls, seconds = throughput(make_call, threads=threads, total=total // rounds)
            acc[name][0] += calls
            acc[name][1] += seconds
    return {name: calls / seconds for name, (calls, seconds) in acc.items()}


def raw_verify(url: str) -> tuple[int, int]:
    """Read every row in id order (server-side cursor) and recompute the chain; returns (rows, problems)."""
    from dichvucong.audit.models import compute_entry_hash

    raw = h.Raw(url)
    expected, rows, problems = "0" * 64, 0, 0
    columns = "at, actor_id, actor_label, action, object_type, object_id, object_repr, before, after, prev_hash, hash"
    if raw.vendor == "postgresql":
        cursor = raw.conn.cursor(name="audit_verify")
        raw.conn.autocommit = False
    else:
        cursor = raw.conn.cursor()
    cursor.execute(f"SELECT {columns} FROM audit_auditentry ORDER BY id")  # noqa: S608
    for at, actor_id, label, action, otype, oid, orepr, before, after, prev, digest in cursor:
        if raw.vendor == "sqlite":
            at = datetime.datetime.fromisoformat(at).replace(tzinfo=datetime.UTC)
            before, after = (json.loads(v) if v is not None else None for v in (before, after))
        payload = {
            "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_label": label,
            "action": action,
            "object_type": otype,
            "object_id": oid,
            "object_repr": orepr,
            "before": before,
            "after": after,
        }
        problems += prev != expected or compute_entry_hash(prev_hash=prev, payload=payload) != digest
        expected, rows = digest, rows + 1
    raw.close()
    return rows, problems


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "10000,100000", requests=500)
    vendor = h.setup(args)
    from dichvucong.audit.selectors import audit_chain_verify

    raw = h.Raw(args.database_url)
    report = h.Report("audit_chain", vendor, raw)
    h.reset_tables("audit_auditentry", "audit_auditchainhead")
    modes = [1, 2] if vendor == "postgresql" else [1]
    record_rows, verify_rows = [], []
    for size in args.size_list:
        seconds = grow_chain(size)
        print(f"size {size}: chain built in {seconds:.1f}s", flush=True)
        queries, _ = h.count_queries(record_call())
        for threads in modes:
            rates = interleaved_rate(
                {"app": record_call, "raw": lambda: raw_record_call(args.database_url)},
                threads=threads,
                total=args.requests,
            )
            app, floor = rates["app"], rates["raw"]
            print(f"  record, {threads} thread(s): {app:.0f}/s vs raw {floor:.0f}/s", flush=True)
            record_rows.append(
                [
                    f"{size:,}",
                    str(threads),
                    f"{app:.0f}",
                    f"{1000 / app * threads:.2f}",
                    str(queries),
                    f"{floor:.0f}",
                    h.ratio(floor, app),
                ]
            )
        with h.Timer() as t_app:
            problems = audit_chain_verify()
        with h.Timer() as t_raw:
            rows, raw_problems = raw_verify(args.database_url)
        assert not problems and not raw_problems, (problems[:3], raw_problems)
        print(f"  verify {rows} rows: {t_app.seconds:.2f}s vs raw {t_raw.seconds:.2f}s", flush=True)
        verify_rows.append(
            [
                f"{rows:,}",
                f"{t_app.seconds:.2f}",
                f"{t_app.seconds / rows * 1e6:.0f}",
                f"{t_raw.seconds:.2f}",
                h.ratio(t_app.seconds, t_raw.seconds),
                f"{t_app.seconds / rows * 1e7 / 60:.1f}",
            ]
        )
    report.text(
        f"`audit_record` throughput: {args.requests} calls per side and mode (5 rounds alternating the sides), each in its own transaction; "
        "ratio = raw rows/s ÷ `audit_record` rows/s.",
        "",
    )
    report.table(
        [
            "chain length",
            "threads",
            "audit_record rows/s",
            "ms per row (per thread)",
            "SQL/call",
            "raw rows/s",
            "raw ÷ audit_record",
        ],
        record_rows,
    )
    report.text("`audit_chain_verify()` (= `manage.py audit_verify`), whole chain, one run each:", "")
    report.table(
        [
            "rows verified",
            "audit_chain_verify s",
            "µs per row",
            "raw read + rehash s",
            "verify ÷ raw",
            "extrapolated min per 10M rows",
        ],
        verify_rows,
    )
    report.save()
    raw.close()


if __name__ == "__main__":
    main()

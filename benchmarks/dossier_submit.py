"""Benchmark (c): online dossier submission throughput, `POST /api/v1/dossiers/` (code sequence, deadline,
history and audit rows), single-threaded and with 2 threads, against dossier tables preloaded at several sizes.

Side by side: the endpoint through the Django test Client (one Client and one database connection per thread,
token authentication); a raw DB-API INSERT of an equivalent dossier row (one statement, autocommit: the floor);
and the same writes as the service done by hand in one transaction (code sequence upsert, dossier, history row,
audit row chained under the head lock) to separate the cost of the design from the cost of the framework.

    .venv/bin/python benchmarks/dossier_submit.py --sizes 10000,100000 --requests 300
"""

import json
import threading
import time
import uuid

import _dossier_data as data
import _harness as h


def dossier_columns():
    from dichvucong.dossiers.models import Dossier

    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    return fields, ", ".join(f.column for f in fields)


class RawWriter:
    """Equivalent writes on a raw connection of its own (one per thread)."""

    counter = 0
    lock = threading.Lock()

    def __init__(self, url: str, world):
        self.raw = h.Raw(url)
        self.world = world
        self.fields, self.names = dossier_columns()
        self.agency = world.districts[1]  # its own agency: the raw codes never collide with the API's
        self.procedure = world.procedures[0]
        self.citizen = world.citizens[0]

    def _row(self, code: str) -> list:
        from django.utils import timezone

        now = timezone.now()
        values = {
            "code": code,
            "uuid": uuid.uuid4(),
            "procedure_id": self.procedure.pk,
            "agency_id": self.agency.pk,
            "owner_id": self.citizen.pk,
            "created_by_id": self.citizen.pk,
            "applicant_name": self.citizen.full_name,
            "applicant_id_number": self.citizen.id_number,
            "applicant_phone": self.citizen.phone,
            "applicant_email": self.citizen.email,
            "applicant_address": self.citizen.address,
            "summary": self.procedure.name,
            "form_data": {"child_name": "Nguyễn Văn Bình", "birth_date": "2024-03-01"},
            "channel": "online",
            "status": "new",
            "submitted_at": now,
            "received_at": now,
            "created_at": now,
            "updated_at": now,
        }
        from django.db import connection

        return [
            f.get_db_prep_save(values[f.attname] if f.attname in values else f.get_default(), connection)
            for f in self.fields
        ]

    def _next(self) -> int:
        with RawWriter.lock:
            RawWriter.counter += 1
            return RawWriter.counter

    def insert(self) -> None:
        """Floor: one INSERT of an equivalent row, autocommit."""
        placeholders = ", ".join("%s" for _ in self.fields)
        self.raw.execute(
            f"INSERT INTO dossiers_dossier ({self.names}) VALUES ({placeholders})",  # noqa: S608
            self._row(f"RAW-{self._next():08d}"),
        )

    def same_writes(self) -> None:
        """The service's writes by hand: sequence, dossier, history row, audit row under the chain head lock, outbox
        messages, monitoring fact and counters."""
        from django.utils import timezone

        from dichvucong.audit.keys import audit_keys
        from dichvucong.audit.models import compute_entry_hash

        def statements(raw: h.Raw) -> None:
            day = timezone.localdate()
            last = raw.fetchone(
                "INSERT INTO common_sequence (key, value) VALUES (%s, 1) "
                "ON CONFLICT (key) DO UPDATE SET value = common_sequence.value + 1 "
                "RETURNING value",
                [f"bench-raw/{self.agency.pk}/{day:%Y-%m-%d}"],
            )[0]
            # Its own series and an "R" in the number: the generated dossiers already use the agency's codes of today.
            code = f"{self.agency.code}-{day:%y%m%d}-R{last:05d}"
            placeholders = ", ".join("%s" for _ in self.fields)
            dossier_id = raw.fetchone(
                f"INSERT INTO dossiers_dossier ({self.names}) VALUES ({placeholders}) "  # noqa: S608
                "RETURNING id",
                self._row(code),
            )[0]
            now = timezone.now()
            raw.execute(
                "INSERT INTO dossiers_dossierevent (dossier_id, at, actor_id, actor_label, action, from_status, "
                "to_status, note) VALUES (%s, %s, %s, %s, 'submit', '', 'new', '')",
                [dossier_id, now, self.citizen.pk, self.citizen.full_name],
            )
            lock = " FOR UPDATE" if raw.vendor == "postgresql" else ""  # SQLite: BEGIN IMMEDIATE locks already
            prev = raw.fetchone(f"SELECT last_hash FROM audit_auditchainhead WHERE id = 1{lock}")[0]
            after = {"code": code, "status": "new", "received_at": now.isoformat()}
            payload = {
                "at": now.isoformat(timespec="microseconds"),
                "actor_id": self.citizen.pk,
                "actor_label": self.citizen.username,
                "action": "dossier.submit",
                "object_type": "dossiers.dossier",
                "object_id": code,
                "object_repr": code,
                "before": None,
                "after": after,
            }
            keys = audit_keys()  # the keyed chain of ADR 0014: HMAC with the current key, its id in the row
            if keys.current_id:
                payload["key_id"] = keys.current_id
            digest = compute_entry_hash(prev_hash=prev, payload=payload, key=keys.current)
            raw.execute(
                "INSERT INTO audit_auditentry (at, actor_id, actor_label, action, object_type, object_id, "
                "object_repr, before, after, prev_hash, hash, key_id) VALUES (%s, %s, %s, 'dossier.submit', "
                "'dossiers.dossier', %s, %s, NULL, %s, %s, %s, %s)",
                [
                    now,
                    self.citizen.pk,
                    self.citizen.username,
                    code,
                    code,
                    json.dumps(after),
                    prev,
                    digest,
                    keys.current_id or "",
                ],
            )
            raw.execute("UPDATE audit_auditchainhead SET last_hash = %s, length = length + 1 WHERE id = 1", [digest])
            self._outbox_and_rollups(raw, dossier_id, code, now)

        self.raw.transaction(statements)

    def _outbox_and_rollups(self, raw: h.Raw, dossier_id: int, code: str, now) -> None:
        """What the registry's effects write in the same transaction (ADR 0009, ADR 0015): the portal packet, the
        applicant's e-mail and SMS in the outbox (one INSERT), the dossier's monitoring fact and the four counters."""
        from django.db import connection
        from django.utils import timezone

        from dichvucong.integrations.models import OutboxMessage
        from dichvucong.monitoring.models import COUNTERS

        fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
        names = ", ".join(f.column for f in fields)
        packet = {
            "MaHoSo": code,
            "MaTTHC": self.procedure.code,
            "TenTTHC": self.procedure.name,
            "TrangThaiHoSo": 1,
            "ChuHoSo": self.citizen.full_name,
            "MaDoiTuong": self.citizen.id_number,
            "TaiLieuNop": [],
            "DanhSachLePhi": [],
            "DanhSachHoSoBoSung": [],
            "DanhSachGiayToKetQua": [],
        }
        messages = [
            ("national_portal", "DongBoHoSoMC", packet, ""),
            (
                "email",
                "notification.received",
                {"event": "received", "subject": code, "body": "x" * 400},
                self.citizen.email or "a@example.vn",
            ),
            ("sms", "notification.received", {"event": "received", "text": "x" * 160}, self.citizen.phone or "0900"),
        ]
        rows, params = [], []
        for target, kind, payload, destination in messages:
            message = OutboxMessage(
                target=target,
                kind=kind,
                payload=payload,
                dossier_id=dossier_id,
                destination=destination,
                ordering_key=f"{target}:d{dossier_id}",
                idempotency_key=uuid.uuid4().hex,
                created_at=now,
                updated_at=now,
            )
            rows.append("(" + ", ".join("%s" for _ in fields) + ")")
            params += [f.get_db_prep_save(getattr(message, f.attname), connection) for f in fields]
        raw.execute(f"INSERT INTO integrations_outboxmessage ({names}) VALUES {', '.join(rows)}", params)  # noqa: S608
        day = timezone.localdate()
        agency, procedure = self.agency.pk, self.procedure.pk
        raw.execute(
            "INSERT INTO monitoring_dossierfact (dossier_id, agency_id, procedure_id, channel, received_on, outcome, "
            "apologised, supplements, e_result, national_portal, paid) "
            "VALUES (%s, %s, %s, 'online_full', %s, '', false, 0, false, false, '')",
            [dossier_id, agency, procedure, day],
        )
        columns = ", ".join(COUNTERS)
        for table, keys, key_values in (
            ("monitoring_flowagencymonth", "month, agency_id", [day.replace(day=1), agency]),
            ("monitoring_flowagencyday", "day, agency_id", [day, agency]),
            ("monitoring_flowmonth", "month, agency_id, procedure_id", [day.replace(day=1), agency, procedure]),
            ("monitoring_flowday", "day, agency_id, procedure_id", [day, agency, procedure]),
        ):
            counts = [1 if c == "received_online_full" else 0 for c in COUNTERS]
            placeholders = ", ".join(["%s"] * (len(key_values) + len(COUNTERS)))
            raw.execute(
                f"INSERT INTO {table} ({keys}, {columns}) VALUES ({placeholders}) ON CONFLICT ({keys}) "  # noqa: S608
                f"DO UPDATE SET received_online_full = {table}.received_online_full + 1",
                [*key_values, *counts],
            )


def api_submitter(world, citizen):
    from django.test import Client

    client = Client()
    headers = world.auth(citizen)
    body = {
        "procedure": world.procedures[0].code,
        "agency": world.officer_agency.code,
        "form_data": {"child_name": "Nguyễn Văn Bình", "birth_date": "2024-03-01"},
    }

    def submit():
        return h.check_response(client.post("/api/v1/dossiers/", body, content_type="application/json", **headers), 201)

    return submit


def throughput(make_call, *, threads: int, total: int) -> dict:
    """Run `total` calls split over `threads` threads (each with its own call from `make_call(i)`)."""
    from django.db import connection

    per_thread = total // threads
    samples: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    calls = [make_call(i) for i in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def work(i: int) -> None:
        try:
            calls[i]()  # warm-up (connection, caches)
            barrier.wait()
            for _ in range(per_thread):
                start = time.perf_counter()
                calls[i]()
                samples[i].append((time.perf_counter() - start) * 1000)
        except BaseException as exc:  # reported after join
            errors.append(exc)
        finally:
            if threads > 1:
                connection.close()

    if threads == 1:
        calls[0]()
        with h.Timer() as timer:
            for _ in range(per_thread):
                start = time.perf_counter()
                calls[0]()
                samples[0].append((time.perf_counter() - start) * 1000)
    else:
        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        for w in workers:
            w.start()
        barrier.wait()
        with h.Timer() as timer:
            for w in workers:
                w.join()
    if errors:
        raise errors[0]
    return {
        "calls": len(samples[0]) * threads,
        "seconds": timer.seconds,
        "samples": [s for thread in samples for s in thread],
    }


def interleaved_throughput(sides: dict, *, threads: int, total: int, rounds: int = 5) -> dict:
    """Each side runs total/rounds calls per round, sides alternating, so load changes hit every side alike."""
    acc = {name: {"calls": 0, "seconds": 0.0, "samples": []} for name in sides}
    for _ in range(rounds):
        for name, make_call in sides.items():
            r = throughput(make_call, threads=threads, total=total // rounds)
            acc[name]["calls"] += r["calls"]
            acc[name]["seconds"] += r["seconds"]
            acc[name]["samples"] += r["samples"]
    return {name: {"rps": a["calls"] / a["seconds"], **h.summarise(a["samples"])} for name, a in acc.items()}


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "10000,100000", requests=300)
    vendor = h.setup(args)
    raw = h.Raw(args.database_url)
    report = h.Report("dossier_submit", vendor, raw)
    world = data.World()
    modes = [1, 2] if vendor == "postgresql" else [1]
    rows = []
    for size in args.size_list:
        seconds = world.grow(size)
        print(f"size {size}: generated in {seconds:.1f}s", flush=True)
        submit = api_submitter(world, world.citizens[0])
        submit()
        queries, _ = h.count_queries(submit)
        for threads in modes:
            results = interleaved_throughput(
                {
                    "API": lambda i: api_submitter(world, world.citizens[i]),
                    "raw INSERT": lambda i: RawWriter(args.database_url, world).insert,
                    "raw, same writes": lambda i: RawWriter(args.database_url, world).same_writes,
                },
                threads=threads,
                total=args.requests,
            )
            api = results["API"]
            for name, r in results.items():
                print(f"  {threads} thread(s) {name}: {r['rps']:.0f} req/s, median {r['median']:.2f} ms", flush=True)
            floor, same = results["raw INSERT"], results["raw, same writes"]
            rows.append(
                [
                    f"{size:,}",
                    str(threads),
                    f"{api['rps']:.0f}",
                    h.fmt(api["median"]),
                    h.fmt(api["p95"]),
                    str(queries),
                    f"{floor['rps']:.0f}",
                    h.fmt(floor["median"]),
                    f"{same['rps']:.0f}",
                    h.fmt(same["median"]),
                    h.ratio(floor["rps"], api["rps"]),
                    h.ratio(same["rps"], api["rps"]),
                ]
            )
    report.text(
        f"`POST /api/v1/dossiers/` (online submission by a citizen, token authentication, one district, "
        f"no attachments), {args.requests} timed requests per side and mode in 5 rounds alternating the sides, Django "
        f"test Client in-process (one Client and connection per thread). Ratios: how many times the raw side's throughput exceeds "
        f"the API's.",
        "",
    )
    report.table(
        [
            "dossiers already",
            "threads",
            "API req/s",
            "API median ms",
            "API p95 ms",
            "SQL/request",
            "raw INSERT req/s",
            "raw INSERT median ms",
            "raw same writes req/s",
            "raw same writes median ms",
            "raw INSERT ÷ API",
            "raw same writes ÷ API",
        ],
        rows,
    )
    report.save()
    raw.close()


if __name__ == "__main__":
    main()

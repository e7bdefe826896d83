"""Realistic dossier volumes for any size, calibrated on the seed (Plan 111/KH-UBND, ../shared/seed/):

- ≈ 920 dossiers per working day (123,742 received from 01/01 to 15/5/2021, about 134 working days);
- 1,975 procedures: 43 % at level 3, 33 % at level 4 in mid-2021, the rest level 2; about 65 % provincial
  (departments), 25 % district, 10 % commune; a few procedures receive most dossiers (Zipf-like weights);
- 96 % received at the counter in 2021, the online share growing by ~9 points a year afterwards (capped at 70 %),
  online only where the procedure is at level 3 (một phần) or 4 (toàn trình); 1 % by post;
- agencies: communes receive about 45 % of the dossiers, districts 30 %, departments 25 %;
- outcomes of dossiers older than a month: 99.6 % resolved (seed: 123,298 of 123,742), of which ~4 % late;
  refusals, withdrawals and stops ~2 %; recent ones are still in progress in realistic proportions.

On PostgreSQL the rows are drawn by the database itself (`INSERT … SELECT` over `generate_series`, the same draws
as `_dossier` written in SQL, random() seeded from the generator's seed) into the dossier table with its secondary
indexes and foreign keys set aside and rebuilt at the end of the same transaction: 10M dossiers in ~22 min on a
loaded 2-CPU machine where the row-by-row Python draws + COPY managed ~1.5k rows/s (docs/benchmarks.md (e)).
Elsewhere (SQLite) `_dossier` row by row and bulk_create. The rollups are then rebuilt from the dossier table
(`rollups.rebuild`). Procedures and agencies missing for the calibration are created (synthetic, marked "(mô
phỏng)"); existing ones are used first. Never run it against a database you care about: it adds dossiers.
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
import uuid

from django.db import connection, transaction
from django.utils import timezone

from dichvucong.agencies.models import Agency, AgencyKind, Tier
from dichvucong.agencies.services import agency_create
from dichvucong.catalog.models import Field, Offering, Procedure, online_mode_for_level
from dichvucong.dossiers.models import Dossier

PER_DAY = 920
PROCEDURES = 1975
NATIONAL_PORTAL_SHARE = 0.2
TIER_SHARE_OF_PROCEDURES = {Tier.PROVINCE: 0.65, Tier.DISTRICT: 0.25, Tier.COMMUNE: 0.10}
TIER_SHARE_OF_DOSSIERS = {Tier.PROVINCE: 0.25, Tier.DISTRICT: 0.30, Tier.COMMUNE: 0.45}
ACTOR = "monitoring-generator"


def _working_days(start: datetime.date):
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def online_share(day: datetime.date) -> float:
    """4 % in 2021 (seed), +9 points a year, at most 70 %."""
    years = (day - datetime.date(2021, 1, 1)).days / 365.25
    return min(0.70, 0.04 + 0.09 * max(0.0, years))


def ensure_agencies(*, departments: int = 20, districts: int = 10, communes_per_district: int = 16) -> dict:
    """{tier: [Agency]}: the existing tree, topped up with synthetic units (through `agency_create`)."""
    province = Agency.objects.filter(tier=Tier.PROVINCE, parent__isnull=True).first()
    if province is None:
        province = agency_create(
            actor=ACTOR,
            code="000.00.00.H31",
            name="Ủy ban nhân dân tỉnh (mô phỏng)",
            tier=Tier.PROVINCE,
            kind=AgencyKind.PEOPLES_COMMITTEE,
        )
    suffix = province.code[-3:]
    have = {tier: list(Agency.objects.filter(tier=tier).exclude(pk=province.pk)) for tier in Tier.values}
    for i in range(len(have[Tier.PROVINCE]), departments):
        have[Tier.PROVINCE].append(
            agency_create(
                actor=ACTOR,
                code=f"000.00.{60 + i:02d}.{suffix}",
                name=f"Sở {i + 1} (mô phỏng)",
                tier=Tier.PROVINCE,
                kind=AgencyKind.DEPARTMENT,
                parent=province,
            )
        )
    for i in range(len(have[Tier.DISTRICT]), districts):
        have[Tier.DISTRICT].append(
            agency_create(
                actor=ACTOR,
                code=f"000.00.{80 + i:02d}.{suffix}",
                name=f"Ủy ban nhân dân huyện {i + 1} (mô phỏng)",
                tier=Tier.DISTRICT,
                kind=AgencyKind.PEOPLES_COMMITTEE,
                parent=province,
            )
        )
    wanted = districts * communes_per_district
    if len(have[Tier.COMMUNE]) < wanted:
        for d_index, district in enumerate(have[Tier.DISTRICT]):
            _, _, y, m = district.code.split(".")
            existing = Agency.objects.filter(parent=district).count()
            for j in range(existing, communes_per_district):
                code = f"000.{50 + j:02d}.{y}.{m}"
                if Agency.objects.filter(code=code).exists():
                    continue
                have[Tier.COMMUNE].append(
                    agency_create(
                        actor=ACTOR,
                        code=code,
                        name=f"Ủy ban nhân dân xã {d_index + 1}.{j + 1} (mô phỏng)",
                        tier=Tier.COMMUNE,
                        kind=AgencyKind.PEOPLES_COMMITTEE,
                        parent=district,
                    )
                )
    have[Tier.PROVINCE] = [a for a in have[Tier.PROVINCE] if a.kind != AgencyKind.DIVISION] or [province]
    return have


def ensure_procedures(total: int, agencies: dict, rng: random.Random) -> dict:
    """{tier: [(procedure_id, level, agency_ids or None)]}: existing procedures, topped up to `total`."""
    field, _ = Field.objects.get_or_create(code="MP", defaults={"name": "Lĩnh vực mô phỏng"})
    existing = Procedure.objects.count()
    new_rows = []
    for i in range(existing, total):
        roll = rng.random()
        level = 3 if roll < 0.43 else (4 if roll < 0.76 else 2)
        tier = rng.choices(list(TIER_SHARE_OF_PROCEDURES), weights=list(TIER_SHARE_OF_PROCEDURES.values()))[0]
        new_rows.append(
            Procedure(
                code=f"8.{i:06d}",
                name=f"Thủ tục mô phỏng {i:04d}",
                field=field,
                tiers=f",{tier},",
                processing_days=rng.choice([1, 3, 5, 7, 10, 15, 20]),
                online_level=level,
                online_mode=online_mode_for_level(level),
            )
        )
    Procedure.objects.bulk_create(new_rows, batch_size=1000)
    offerings = []
    start = datetime.date(2021, 1, 1)
    for procedure in Procedure.objects.filter(code__startswith="8.", offerings__isnull=True):
        tier = procedure.tiers.strip(",").split(",")[0]
        if tier == Tier.PROVINCE:
            agency = rng.choice(agencies[Tier.PROVINCE])
            offerings.append(
                Offering(procedure=procedure, agency=agency, online_level=procedure.online_level, valid_from=start)
            )
        else:
            offerings.append(
                Offering(procedure=procedure, tier=tier, online_level=procedure.online_level, valid_from=start)
            )
    for offering in offerings:
        offering.online_mode = online_mode_for_level(offering.online_level)
    Offering.objects.bulk_create(offerings, batch_size=1000)
    by_tier: dict = {tier: [] for tier in Tier.values}
    for procedure_id, level, agency_id, tier, agency_tier in Offering.objects.filter(offered=True).values_list(
        "procedure_id", "online_level", "agency_id", "tier", "agency__tier"
    ):
        by_tier[agency_tier or tier].append((procedure_id, level, agency_id))
    return by_tier


class Generator:
    def __init__(self, *, seed: int = 2021, per_day: int = PER_DAY, start: datetime.date | None = None):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.per_day = per_day
        self.start = start  # None: the data end today (the first day is found from the size)
        self.tz = timezone.get_current_timezone()

    def prepare(self, procedures: int = PROCEDURES):
        self.agencies = ensure_agencies()
        self.procedures = ensure_procedures(procedures, self.agencies, self.rng)
        self.weights = {
            tier: list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(items))))
            for tier, items in self.procedures.items()
        }
        self.tiers = [t for t in TIER_SHARE_OF_DOSSIERS if self.procedures.get(t) and self.agencies.get(t)]
        self.tier_weights = [TIER_SHARE_OF_DOSSIERS[t] for t in self.tiers]

    def _dossier(self, n: int, day: datetime.date, today: datetime.date) -> dict:
        rng = self.rng
        tier = rng.choices(self.tiers, weights=self.tier_weights)[0]
        procedure_id, level, agency_id = rng.choices(self.procedures[tier], cum_weights=self.weights[tier])[0]
        if agency_id is None:
            agency_id = rng.choice(self.agencies[tier]).pk
        roll = rng.random()
        if roll < 0.01:
            channel = "postal"
        elif level >= 3 and roll < 0.01 + online_share(day) * 1.6:
            channel = "online"
        else:
            channel = "counter"
        # about a fifth of the online dossiers come from the National Public Service Portal (ADR 0009)
        origin = "national_portal" if channel == "online" and rng.random() < NATIONAL_PORTAL_SHARE else "local"
        received = datetime.datetime.combine(day, datetime.time(7, 30), self.tz) + datetime.timedelta(
            minutes=rng.randint(0, 540)
        )
        days = rng.choice([1, 3, 5, 7, 10, 15])
        due = received + datetime.timedelta(days=days * 7 // 5 + 1)
        age = (today - day).days
        status, finished, returned, timeliness = "processing", None, None, ""
        outcome = rng.random()
        if age > 30 or outcome < min(0.97, age / 30):
            if outcome < 0.012:
                status = "refused"
            elif outcome < 0.018:
                status = "withdrawn"
            elif outcome < 0.02:
                status = "stopped"
            else:
                status = "result_returned" if rng.random() < 0.97 else "processed"
            spent = rng.random()
            if spent < 0.04:  # late
                finished = due + datetime.timedelta(days=rng.randint(1, 10))
            elif spent < 0.30:
                finished = due.replace(hour=9)
            else:
                finished = received + (due - received) * rng.uniform(0.1, 0.8)
            finished = min(finished, timezone.now())
            if status == "result_returned":
                returned = finished + datetime.timedelta(hours=rng.randint(1, 48))
                f, d = finished.astimezone(self.tz).date(), due.astimezone(self.tz).date()
                timeliness = "late" if f > d else ("early" if f < d else "on_time")
        else:
            status = rng.choices(
                ["new", "accepted", "processing", "supplement_requested", "payment_requested"],
                weights=[10, 15, 60, 10, 5],
            )[0]
        accepted = None if status == "new" else received + datetime.timedelta(minutes=rng.randint(0, 240))
        agency_code = self._codes.get(agency_id, "")
        return {
            "uuid": uuid.uuid4(),
            "code": f"{agency_code}-{day:%y%m%d}-G{n:08d}",
            "procedure_id": procedure_id,
            "agency_id": agency_id,
            "applicant_name": "Người nộp mô phỏng",
            "channel": channel,
            "origin": origin,
            "status": status,
            "submitted_at": received,
            "received_at": received,
            "accepted_at": accepted,
            "due_at": due if accepted else None,
            "finished_at": finished,
            "returned_at": returned,
            "timeliness": timeliness,
            "created_at": received,
            "updated_at": finished or received,
        }

    def generate(self, count: int, *, batch: int = 20000, progress=None) -> int:
        """Add `count` dossiers from `self.start`, `per_day` a working day; returns the number written."""
        self._codes = dict(Agency.objects.values_list("pk", "code"))
        today = timezone.localdate()
        start = self.start or first_working_day_for(count, self.per_day, today)
        if connection.vendor == "postgresql":
            return self._generate_in_sql(count, start, today, progress=progress)
        days = _working_days(start)
        written, n0 = 0, Dossier.objects.count()
        day, left_today = next(days), self.per_day
        while written < count:
            rows = []
            while len(rows) < min(batch, count - written):
                if left_today == 0:
                    day, left_today = next(days), self.per_day
                rows.append(self._dossier(n0 + written + len(rows), day, today))
                left_today -= 1
            write_rows(Dossier, rows)
            written += len(rows)
            if progress:
                progress(written)
        return written

    # --- PostgreSQL: the same draws written in SQL ----------------------------------------------------------------

    def _lookup_tables(self, cursor, count: int, start: datetime.date, today: datetime.date) -> list[float]:
        """Temporary tables the INSERT … SELECT draws from; returns the cumulative tier weights.

        gen_day: the n-th working day from `start` with its online share and age; gen_pick: for each tier, SLOTS
        slots spread over its procedures by the same Zipf weights (slot s → the first procedure whose cumulative
        weight reaches (s + ½) / SLOTS of the total); gen_agency: the agencies of each tier; gen_code: agency codes."""
        cursor.execute(
            "CREATE TEMP TABLE gen_day (idx integer PRIMARY KEY, day date, share float8, age integer) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE gen_pick (tier integer, slot integer, procedure_id bigint, level integer, "
            "agency_id bigint, agencies integer, PRIMARY KEY (tier, slot)) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE gen_agency (tier integer, idx integer, id bigint, PRIMARY KEY (tier, idx)) "
            "ON COMMIT DROP"
        )
        cursor.execute("CREATE TEMP TABLE gen_code (id bigint PRIMARY KEY, code text) ON COMMIT DROP")
        days, day = [], _working_days(start)
        for index in range(-(-count // self.per_day)):
            current = next(day)
            days.append((index, current, online_share(current), (today - current).days))
        picks, agencies = [], []
        for tier_index, tier in enumerate(self.tiers):
            units = self.agencies[tier]
            agencies += [(tier_index, i, agency.pk) for i, agency in enumerate(units)]
            weights, items = self.weights[tier], self.procedures[tier]
            position = 0
            for slot in range(SLOTS):
                target = (slot + 0.5) / SLOTS * weights[-1]
                while weights[position] < target:
                    position += 1
                procedure_id, level, agency_id = items[position]
                picks.append((tier_index, slot, procedure_id, level, agency_id, len(units)))
        for table, rows in (
            ("gen_day", days),
            ("gen_pick", picks),
            ("gen_agency", agencies),
            ("gen_code", list(self._codes.items())),
        ):
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        cursor.execute("ANALYZE gen_day; ANALYZE gen_pick; ANALYZE gen_agency; ANALYZE gen_code")
        total = sum(self.tier_weights)
        return list(itertools.accumulate(w / total for w in self.tier_weights))

    def _generate_in_sql(self, count: int, start: datetime.date, today: datetime.date, *, progress=None) -> int:
        """One transaction: the dossier table's secondary indexes and foreign keys set aside, `count` rows inserted by
        `INSERT … SELECT` over `generate_series` in chunks (the draws of `_dossier`, with `random()` seeded from
        the generator's seed), then the indexes rebuilt and the foreign keys validated by one join each."""
        from .rollups import set_aside_indexes

        computed = {
            "uuid", "code", "procedure_id", "agency_id", "applicant_name", "channel", "status", "submitted_at",
            "received_at", "accepted_at", "due_at", "finished_at", "returned_at", "timeliness", "created_at",
            "updated_at",
        }  # fmt: skip
        fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
        constants, params = [], {}
        for f in fields:
            if f.attname in computed:
                continue
            value = f.get_default()
            if f.get_internal_type() == "JSONField":
                value = json.dumps(value, ensure_ascii=False)
            params[f"c_{f.attname}"] = value
            constants.append(f"%(c_{f.attname})s::{f.db_type(connection)}")
        columns = [f.column for f in fields if f.attname in computed] + [
            f.column for f in fields if f.attname not in computed
        ]
        computed_order = [f.attname for f in fields if f.attname in computed]
        with transaction.atomic(), connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # the psycopg cursor (COPY)
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SELECT setseed(%s)", [(self.rng.random() * 2) - 1])
            tiers = self._lookup_tables(cursor, count, start, today)
            cursor.execute("SELECT count(*) FROM dossiers_dossier")
            n0 = cursor.fetchone()[0]
            restore = set_aside_indexes(cursor, [Dossier._meta.db_table])
            sql = _INSERT_SQL.format(
                columns=", ".join(connection.ops.quote_name(c) for c in columns),
                values=", ".join([_EXPRESSIONS[name] for name in computed_order] + constants),
            )
            params.update(
                tz=str(self.tz),
                per_day=self.per_day,
                slots=SLOTS,
                n0=n0,
                t0=tiers[0],
                t1=tiers[1] if len(tiers) > 1 else 2.0,
                applicant="Người nộp mô phỏng",
            )
            written = 0
            while written < count:
                size = min(SQL_CHUNK, count - written)
                cursor.execute(sql, {**params, "first": written, "last": written + size - 1})
                if cursor.rowcount != size:  # a draw without its lookup row: a bug, never silently fewer rows
                    raise RuntimeError(f"generated {cursor.rowcount} dossiers instead of {size}")
                written += size
                if progress:
                    progress(written)
            for statement in restore:
                cursor.execute(statement)
        return written


#: Zipf slots per tier (the smallest procedure weight is ~1/30,000 of a tier's total at 1,975 procedures).
SLOTS = 1 << 17
SQL_CHUNK = 500_000

#: `_dossier` in SQL, column by column (`r` holds the draws, `g` the derived values).
_EXPRESSIONS = {
    "uuid": "gen_random_uuid()",
    "code": "gc.code || '-' || to_char(g.day, 'YYMMDD') || '-G' || lpad(g.n::text, greatest(8, length(g.n::text)), '0')",
    "procedure_id": "g.procedure_id",
    "agency_id": "g.agency_id",
    "applicant_name": "%(applicant)s",
    "channel": "g.channel",
    "status": "g.status",
    "submitted_at": "g.received",
    "received_at": "g.received",
    "accepted_at": "g.accepted",
    "due_at": "CASE WHEN g.accepted IS NOT NULL THEN g.due END",
    "finished_at": "g.finished",
    "returned_at": "CASE WHEN g.status = 'result_returned' THEN g.finished + make_interval(hours => 1 + floor(g.r_ret * 48)::int) END",
    "timeliness": """CASE WHEN g.status <> 'result_returned' THEN ''
        WHEN (g.finished AT TIME ZONE %(tz)s)::date > (g.due AT TIME ZONE %(tz)s)::date THEN 'late'
        WHEN (g.finished AT TIME ZONE %(tz)s)::date < (g.due AT TIME ZONE %(tz)s)::date THEN 'early'
        ELSE 'on_time' END""",
    "created_at": "g.received",
    "updated_at": "COALESCE(g.finished, g.received)",
}  # fmt: skip

_INSERT_SQL = """
INSERT INTO dossiers_dossier ({columns})
SELECT {values}
FROM (
    SELECT f.*,
        CASE WHEN NOT f.closed THEN NULL
             ELSE LEAST(now(), CASE
                 WHEN f.r_spent < 0.04 THEN f.due + make_interval(days => 1 + floor(f.r_late * 10)::int)
                 WHEN f.r_spent < 0.30
                     THEN f.due - make_interval(hours => extract(hour FROM f.due AT TIME ZONE %(tz)s)::int - 9)
                 ELSE f.received + (f.due - f.received) * (0.1 + 0.7 * f.r_u) END) END AS finished,
        CASE WHEN f.status = 'new' THEN NULL
             ELSE f.received + make_interval(mins => floor(f.r_acc * 241)::int) END AS accepted
    FROM (
        SELECT e.*,
            CASE WHEN e.closed THEN
                CASE WHEN e.r_out < 0.012 THEN 'refused' WHEN e.r_out < 0.018 THEN 'withdrawn'
                     WHEN e.r_out < 0.02 THEN 'stopped' WHEN e.r_st < 0.97 THEN 'result_returned'
                     ELSE 'processed' END
            ELSE
                CASE WHEN e.r_open < 0.10 THEN 'new' WHEN e.r_open < 0.25 THEN 'accepted'
                     WHEN e.r_open < 0.85 THEN 'processing' WHEN e.r_open < 0.95 THEN 'supplement_requested'
                     ELSE 'payment_requested' END
            END AS status,
            e.received + make_interval(days => (ARRAY[1, 3, 5, 7, 10, 15])[1 + floor(e.r_days * 6)::int] * 7 / 5 + 1)
                AS due
        FROM (
            SELECT r.*, d.day, p.procedure_id, COALESCE(p.agency_id, a.id) AS agency_id,
                CASE WHEN r.r_ch < 0.01 THEN 'postal'
                     WHEN p.level >= 3 AND r.r_ch < 0.01 + d.share * 1.6 THEN 'online'
                     ELSE 'counter' END AS channel,
                ((d.day + time '07:30') + make_interval(mins => floor(r.r_min * 541)::int)) AT TIME ZONE %(tz)s
                    AS received,
                (d.age > 30 OR r.r_out < LEAST(0.97, d.age / 30.0)) AS closed
            FROM (
                SELECT q.*, CASE WHEN q.r_tier < %(t0)s THEN 0 WHEN q.r_tier < %(t1)s THEN 1 ELSE 2 END AS tier
                FROM (
                    SELECT i, %(n0)s + i AS n, i / %(per_day)s AS di, random() AS r_tier,
                        floor(random() * %(slots)s)::int AS slot, random() AS r_ag, random() AS r_ch,
                        random() AS r_min, random() AS r_days, random() AS r_out, random() AS r_st,
                        random() AS r_spent, random() AS r_late, random() AS r_u, random() AS r_ret,
                        random() AS r_open, random() AS r_acc
                    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i
                ) AS q
            ) AS r
            JOIN gen_day d ON d.idx = r.di
            JOIN gen_pick p ON p.tier = r.tier AND p.slot = r.slot
            JOIN gen_agency a ON a.tier = r.tier AND a.idx = floor(r.r_ag * p.agencies)::int
        ) AS e
    ) AS f
) AS g
JOIN gen_code gc ON gc.id = g.agency_id
ORDER BY g.i
"""


def write_rows(model, rows: list[dict]) -> None:
    """COPY on PostgreSQL (every concrete column: the given value, else the field's default), bulk_create else."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql":
        auto = [model._meta.get_field(name) for name in ("created_at", "updated_at")]
        saved = [(f.auto_now, f.auto_now_add) for f in auto]
        for f in auto:
            f.auto_now = f.auto_now_add = False
        try:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        finally:
            for f, (auto_now, auto_now_add) in zip(auto, saved, strict=True):
                f.auto_now, f.auto_now_add = auto_now, auto_now_add
        return
    defaults = {f.attname: f.get_default() for f in fields}
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    with transaction.atomic():
        connection.ensure_connection()
        sql = f"COPY {model._meta.db_table} ({names}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row.get(f.attname, defaults[f.attname]), ensure_ascii=False)
                        if f.attname in json_fields
                        else row.get(f.attname, defaults[f.attname])
                        for f in fields
                    ]
                )


def first_working_day_for(count: int, per_day: int, today: datetime.date) -> datetime.date:
    """The first working day such that `count` dossiers at `per_day` a working day end today (never in the future:
    dossiers dated after today would all be open)."""
    needed = -(-count // per_day)
    day = today
    while needed > 1 or day.weekday() >= 5:
        if day.weekday() < 5:
            needed -= 1
        day -= datetime.timedelta(days=1)
    return day

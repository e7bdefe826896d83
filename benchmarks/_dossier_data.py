"""Synthetic but realistic data for the dossier benchmarks: a province with departments, districts and communes,
a pool of citizens, procedures offered online, officers with API tokens, and dossiers spread over three years.

Agencies, officers and offerings go through the real services (`agency_create`, `role_assign`); the bulk rows
(citizens, procedures, dossiers, events) through `bulk_create` with every derived column filled as the services
would (codes per agency and day, deadlines, statuses consistent with their timestamps).
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
import uuid
from decimal import Decimal

import _harness as h
from django.utils import timezone

PROVINCE_CODE = "000.00.00.H31"
# Share of the dossiers received by each kind of agency (weights per agency).
DEPARTMENTS, DISTRICTS, COMMUNES_PER_DISTRICT = 10, 10, 3
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hoài"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]
PROCEDURE_NAMES = [
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Đăng ký khai tử",
    "Chứng thực bản sao từ bản chính",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Đăng ký hộ kinh doanh",
    "Cấp phiếu lý lịch tư pháp",
    "Đăng ký biến động quyền sử dụng đất",
    "Cấp giấy phép bán lẻ rượu",
    "Xác nhận tình trạng hôn nhân",
    "Trợ cấp xã hội hằng tháng",
    "Đăng ký nhận cha, mẹ, con",
]
# (status, share, open?) — most dossiers of three years are finished; open ones are recent.
STATUS_MIX = [
    ("result_returned", 0.70, False),
    ("processed", 0.04, False),
    ("processing", 0.09, True),
    ("accepted", 0.04, True),
    ("new", 0.03, True),
    ("supplement_requested", 0.03, True),
    ("payment_requested", 0.01, True),
    ("refused", 0.03, False),
    ("withdrawn", 0.02, False),
    ("stopped", 0.01, False),
]
FORM_DATA = {
    "child_name": "Nguyễn Văn Bình",
    "birth_date": "2024-03-01",
    "birth_place": "Trạm y tế xã Lạc Đạo",
    "father_name": "Nguyễn Văn An",
    "mother_name": "Trần Thị Hoa",
}


class World:
    """The fixed part: agencies, citizens, procedures, offerings, officers (tokens). Built once per run."""

    def __init__(self, *, citizens: int = 5000):
        from dichvucong.accounts.models import User, UserKind
        from dichvucong.accounts.roles import Role
        from dichvucong.accounts.services import api_token_issue, role_assign
        from dichvucong.agencies.models import AgencyKind, Tier
        from dichvucong.agencies.services import agency_create
        from dichvucong.catalog.models import Field, Offering, Procedure

        h.reset_tables(
            "dossiers_dossierevent",
            "dossiers_dossier",
            "common_sequence",
            "catalog_offering",
            "catalog_procedure",
            "catalog_field",
            "accounts_apitoken",
            "accounts_roleassignment",
            "accounts_user",
            "agencies_agency",
            "audit_auditentry",
            "audit_auditchainhead",
        )
        actor = "benchmark"
        self.province = agency_create(
            actor=actor,
            code=PROVINCE_CODE,
            name="Ủy ban nhân dân tỉnh Hưng Yên",
            tier=Tier.PROVINCE,
            kind=AgencyKind.PEOPLES_COMMITTEE,
        )
        self.departments = [
            agency_create(
                actor=actor,
                code=f"000.00.{40 + i:02d}.H31",
                name=f"Sở số {i + 1}",
                tier=Tier.PROVINCE,
                kind=AgencyKind.DEPARTMENT,
                parent=self.province,
            )
            for i in range(DEPARTMENTS)
        ]
        self.districts, self.communes = [], []
        for i in range(DISTRICTS):
            district = agency_create(
                actor=actor,
                code=f"000.00.{60 + i:02d}.H31",
                name=f"UBND huyện số {i + 1}",
                tier=Tier.DISTRICT,
                kind=AgencyKind.PEOPLES_COMMITTEE,
                parent=self.province,
            )
            self.districts.append(district)
            for j in range(COMMUNES_PER_DISTRICT):
                self.communes.append(
                    agency_create(
                        actor=actor,
                        code=f"000.{j + 1:02d}.{60 + i:02d}.H31",
                        name=f"UBND xã {j + 1} huyện {i + 1}",
                        tier=Tier.COMMUNE,
                        kind=AgencyKind.PEOPLES_COMMITTEE,
                        parent=district,
                    )
                )
        self.agencies = [*self.departments, *self.districts, *self.communes]
        # Districts receive most dossiers, then departments, then each commune.
        self.weights = [3] * len(self.departments) + [8] * len(self.districts) + [1] * len(self.communes)
        self.officer_agency = self.districts[0]

        field = Field.objects.create(code="HT", name="Hộ tịch")
        procedures = []
        for i, name in enumerate(PROCEDURE_NAMES):
            p = Procedure(
                code=f"1.{i + 1:06d}",
                name=name,
                field=field,
                tiers=",province,district,commune,",
                processing_days=Decimal(random.Random(i).choice(["1", "3", "5", "10", "15"])),
                online_level=4,
                online_mode="full",
                valid_from=datetime.date(2021, 1, 1),
                form_schema=[
                    {"name": "child_name", "label": "Họ tên", "type": "text", "required": True},
                    {"name": "birth_date", "label": "Ngày sinh", "type": "date", "required": False},
                ],
            )
            p.refresh_search_text(field.name)
            procedures.append(p)
        self.procedures = Procedure.objects.bulk_create(procedures)
        Offering.objects.bulk_create(
            [
                Offering(
                    procedure=p, tier=tier, online_level=4, online_mode="full", valid_from=datetime.date(2021, 1, 1)
                )
                for p in self.procedures
                for tier in ("district", "commune")
            ]
            + [
                Offering(
                    procedure=p, agency=a, online_level=4, online_mode="full", valid_from=datetime.date(2021, 1, 1)
                )
                for p in self.procedures
                for a in [*self.departments, self.province]
            ]
        )

        rng = random.Random(7)
        users = []
        for i in range(citizens):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            users.append(
                User(
                    username=f"cd{i:06d}",
                    full_name=name,
                    kind=UserKind.CITIZEN,
                    password="!",
                    id_number=f"0330{rng.randint(80, 99)}{i:06d}",
                    phone=f"09{rng.randint(10**7, 10**8 - 1)}",
                    address="xã Lạc Đạo, huyện Văn Lâm, tỉnh Hưng Yên",
                    email=f"cd{i}@example.vn",
                )
            )
        self.citizens = User.objects.bulk_create(users, batch_size=2000)

        def staff(username: str, full_name: str) -> User:
            return User.objects.create(username=username, full_name=full_name, kind=UserKind.STAFF, password="!")

        self.reception = staff("bench.reception", "Cán bộ một cửa huyện 1")
        role_assign(actor=actor, user=self.reception, role=Role.RECEPTION, agency=self.officer_agency)
        role_assign(actor=actor, user=self.reception, role=Role.SPECIALIST, agency=self.officer_agency)
        self.monitor = staff("bench.monitor", "Tổ công tác giám sát")
        role_assign(actor=actor, user=self.monitor, role=Role.MONITOR)
        self.tokens = {
            user.username: api_token_issue(user=user, name="bench")[1] for user in [self.reception, self.monitor]
        }
        self.sequences: dict[tuple[int, datetime.date], int] = {}
        self.rng = random.Random(2024)
        self.count = 0

    def auth(self, user) -> dict:
        from dichvucong.accounts.services import api_token_issue

        key = self.tokens.get(user.username) or api_token_issue(user=user, name="bench")[1]
        self.tokens[user.username] = key
        return {"HTTP_AUTHORIZATION": f"Token {key}"}

    def _values(self, now: datetime.datetime) -> dict:
        """One dossier's column values (attnames); the other columns take their model defaults."""
        rng = self.rng
        status, _, is_open = rng.choices(STATUS_MIX, cum_weights=self._status_cum)[0]
        agency = rng.choices(self.agencies, cum_weights=self._agency_cum)[0]
        procedure = rng.choice(self.procedures)
        citizen = rng.choice(self.citizens)
        age_days = rng.uniform(0, 30) if is_open else rng.uniform(15, 3 * 365)
        created = now - datetime.timedelta(days=age_days, seconds=rng.randint(0, 3600))
        day = created.date()
        seq = self.sequences.get((agency.pk, day), 0) + 1
        self.sequences[(agency.pk, day)] = seq
        due = created + datetime.timedelta(days=int(procedure.processing_days) * 7 // 5 + 1)
        finished = created + datetime.timedelta(days=rng.uniform(0.5, 12)) if not is_open else None
        returned = finished + datetime.timedelta(days=rng.uniform(0, 3)) if status == "result_returned" else None
        return dict(
            code=f"{agency.code}-{day:%y%m%d}-{seq:04d}",
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            procedure_id=procedure.pk,
            agency_id=agency.pk,
            owner_id=citizen.pk,
            created_by_id=citizen.pk,
            applicant_name=citizen.full_name,
            applicant_id_number=citizen.id_number,
            applicant_phone=citizen.phone,
            applicant_email=citizen.email,
            applicant_address=citizen.address,
            summary=procedure.name,
            form_data=FORM_DATA,
            channel=rng.choices(["online", "counter", "postal"], cum_weights=[55, 98, 100])[0],
            status=status,
            submitted_at=created,
            received_at=created,
            accepted_at=created if status not in ("new", "refused") else None,
            due_at=due if status not in ("new", "refused", "withdrawn") else None,
            finished_at=finished,
            returned_at=returned,
            timeliness=("late" if finished and finished > due else "on_time") if status == "result_returned" else "",
            created_at=created,
            updated_at=finished or created,
            current_step="Chuyên viên thẩm định" if status == "processing" else "",
        )

    def grow(
        self, target: int, *, batch: int = 5000, progress=None, analyze: bool = True, copy_limit: int | None = None
    ) -> float:
        """Add dossiers until there are `target`; returns seconds. SQLite: `bulk_create`; PostgreSQL: the same
        rows through COPY (bulk_create manages ~4,000 rows/s here, too slow for a million). `progress(count,
        seconds)` is called after each batch (the 10M build logs its rate with it).

        Past `copy_limit` dossiers (PostgreSQL), the rest are made server-side by `replicate`: earlier years of
        the same dossiers (ADR 0021: Python makes 800–5,000 rows/s on this loaded machine, too slow for 10M)."""

        from dichvucong.dossiers.models import Dossier
        from dichvucong.monitoring.generator import write_rows

        self._status_cum = list(itertools.accumulate(s[1] for s in STATUS_MIX))
        self._agency_cum = list(itertools.accumulate(self.weights))
        now = timezone.now()
        from django.db import connection

        python_target = target
        if copy_limit is not None and connection.vendor == "postgresql":
            python_target = min(target, max(copy_limit, self.count))
        with h.Timer() as timer:
            while self.count < python_target:
                n = min(batch, python_target - self.count)
                rows = [self._values(now) for _ in range(n)]
                write_rows(Dossier, rows)  # COPY on PostgreSQL, bulk_create elsewhere
                self.count += n
                if progress:
                    progress(self.count, time.perf_counter() - timer.start)
            if self.count < target:
                self.count += replicate(target - self.count, progress=progress, base=self.count)
            if analyze:
                h.analyze()
        return timer.seconds


def world_size() -> int:
    """Dossiers in a World database (0 when the World's officers are missing: it must be rebuilt)."""
    from dichvucong.accounts.models import User
    from dichvucong.dossiers.models import Dossier

    if User.objects.filter(username__in=["bench.reception", "bench.monitor"]).count() != 2:
        return 0
    return Dossier.objects.count()


def dossiers_without_events() -> int:
    """Dossiers past the last one that has timeline events (`add_events` fills those)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM dossiers_dossier WHERE id > "
            "(SELECT coalesce(max(dossier_id), 0) FROM dossiers_dossierevent)"
        )
        return cursor.fetchone()[0]


def add_events() -> int:
    """Timeline rows for the dossiers that have none, server-side: one per step the dossier's timestamps show
    (submitted, accepted, finished, returned). PostgreSQL only; returns the number of rows added."""
    from django.db import connection

    steps = [
        ("submit", "draft", "new", "submitted_at"),
        ("accept", "new", "accepted", "accepted_at"),
        ("finish", "processing", "processed", "finished_at"),
        ("return_result", "processed", "result_returned", "returned_at"),
    ]
    total = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(dossier_id), 0) FROM dossiers_dossierevent")
        after = cursor.fetchone()[0]
        for action, before, after_status, column in steps:
            cursor.execute(
                "INSERT INTO dossiers_dossierevent (dossier_id, at, actor_label, action, from_status, to_status, note)"
                f" SELECT id, {column}, '', %s, %s, %s, '' FROM dossiers_dossier"  # noqa: S608 - fixed names
                f" WHERE id > %s AND {column} IS NOT NULL",
                [action, before, after_status, after],
            )
            total += cursor.rowcount
    return total


#: Columns shifted back in time by `replicate` (the dossier's whole life moves together).
TIME_COLUMNS = (
    "submitted_at",
    "received_at",
    "accepted_at",
    "due_at",
    "finished_at",
    "returned_at",
    "created_at",
    "updated_at",
)
CLOSED = ("result_returned", "processed", "refused", "withdrawn", "stopped")


def replicate(count: int, *, progress=None, base: int = 0, chunk: int = 500_000) -> int:
    """Add `count` dossiers server-side (PostgreSQL, INSERT ... SELECT): copies of the finished dossiers already
    there, each generation moved back by one span of the data (its first to last day, plus a month), so the
    copies are earlier years of the same province: codes `<agency>-<YYMMDD>-<seq>` stay unique (days never
    overlap), new UUIDs, every timestamp shifted alike. Returns the number of rows added."""
    from django.db import connection

    from dichvucong.dossiers.models import Dossier

    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id), extract(epoch FROM max(created_at) - min(created_at)) FROM dossiers_dossier"
        )
        first, last, span = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM dossiers_dossier WHERE status = ANY(%s)", [list(CLOSED)])
        closed = cursor.fetchone()[0]
    if not closed:
        return 0
    span_days = int(span // 86400) + 31
    started = time.perf_counter()
    added, generation = 0, 0
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    while added < count:
        generation += 1
        shift = f"interval '{span_days * generation} days'"
        exprs = []
        for f in fields:
            if f.column == "code":
                exprs.append(
                    f"agency.code || '-' || to_char((d.created_at - {shift}) AT TIME ZONE 'UTC', 'YYMMDD') || '-' "
                    "|| split_part(d.code, '-', 3)"
                )
            elif f.column == "uuid":
                exprs.append("gen_random_uuid()")
            elif f.column in TIME_COLUMNS:
                exprs.append(f"d.{f.column} - {shift}")
            else:
                exprs.append(f"d.{connection.ops.quote_name(f.column)}")
        # the chunks walk the original rows by id, so each generation copies each finished dossier once
        for low in range(first, last + 1, chunk):
            n = min(count - added, closed)
            if n <= 0:
                break
            with transaction_atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO dossiers_dossier ({names}) SELECT {', '.join(exprs)} "  # noqa: S608 - fixed names
                    "FROM dossiers_dossier d JOIN agencies_agency agency ON agency.id = d.agency_id "
                    "WHERE d.id BETWEEN %s AND %s AND d.status = ANY(%s) ORDER BY d.id LIMIT %s",
                    [low, min(low + chunk - 1, last), list(CLOSED), count - added],
                )
                added += cursor.rowcount
            if progress:
                progress(base + added, time.perf_counter() - started)
            if added >= count:
                break
    return added


def transaction_atomic():
    from django.db import transaction

    return transaction.atomic()


class IndexesDropped:
    """Bulk load without index maintenance (PostgreSQL): drops every index of `table` but the primary key (the
    unique constraints too), and recreates them on exit, timing each (`self.built`: [(name, seconds, bytes)]).
    The foreign-key triggers are skipped by `session_replication_role = replica` meanwhile (rows copied from
    valid rows). Benchmark databases only."""

    def __init__(self, table: str, log=print):
        self.table, self.log, self.built = table, log, []

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'u'",
                [self.table],
            )
            self.constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u'))",
                [self.table, self.table],
            )
            self.indexes = cursor.fetchall()
            for name, definition in [*self.constraints, *self.indexes]:
                self.log(f"dropping {name}: {definition}")
            for name, _ in self.constraints:
                cursor.execute(f'ALTER TABLE {self.table} DROP CONSTRAINT "{name}"')
            for name, _ in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET session_replication_role = replica")
        return self

    def __exit__(self, *exc):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in self.constraints:
                with h.Timer() as timer:
                    cursor.execute(f'ALTER TABLE {self.table} ADD CONSTRAINT "{name}" {definition}')
                self._done(cursor, name, timer.seconds)
            for name, definition in self.indexes:
                with h.Timer() as timer:
                    cursor.execute(definition)
                self._done(cursor, name, timer.seconds)
        return False

    def _done(self, cursor, name: str, seconds: float) -> None:
        cursor.execute("SELECT pg_relation_size(%s::regclass)", [name])
        size = cursor.fetchone()[0]
        self.built.append((name, seconds, size))
        self.log(f"built {name} in {seconds:.0f} s, {size / 2**20:.0f} MiB")

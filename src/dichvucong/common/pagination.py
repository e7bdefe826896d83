"""Lists whose cost does not grow with the data (docs/adr/0018-keyset-lists.md).

- `capped_count(qs)`: exact up to `COUNT_CAP` (`SELECT count(*) FROM (... LIMIT cap + 1)`), beyond it the
  planner's estimate on PostgreSQL (never below the cap), flagged as not exact ("10.000+" on pages).
- `CappedPaginator`: Django's paginator with that count, for the HTML pages that show page numbers.
- `Keyset`: the ordering of a queryset made unique (the primary key breaks ties), the condition "after / before
  this row" written so the index range starts at the cursor, and the opaque signed cursor that carries the row's
  ordering values. `keyset_page` reads one page: one index range per visibility branch when the queryset carries
  `keyset_branches` (a UNION of per-branch pages, then the rows by primary key), else one ordered query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .errors import ValidationFailed

#: Counts are exact up to this many rows; beyond it they are estimated (see `capped_count`).
COUNT_CAP = 10_000
CURSOR_SALT = "dichvucong.common.pagination.cursor"


def _estimate(qs: QuerySet) -> int | None:
    """The planner's row estimate for `qs` on PostgreSQL (planning only, no execution); None elsewhere."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(qs, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): exact when at most `cap` rows match (one query reading at most cap + 1 index entries);
    else the planner's estimate on PostgreSQL, never below `cap`, or `cap` itself, with exact=False."""
    cap = COUNT_CAP if cap is None else cap
    if not isinstance(qs, QuerySet):
        return len(qs), True
    branches = getattr(qs, "keyset_branches", None)
    if branches and connections[qs.db].features.supports_slicing_ordering_in_compound:
        # One index range per branch (an index-only scan each), each stopped after cap + 1: if the union has at
        # most `cap` rows no branch was cut, so it is exact; else some branch alone passed the cap.
        parts = [b.order_by().values_list("pk")[: cap + 1] for b in branches]
        n = parts[0].union(*parts[1:]).count()
    else:
        n = qs.order_by().values("pk")[: cap + 1].count()
    if n <= cap:
        return n, True
    return max(_estimate(qs) or 0, cap), False


class CappedPaginator(Paginator):
    """Page numbers for the HTML pages, with a capped count (`count_exact` False beyond `COUNT_CAP`: the templates
    show "10.000+"). Pages beyond the cap are reached by filtering, not by number."""

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def count_exact(self) -> bool:
        return self._capped[1]

    @property
    def count_label(self) -> str:
        """The count for people: "1.234", or the cap ("10.000", shown as "Hơn 10.000 …") when not exact."""
        return number_format(self.count if self.count_exact else COUNT_CAP, force_grouping=True)


def invalid_cursor() -> ValidationFailed:
    return ValidationFailed(
        _("Con trỏ phân trang không hợp lệ hoặc đã hết hạn; hãy tải lại danh sách từ trang đầu."),
        code="invalid_cursor",
        fields={"cursor": [_("Dùng nguyên giá trị next/previous của trang trước.")]},
    )


@dataclass(frozen=True)
class Key:
    name: str  # ORM path, e.g. "created_at", "pk", "procedure__code"
    descending: bool
    nullable: bool
    field: Any  # the model field (None for an annotation)

    @property
    def label(self) -> str:
        return ("-" if self.descending else "") + self.name

    def order(self, *, reverse: bool = False):
        descending = self.descending != reverse
        if not self.nullable:
            return ("-" if descending else "") + self.name
        # NULLs after the values ascending, before them descending (PostgreSQL's defaults, made explicit for SQLite).
        return F(self.name).desc(nulls_first=True) if descending else F(self.name).asc(nulls_last=True)

    def value(self, row) -> Any:
        if isinstance(row, dict):
            return row["pk"] if self.name == "pk" and "pk" in row else row["id" if self.name == "pk" else self.name]
        value = row
        for part in self.name.split("__"):
            value = getattr(value, part)
            if value is None:
                return None
        return value

    def dump(self, value) -> Any:
        if value is None or isinstance(value, (int, str, bool)):
            return value
        return str(value) if not hasattr(value, "isoformat") else value.isoformat()

    def load(self, value) -> Any:
        if value is None or self.field is None:
            return value
        return self.field.to_python(value)


def _resolve(model, name: str):
    """The model field at the end of ORM path `name` (None when it is not a field: an annotation)."""
    meta = model._meta
    field = None
    for part in name.split("__"):
        if meta is None:
            return None
        try:
            field = meta.pk if part == "pk" else meta.get_field(part)
        except FieldDoesNotExist:
            return None
        meta = field.related_model._meta if field.is_relation and field.related_model else None
    return field


class Keyset:
    """The unique ordering of `qs` and its cursor conditions. `Keyset.of(qs)` is None when the queryset cannot be
    paged by key (a list, no ordering, ordering by expressions or a random order): page numbers then."""

    def __init__(self, qs: QuerySet, keys: list[Key]):
        self.qs, self.keys = qs, keys

    @classmethod
    def of(cls, qs) -> Keyset | None:
        if not isinstance(qs, QuerySet) or not qs.ordered or qs.query.combinator or qs.query.distinct_fields:
            return None
        ordering = list(qs.query.order_by or (qs.query.get_meta().ordering if qs.query.default_ordering else []))
        keys: list[Key] = []
        model = qs.model
        for item in ordering:
            if isinstance(item, OrderBy) and isinstance(item.expression, F):
                if item.nulls_first or item.nulls_last:
                    return None
                name, descending = item.expression.name, item.descending
            elif isinstance(item, str) and item != "?" and "." not in item:
                name, descending = item.lstrip("-"), item.startswith("-")
            else:
                return None
            field = _resolve(model, name)
            if field is None and name not in qs.query.annotations:
                return None
            if field is not None and field.is_relation:
                return None  # a relation orders by the related model's ordering: not a key
            keys.append(Key(name, descending, bool(field is None or field.null), field))
            if field is not None and (field.primary_key or name == "pk") and not field.null:
                break  # unique: what follows cannot change the order
        else:
            if not keys:
                return None
            keys.append(Key("pk", keys[-1].descending, False, model._meta.pk))
        return cls(qs, keys)

    # --- cursor -------------------------------------------------------------------------------------------------

    @property
    def signature(self) -> str:
        return ",".join(k.label for k in self.keys)

    def cursor(self, row, *, before: bool) -> str:
        payload = {"o": self.signature, "v": [k.dump(k.value(row)) for k in self.keys], "b": int(before)}
        return signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    def parse(self, token: str) -> tuple[list, bool]:
        """(ordering values, before?) of a cursor; `invalid_cursor` (400) when forged, damaged or of another list."""
        try:
            payload = signing.loads(token, salt=CURSOR_SALT)
            if payload["o"] != self.signature or len(payload["v"]) != len(self.keys):
                raise ValueError(payload["o"])
            return [k.load(v) for k, v in zip(self.keys, payload["v"], strict=True)], bool(payload["b"])
        except (signing.BadSignature, ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise invalid_cursor() from exc

    # --- conditions ---------------------------------------------------------------------------------------------

    def ordering(self, *, reverse: bool = False) -> list:
        return [k.order(reverse=reverse) for k in self.keys]

    def _beyond(self, key: Key, value, *, before: bool) -> tuple[Q, Q]:
        """(strictly beyond `value` in the reading direction, equal to `value`) for one key."""
        descending = key.descending != before  # the direction we read in
        none = Q(pk__in=[])
        if value is None:  # NULLs come last ascending, first descending
            return (Q(**{f"{key.name}__isnull": False}) if descending else none), Q(**{f"{key.name}__isnull": True})
        strict = Q(**{f"{key.name}__{'lt' if descending else 'gt'}": value})
        if key.nullable and not descending:
            strict |= Q(**{f"{key.name}__isnull": True})
        return strict, Q(**{key.name: value})

    def condition(self, values: list, *, before: bool) -> Q:
        """Rows after (or, `before`, before) the row with ordering `values`. The first key also gets a plain range
        bound (`created_at <= v`) so that the index scan starts at the cursor instead of filtering from the top."""
        condition = None
        for key, value in reversed(list(zip(self.keys, values, strict=True))):
            strict, equal = self._beyond(key, value, before=before)
            condition = strict if condition is None else strict | (equal & condition)
        first, value = self.keys[0], values[0]
        if value is not None and not first.nullable:
            descending = first.descending != before
            condition &= Q(**{f"{first.name}__{'lte' if descending else 'gte'}": value})
        return condition


@dataclass
class KeysetPage:
    rows: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None


def _branch_ids(keyset: Keyset, branches, condition: Q | None, reverse: bool, n: int) -> list:
    """Primary keys of the first `n` rows of the UNION of the branches, each read as one index range."""
    names = [k.name for k in keyset.keys]
    columns = list(dict.fromkeys(["pk" if n_ == "pk" else n_ for n_ in names]))
    parts = []
    for branch in branches:
        b = branch.filter(condition) if condition is not None else branch
        parts.append(b.order_by(*keyset.ordering(reverse=reverse)).values_list(*columns)[:n])
    union = parts[0].union(*parts[1:]).order_by(*keyset.ordering(reverse=reverse))[:n]
    pk_index = columns.index("pk")
    return [row[pk_index] for row in union]


def keyset_page(qs: QuerySet, keyset: Keyset, *, size: int, cursor: str | None) -> KeysetPage:
    """One page of `size` rows from `cursor` (None: the first page). At most two queries: the page, or the ids
    of the page over the visibility branches then their rows."""
    values, before = keyset.parse(cursor) if cursor else (None, False)
    condition = keyset.condition(values, before=before) if values is not None else None
    branches = getattr(qs, "keyset_branches", None)
    if (
        branches
        and not any(k.nullable for k in keyset.keys)
        and connections[qs.db].features.supports_slicing_ordering_in_compound
    ):
        ids = _branch_ids(keyset, branches, condition, before, size + 1)
        more = len(ids) > size
        ids = ids[:size]
        by_pk = {row.pk: row for row in qs.filter(pk__in=ids).order_by()} if ids else {}
        rows = [by_pk[pk] for pk in ids if pk in by_pk]
    else:
        page_qs = qs.filter(condition) if condition is not None else qs
        rows = list(page_qs.order_by(*keyset.ordering(reverse=before))[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
    if before:
        rows.reverse()
        has_previous, has_next = more, True
    else:
        has_next, has_previous = more, values is not None
    return KeysetPage(
        rows=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=keyset.cursor(rows[-1], before=False) if rows else None,
        previous_cursor=keyset.cursor(rows[0], before=True) if rows else None,
    )

"""Model instances from a hand-written SELECT, as the ORM would have made them (docs/adr/0025-lean-status-read.md).

Building and compiling a queryset costs 1–4 ms of Python per statement (filters, joins, `select_related`, the SQL
compiler), more than the statement itself on the hot reads (token authentication, the user's roles, the status
read): those write their SQL once and turn each row back into instances here. `Columns(model, alias, names)` gives
the select list (`alias."column"`, in the model's field order) and `instance(values)` applies the database
backend's converters (what the compiler does: SQLite's text times, JSON, UUIDs, decimals) and `Model.from_db`, so
the instance is the one a queryset with `only(names)` would give (fields left out are deferred).
`statement(key, build)` keeps each statement's text, built once per database vendor.
"""

from __future__ import annotations

from django.db import connection as default_connection


class Columns:
    """The columns `names` (all concrete fields by default; the primary key always) of `model` under `alias`."""

    def __init__(self, model, alias: str, names: tuple[str, ...] | list[str] | None = None):
        meta = model._meta
        wanted = None if names is None else {meta.get_field(name).attname for name in names} | {meta.pk.attname}
        # `from_db` fills deferred fields in the model's own order: keep that order.
        self.fields = [f for f in meta.concrete_fields if wanted is None or f.attname in wanted]
        self.model = model
        self.alias = alias
        self.attnames = [f.attname for f in self.fields]
        self._converters: dict[str, list] = {}
        self._sql: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, connection=default_connection) -> str:
        found = self._sql.get(connection.vendor)
        if found is None:
            quote = connection.ops.quote_name
            found = self._sql[connection.vendor] = ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)
        return found

    def _converters_for(self, connection) -> list:
        key = f"{connection.alias}:{connection.vendor}"
        found = self._converters.get(key)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                col = field.get_col(self.model._meta.db_table)
                functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if functions:
                    found.append((index, col, functions))
            self._converters[key] = found
        return found

    def instance(self, values, connection=default_connection):
        """The instance of `values` (this object's columns, in its order)."""
        values = list(values)
        for index, col, functions in self._converters_for(connection):
            value = values[index]
            for function in functions:
                value = function(value, col, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)


_STATEMENTS: dict[tuple, str] = {}


def statement(key: tuple, build, connection=default_connection) -> str:
    """The SQL text `build(connection)` for `key`, built once per database vendor and kept."""
    full = (connection.vendor, *key)
    found = _STATEMENTS.get(full)
    if found is None:
        found = _STATEMENTS[full] = build(connection)
    return found

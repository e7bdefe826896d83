"""`pk__in_array=<queryset>`: membership in a subquery that PostgreSQL evaluates once.

`x IN (subquery)` ORed with other conditions becomes a *hashed SubPlan* inside a Filter: PostgreSQL then cannot use
an index for the surrounding query (docs/benchmarks.md (b): 288–405 ms for an officer's first page at 1M dossiers).
`x = ANY(ARRAY(subquery))` makes the subquery an InitPlan, run once, and the condition a BitmapOr of index scans
(1.3 ms). Other databases get the plain `IN (subquery)`.
"""

from django.db.models import Field, Lookup


@Field.register_lookup
class InArraySubquery(Lookup):
    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (lhs, rhs), (*lhs_params, *rhs_params)

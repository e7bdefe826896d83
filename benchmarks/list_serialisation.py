"""Benchmark (g), issue 19 item 1: serialising a page of 100 dossiers for `GET /api/v1/dossiers/`, side by side.

- `drf`: `DossierSerializer(rows, many=True).data` (the API before ADR 0018), then DRF's JSONRenderer;
- `rows`: `dossiers.api.rows.dossier_list_rows(rows)` (plain dicts, the same fields and values), same renderer;
- `values`: the page read as `values()` tuples instead of model instances (what reading without instantiating
  would save), with `rows`;
- `drf_data` / `rows_data`: the same without rendering, `render_only`: JSONRenderer on the ready dicts;
- `read`: reading the page of model instances itself (select_related), for scale.

Interleaved, `--requests` rounds, median and p95 in ms.

    .venv/bin/python benchmarks/list_serialisation.py --sizes 2000 --database-url sqlite:///var/bench_ser.sqlite3
"""

import _dossier_data as data
import _harness as h


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "2000", requests=200)
    vendor = h.setup(args)
    from rest_framework.renderers import JSONRenderer

    from dichvucong.dossiers.api.rows import dossier_list_rows
    from dichvucong.dossiers.api.serializers import DossierSerializer
    from dichvucong.dossiers.models import Dossier

    raw = h.Raw(args.database_url)
    report = h.Report("list_serialisation", vendor, raw)
    world = data.World()
    world.grow(args.size_list[-1])
    qs = Dossier.objects.select_related("procedure", "agency").order_by("-created_at", "-pk")
    rows = list(qs[:100])
    renderer = JSONRenderer()
    page = dossier_list_rows(rows)
    assert renderer.render(DossierSerializer(rows, many=True).data) == renderer.render(dossier_list_rows(rows))
    fields = [
        "uuid",
        "code",
        "status",
        "channel",
        "created_at",
        "submitted_at",
        "due_at",
        "procedure__code",
        "procedure__name",
        "agency__code",
        "agency__name",
    ]
    sides = [
        h.Side("drf", lambda: renderer.render(DossierSerializer(rows, many=True).data)),
        h.Side("rows", lambda: renderer.render(dossier_list_rows(rows))),
        h.Side("drf_data", lambda: DossierSerializer(rows, many=True).data),
        h.Side("rows_data", lambda: dossier_list_rows(rows)),
        h.Side("render_only", lambda: renderer.render(page)),
        h.Side("read", lambda: list(qs[:100])),
        h.Side("values", lambda: list(qs.values_list(*fields)[:100])),
    ]
    r = h.run_interleaved(sides, requests=args.requests, warmup=args.warmup)
    table = [
        [name, h.fmt(v["median"]), h.fmt(v["p95"]), h.ratio(v["median"], r["drf"]["median"])] for name, v in r.items()
    ]
    report.text(f"Page of 100 dossiers, {args.requests} interleaved rounds, ms.", "")
    report.table(["side", "median", "p95", "vs drf"], table)
    report.save()


if __name__ == "__main__":
    main()

"""Build (or top up) a benchmark World database of N dossiers, logging the COPY rate as it goes.

    .venv/bin/python benchmarks/grow_world.py --size 10000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/dcv_bench_10m

Used for the 10-million database of ADR 0021 (hours on a loaded two-core machine: run it under nohup). A database
that already holds `--size` dossiers of a World is left as it is. `--events` adds the timeline rows (submitted,
accepted, finished, returned) that the public lookup and the status read show, server-side (INSERT ... SELECT).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import _harness as h


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", h.DEFAULT_DATABASE_URL))
    parser.add_argument("--batch", type=int, default=10000)
    parser.add_argument(
        "--copy-limit",
        type=int,
        default=1_000_000,
        help="dossiers made in Python (COPY); the rest are earlier years of them made server-side",
    )
    parser.add_argument("--events", action="store_true", help="add timeline events for every dossier")
    args = parser.parse_args()
    h.setup(args)
    import _dossier_data as data

    existing = data.world_size()
    last = [time.perf_counter(), existing]

    def progress(count: int, seconds: float) -> None:
        if count - last[1] >= 100_000 or count == args.size:
            now = time.perf_counter()
            rate = (count - last[1]) / (now - last[0])
            load = os.getloadavg()[0]
            print(f"{count:>10,} dossiers  {seconds:7.0f} s  {rate:7.0f} rows/s  load {load:.2f}", flush=True)
            last[:] = [now, count]

    if existing >= args.size:
        print(f"{existing:,} dossiers already there", flush=True)
    elif existing:  # a World already: earlier years of its dossiers, server-side
        with FastSession(), h.Timer() as timer:
            if args.size - existing >= 1_000_000:  # then rebuild the indexes once rather than maintain them
                with data.IndexesDropped("dossiers_dossier", log=lambda m: print(m, flush=True)):
                    data.replicate(args.size - existing, progress=progress, base=existing)
            else:
                data.replicate(args.size - existing, progress=progress, base=existing)
        print(f"grown from {existing:,} to {args.size:,} in {timer.seconds:.0f} s", flush=True)
    else:
        world = data.World()
        with FastSession():
            seconds = world.grow(
                args.size, batch=args.batch, progress=progress, analyze=False, copy_limit=args.copy_limit
            )
        print(f"grown to {args.size:,} in {seconds:.0f} s", flush=True)
    if args.events:
        with h.Timer() as timer:
            missing = data.dossiers_without_events()
            if missing >= 1_000_000:  # rebuild the event indexes once rather than maintain them
                with FastSession(), data.IndexesDropped("dossiers_dossierevent", log=lambda m: print(m, flush=True)):
                    n = data.add_events()
            else:
                n = data.add_events()
        print(f"{n:,} events in {timer.seconds:.0f} s", flush=True)
    with h.Timer() as timer:
        h.analyze()
    print(f"VACUUM ANALYZE in {timer.seconds:.0f} s", flush=True)
    sys.stdout.flush()


class FastSession:
    """The generator's own session commits without waiting for the WAL flush (a benchmark database only)."""

    def __enter__(self):
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()

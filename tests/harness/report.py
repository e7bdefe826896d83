"""Figures of a harness run, written to `var/harness/<name>.json` (docs/security.md quotes them)."""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "var" / "harness"


def record(name: str, figures: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    print(f"\n[harness] {name}: {json.dumps(figures, ensure_ascii=False)}")

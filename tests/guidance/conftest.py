import gzip
import json

import pytest

from dichvucong.catalog.demo import DATA_FILE, NATIONAL_FILE
from dichvucong.guidance.engine import Index


def catalogue_rows() -> list[dict]:
    """The demo catalogue's procedures as the assistant indexes them, read from the data files (no database):
    the 70 detailed ones and the national catalogue."""
    demo = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    national = json.loads(gzip.decompress(NATIONAL_FILE.read_bytes()))
    rows = [
        {
            "code": p["code"],
            "name": p["name"],
            "field_name": demo["fields"][p["field"]],
            "applicant_types": ",".join(p.get("applicants", ["citizen"])),
        }
        for p in demo["procedures"]
    ]
    rows += [
        {
            "code": r["code"],
            "name": r["name"],
            "field_name": r["field_name"],
            "applicant_types": ",".join(r["applicant_types"]),
        }
        for r in national["procedures"]
    ]
    return rows


@pytest.fixture(scope="session")
def full_index() -> Index:
    return Index(catalogue_rows())

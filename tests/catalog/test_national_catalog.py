"""The national catalogue file (catalog/data/national_procedures.json.gz): real codes, unique and well-formed,
valid records, loaded through the ordinary import, idempotently; the detailed demo has no invented code left where
the national one is known."""

import gzip
import json
import re

import pytest

from dichvucong.agencies.models import Agency
from dichvucong.catalog import demo as catalog_demo
from dichvucong.catalog.models import Procedure, ProcedureVersion
from dichvucong.catalog.records import record_errors
from dichvucong.common.search import fold_text

NATIONAL_CODE = re.compile(r"^[1-9]\.\d{6}$")


def national():
    return json.loads(gzip.decompress(catalog_demo.NATIONAL_FILE.read_bytes()))


def test_file_names_its_source_and_date():
    data = national()
    assert data["format"] == "dichvucong-catalog" and data["version"] == 1
    assert "dichvucong.gov.vn" in data["source"]["portal"] and len(data["source"]["commit"]) == 40
    assert "crawled" in data["_about"] and re.search(r"Converted by .* on \d{4}-\d{2}-\d{2}", data["_about"])


def test_codes_are_unique_well_formed_and_do_not_repeat_the_detailed_ones():
    procedures = national()["procedures"]
    codes = [p["code"] for p in procedures]
    assert len(codes) >= 1000 and len(set(codes)) == len(codes)
    assert all(NATIONAL_CODE.match(code) for code in codes), [c for c in codes if not NATIONAL_CODE.match(c)][:5]
    detailed = {p["code"] for p in catalog_demo.load_data()["procedures"]}
    assert not detailed & set(codes)
    assert all(p["source_url"].startswith("https://dichvucong.gov.vn/") for p in procedures)
    assert all(set(p["tiers"]) <= {"province", "commune"} and p["tiers"] for p in procedures)


def test_detailed_demo_keeps_local_codes_only_where_no_national_one_is_known():
    detailed = catalog_demo.load_data()["procedures"]
    local = [p for p in detailed if not NATIONAL_CODE.match(p["code"])]
    assert len(detailed) == 70 and len(local) == 7
    national_names = {fold_text(p["name"]).removeprefix("thu tuc ") for p in national()["procedures"]}
    assert not [p["code"] for p in local if fold_text(p["name"]) in national_names]


@pytest.mark.usefixtures("demo")
def test_every_record_is_valid_against_the_demo_agencies():
    agencies = {a.code: a for a in Agency.objects.all()}
    bad = {}
    for record in national()["procedures"]:
        record["offerings"] = [r for r in record["offerings"] if not r["agency"] or r["agency"] in agencies]
        if errors := record_errors(record, agencies):
            bad[record["code"]] = errors
    assert not bad, list(bad.items())[:3]


@pytest.mark.usefixtures("demo")
def test_loaded_through_the_import_idempotently(monkeypatch):
    sample = national()
    sample["procedures"] = sample["procedures"][:25]
    monkeypatch.setattr(catalog_demo, "load_national_data", lambda: sample)
    agencies = {a.code: a for a in Agency.objects.all()}
    before = Procedure.objects.count()
    assert catalog_demo.load_national_catalog(agencies) == 25
    assert Procedure.objects.count() == before + 25
    first = Procedure.objects.get(code=sample["procedures"][0]["code"])
    assert ProcedureVersion.objects.filter(procedure=first).count() == 1  # the import's version row
    assert catalog_demo.load_national_catalog(agencies) == 0


@pytest.mark.django_db
def test_catalog_import_command_reads_gzip_json(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    records = [r for r in national()["procedures"] if r["tiers"] == ["commune"]][:2]
    document = {"format": "dichvucong-catalog", "version": 1, "procedures": records}
    path = tmp_path / "catalogue.json.gz"
    path.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode("utf-8")))
    call_command("catalog_import", str(path))
    assert set(Procedure.objects.values_list("code", flat=True)) == {r["code"] for r in records}
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(CommandError):
        call_command("catalog_import", str(broken))

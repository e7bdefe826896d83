"""Idempotent demo catalogue (data/demo_procedures.json, which names the source of every fact).

Every district and commune offers its tier's procedures through one tier template; provincial procedures are
offered by the department named in the data; one justified exception (Văn Giang) and one publishing decision
(which raises two procedures to level 4 on 05/08/2021) show history, exceptions and the catalogue as of a date.
"""

import datetime
import gzip
import json
from pathlib import Path

from django.db import transaction

from .models import CatalogDecision, Procedure
from .records import record_errors
from .services import catalog_import, decision_create, decision_publish

DATA_FILE = Path(__file__).parent / "data" / "demo_procedures.json"
# ≈1,550 procedures of the national portal's catalogue (provincial and commune tiers), docs/catalog-format.md
NATIONAL_FILE = Path(__file__).parent / "data" / "national_procedures.json.gz"
DEMO_ACTOR = "demo-loader"
CATALOG_START = "2021-01-01"
DVCQG_URL = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc={code}"


def load_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _offerings(item: dict, exceptions: list[dict]) -> list[dict]:
    level = item["level"]
    if item.get("agencies"):
        rows = [{"agency": code, "tier": "", "online_level": level} for code in item["agencies"]]
    else:
        rows = [{"agency": None, "tier": tier, "online_level": level} for tier in item["tiers"]]
    rows += [
        {
            "agency": exc["agency"],
            "tier": "",
            "online_level": exc["level"],
            "is_exception": True,
            "justification": exc["justification"],
        }
        for exc in exceptions
        if exc["procedure"] == item["code"]
    ]
    return [{**row, "valid_from": CATALOG_START} for row in rows]


def demo_record(item: dict, data: dict) -> dict:
    """Expand one compact demo entry into a procedure record of docs/catalog-format.md."""
    return {
        "code": item["code"],
        "name": item["name"],
        "field_code": item["field"],
        "field_name": data["fields"][item["field"]],
        "tiers": item["tiers"],
        "applicant_types": item.get("applicants", ["citizen"]),
        "description": item.get(
            "steps",
            "Bước 1: Nộp hồ sơ trực tiếp, qua bưu chính hoặc trực tuyến. "
            "Bước 2: Cơ quan tiếp nhận kiểm tra, giải quyết. "
            "Bước 3: Nhận kết quả theo ngày hẹn.",
        ),
        "processing_days": item["days"],
        "processing_note": item.get("note", ""),
        "legal_basis": item["legal"],
        "result_description": item["result"],
        "conditions": item.get("conditions", ""),
        "online_level": item["level"],
        "form_schema": data["forms"][item.get("form", "generic")],
        "source_url": DVCQG_URL.format(code=item["code"]) if item.get("code_verified") else "",
        "valid_from": CATALOG_START,
        "valid_to": None,
        "required_documents": [
            {"name": name, "originals": originals, "copies": copies, "mandatory": mandatory}
            for name, originals, copies, mandatory in item["docs"]
        ],
        "fees": [
            {
                "name": name,
                "kind": kind,
                "amount": amount,
                "max_amount": cap,
                "notes": notes,
                "free_units": int(rest[0]) if rest else 0,
            }
            for name, kind, amount, cap, notes, *rest in item["fees"]
        ],
        "offerings": _offerings(item, data.get("exceptions", [])),
    }


@transaction.atomic
def load_demo(agencies: dict) -> None:
    data = load_data()
    existing = set(Procedure.objects.values_list("code", flat=True))
    records = [(item["code"], demo_record(item, data)) for item in data["procedures"] if item["code"] not in existing]
    # Offerings of agencies the demo tree lacks (e.g. a test loading a partial tree) are dropped, not fatal.
    for _label, record in records:
        record["offerings"] = [row for row in record["offerings"] if not row["agency"] or row["agency"] in agencies]
    records = [(label, record) for label, record in records if not record_errors(record, agencies)]
    if records:
        catalog_import(actor=DEMO_ACTOR, records=records)
    _load_decision(data["decision"])


def load_national_data() -> dict:
    return json.loads(gzip.decompress(NATIONAL_FILE.read_bytes()).decode("utf-8"))


@transaction.atomic
def load_national_catalog(agencies: dict) -> int:
    """The national catalogue file through the ordinary import; procedures already present (the detailed demo ones,
    or an earlier run) are left alone, so the call is idempotent. Returns how many procedures were added."""
    existing = set(Procedure.objects.values_list("code", flat=True))
    records = []
    for index, record in enumerate(load_national_data()["procedures"], start=1):
        if record["code"] in existing:
            continue
        record["offerings"] = [row for row in record["offerings"] if not row["agency"] or row["agency"] in agencies]
        records.append((str(index), record))
    if records:
        catalog_import(actor=DEMO_ACTOR, records=records)
    return len(records)


def _load_decision(spec: dict) -> None:
    if CatalogDecision.objects.filter(number=spec["number"]).exists():
        return
    codes = [code for code in spec["upgrade_to_level_4"] if Procedure.objects.filter(code=code).exists()]
    if not codes:
        return
    decision = decision_create(
        actor=DEMO_ACTOR,
        number=spec["number"],
        title=spec["title"],
        signed_on=datetime.date.fromisoformat(spec["signed_on"]),
        signer=spec["signer"],
        effective_on=datetime.date.fromisoformat(spec["effective_on"]),
        changes=[
            {
                "kind": "change",
                "procedure_code": code,
                "payload": {"online_level": 4},
                "note": "Nâng cấp lên dịch vụ công trực tuyến toàn trình",
            }
            for code in codes
        ],
    )
    decision_publish(actor=DEMO_ACTOR, decision=decision)

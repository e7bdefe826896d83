#!/usr/bin/env python3
"""Convert a public crawl of the National Public Service Portal's catalogue (dichvucong.gov.vn) into a catalogue
file of docs/catalog-format.md (`src/dichvucong/catalog/data/national_procedures.json.gz`, gzip: the import reads it as is).

Source used for the committed file: the per-procedure JSON pages crawled by github.com/chatbot-tthc/chatbot_tthc
(`scripts/crawler/data/raw/<ministry>/<code>.json`, commit 7a3d7a5c, crawled June-July 2026). Only facts published
by the portal are carried over (code, name, field, tiers, applicants, steps, time, fees, documents, legal basis,
result, competent agency, page address); how each is mapped is written in the file's `_about` and below.

    python tools/dvcqg_to_catalog.py CRAWL_RAW_DIR [OUT.json]

Only procedures carried out by a province or a commune are kept (the province's catalogue); procedures already in
the detailed demo catalogue (`demo_procedures.json`) are left out, the detailed entry wins.
"""

import datetime
import gzip
import hashlib
import json
import re
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "dichvucong" / "catalog" / "data"
SOURCE_REPO = "https://github.com/chatbot-tthc/chatbot_tthc"
SOURCE_COMMIT = "7a3d7a5cced6791424594e3815c0039557094b66"
VALID_FROM = "2025-07-01"  # two-tier local government (province, commune), the structure the crawl describes

# Provincial department (demo tree of 2021, agencies' QCVN 102 codes) carrying out a province-tier procedure, by the
# ministry folder of the crawl and, where a ministry's work was split between 2021 departments, by field.
SO_TU_PHAP, SO_KHDT, SO_TAI_CHINH = "000.00.04.H31", "000.00.05.H31", "000.00.06.H31"
SO_NNPTNT, SO_GTVT, SO_XAY_DUNG, SO_TNMT = "000.00.08.H31", "000.00.09.H31", "000.00.10.H31", "000.00.11.H31"
KHDT_FIELDS = ("doanh nghiep", "dau tu", "hop tac xa", "ho kinh doanh")
GTVT_FIELDS = ("duong bo", "duong thuy", "hang hai", "dang kiem", "duong sat", "hang khong", "giao thong")
TNMT_FIELDS = ("dat dai", "moi truong", "tai nguyen nuoc", "khoang san", "khi tuong", "do dac", "bien va hai dao")
TNMT_FIELDS += ("vien tham", "bien doi khi hau")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def department(ministry: str, field: str) -> str | None:
    field = fold(field)
    if ministry == "bo-tu-phap":
        return SO_TU_PHAP
    if ministry == "bo-tai-chinh":
        return SO_KHDT if any(k in field for k in KHDT_FIELDS) else SO_TAI_CHINH
    if ministry == "bo-xay-dung":
        return SO_GTVT if any(k in field for k in GTVT_FIELDS) else SO_XAY_DUNG
    if ministry == "bo-nong-nghiep-mt":
        return SO_TNMT if any(k in field for k in TNMT_FIELDS) else SO_NNPTNT
    return None  # provincial police, State Bank branches: not in the demo tree


def clean(text: str, limit: int) -> str:
    text = re.sub(r"[ \t\u00a0]+", " ", (text or "").replace("\r", "")).strip()
    if text in ("Không có thông tin", "Không có"):
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


MODES = ("Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp")
# A unitless time is glued to the fee that follows ("1100,000 VNĐ" = 1 day, 100,000 VNĐ): fees start with 1-9.
_FEE = r"Miễn phí|Không có thông tin|[1-9][\d.,]*\s*(?:Việt Nam Đồng|VNĐ|Đồng|đồng|USD)"
_MODE_RE = re.compile(
    r"(?P<mode>Trực tuyến|Dịch vụ bưu chính|Trực tiếp)"
    r"(?P<time>Không có thông tin|[\d.,]+\s*(?:Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Phút)|\d+?(?="
    + _FEE
    + "|\\D|$))"
    r"(?P<fee>" + _FEE + "|)"
)


def _number(text: str) -> Decimal | None:
    digits = text.replace(",", "").replace(".", "") if re.search(r"[.,]\d{3}\b", text) else text.replace(",", ".")
    try:
        return Decimal(digits)
    except ArithmeticError:
        return None


def _days(time: str) -> Decimal | None:
    match = re.match(r"([\d.,]+)\s*(.*)", time)
    if not match or (value := _number(match.group(1))) is None:
        return None
    unit = match.group(2).strip().lower()
    if unit.startswith("giờ"):
        value = value / 8
    elif unit.startswith("phút"):
        value = Decimal("0.5")
    elif unit.startswith("tháng"):
        value = value * 22
    elif unit.startswith("năm"):
        value = value * 250
    value = (value * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return max(value, Decimal("0.5")) if value or unit.startswith(("giờ", "phút")) else value


def _fee_amount(fee: str, note: str) -> int | None:
    match = re.match(r"([\d.,]+)\s*(Việt Nam Đồng|VNĐ|Đồng|đồng)", fee)
    if not match:
        return None
    amount = int(_number(match.group(1).replace(",", "").replace(".", "")) or 0)
    if amount < 1000:  # the portal sometimes shows thousands without their zeros: trust the text when it says more
        stated = re.search(r"(\d{1,3}(?:\.\d{3})+)\s*(?:đồng|VNĐ)", note)
        amount = int(stated.group(1).replace(".", "")) if stated else amount
    return amount if amount >= 1000 else None


def parse_modes(text: str) -> list[dict]:
    matches = list(_MODE_RE.finditer(text or ""))
    modes = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        rest = text[match.end() : end]
        note = rest[1 : rest.find(")")] if rest.startswith("(") and ")" in rest else ""
        modes.append(
            {
                "mode": match.group("mode"),
                "time": match.group("time").strip(),
                "days": _days(match.group("time")),
                "fee": match.group("fee").strip(),
                "amount": _fee_amount(match.group("fee"), note),
                "note": note.strip(),
            }
        )
    return modes


_QTY_RE = re.compile(r"(\d+)\s*bản chính(?:\s*,\s*(\d+)\s*bản sao)?|(\d+)\s*bản sao")
_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_FORM_FILE_RE = re.compile(r"\s*\d+\.[A-Za-z0-9_\-]+\.(?:docx?|pdf|xlsx?|rar|zip)", re.IGNORECASE)


def parse_documents(text: str) -> list[dict]:
    docs, seen = [], set()
    position = 0
    for match in _QTY_RE.finditer(text or ""):
        chunk = text[position : match.start()]
        position = match.end()
        if _HEADER in chunk:
            chunk = chunk.split(_HEADER)[-1]
        name = clean(_FORM_FILE_RE.sub("", chunk).strip(" -–+*:;.\t\n"), 300)
        originals = int(match.group(1) or 0)
        copies = int(match.group(2) or match.group(3) or 0)
        if not name or len(name) < 6 or (originals == 0 and copies == 0) or fold(name) in seen:
            continue
        if fold(name).startswith(("truong hop", "luu y", "ghi chu")) and len(name) > 200:
            continue
        seen.add(fold(name))
        docs.append({"name": name, "originals": min(originals, 20), "copies": min(copies, 20), "mandatory": True})
        if len(docs) == 10:
            break
    return docs


def applicant_types(text: str) -> list[str]:
    folded = fold(text)
    kinds = []
    if any(k in folded for k in ("cong dan", "nguoi nuoc ngoai", "nguoi viet nam", "can bo", "dang vien")):
        kinds.append("citizen")
    if any(k in folded for k in ("doanh nghiep", "hop tac xa", "to chuc")):
        kinds.append("business")
    return kinds or ["citizen"]


def field_code(name: str, known: dict[str, str], taken: dict[str, str]) -> str:
    if name in known:
        return known[name]
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:30].strip("-") or "khac"
    if taken.get(slug, name) != name:
        slug = slug[:24].strip("-") + "-" + hashlib.sha256(name.encode()).hexdigest()[:5]
    taken[slug] = name
    return slug


def result_text(text: str) -> str:
    text = (text or "").split("Từ khóa")[0]
    parts = [p.strip(" ;") for p in re.split(r"Mã: KQ\.[A-Z0-9.]+", text) if p.strip(" ;")]
    return clean("; ".join(parts), 1000)


def convert(item: dict, ministry: str, fields_known: dict, fields_taken: dict) -> dict | None:
    tiers_text = item.get("cap_thuc_hien") or ""
    tiers = [t for label, t in (("Cấp tỉnh", "province"), ("Cấp xã", "commune")) if label in tiers_text]
    if not tiers:
        return None
    field_name = clean(item.get("linh_vuc"), 255) or "Khác"
    modes = parse_modes(item.get("cach_thuc_thuc_hien") or "")
    in_person = [m for m in modes if m["mode"] == "Trực tiếp"] or modes
    days = next((m["days"] for m in in_person + modes if m["days"] is not None), None)
    note = "; ".join(f"{m['mode']}: {m['time']}" for m in modes)
    if days is None or days > 365:  # nothing published, or a figure that cannot be a time limit
        days, note = Decimal(0), "Cơ quan chưa công bố thời hạn giải quyết trên Cổng DVCQG."
    fees, amounts = [], set()
    for m in in_person + [m for m in modes if m not in in_person]:
        if m["amount"] and (m["amount"], m["mode"] == "Trực tuyến") not in amounts:
            amounts.add((m["amount"], m["mode"] == "Trực tuyến"))
            fees.append(
                {
                    "name": f"Phí, lệ phí (nộp {m['mode'].lower()})",
                    "kind": "fixed",
                    "amount": m["amount"],
                    "max_amount": None,
                    "free_units": 0,
                    "notes": clean(m["note"], 1000),
                }
            )
    online = any(m["mode"] == "Trực tuyến" for m in modes)
    agency_text = clean(item.get("co_quan_thuc_hien") or item.get("co_quan_co_tham_quyen"), 300)
    steps = clean(item.get("trinh_tu_thuc_hien"), 1500)
    offerings = []
    if "commune" in tiers:
        offerings.append({"agency": None, "tier": "commune", "online_level": 3 if online else 2})
    dept = department(ministry, field_name)
    if "province" in tiers and dept:
        offerings.append({"agency": dept, "tier": "", "online_level": 3 if online else 2})
    decision = clean(item.get("so_quyet_dinh"), 200)
    legal = clean(item.get("can_cu_phap_ly", "").replace("Tên văn bản pháp lýMã văn bản", ""), 600)
    return {
        "code": item["ma_thu_tuc"].strip(),
        "name": clean(item["ten_thu_tuc"], 500),
        "field_code": field_code(field_name, fields_known, fields_taken),
        "field_name": field_name,
        "tiers": tiers,
        "applicant_types": applicant_types(item.get("doi_tuong_thuc_hien") or ""),
        "description": (f"Cơ quan thực hiện: {agency_text}.\n" if agency_text else "") + steps,
        "processing_days": f"{days.normalize():f}",
        "processing_note": clean(note, 500),
        "legal_basis": (f"Quyết định công bố: {decision}. " if decision else "") + legal,
        "result_description": result_text(item.get("ket_qua_xu_ly")),
        "conditions": clean(item.get("yeu_cau_dieu_kien"), 800),
        "online_level": 3 if online else 2,
        "online_mode": None,
        "form_schema": [],
        "source_url": item.get("detail_url") or "",
        "valid_from": VALID_FROM,
        "valid_to": None,
        "required_documents": parse_documents(item.get("thanh_phan_ho_so") or ""),
        "fees": fees,
        "offerings": [{**row, "valid_from": VALID_FROM} for row in offerings],
    }


def main(raw_dir: str, out: str | None = None) -> None:
    demo = json.loads((DATA / "demo_procedures.json").read_text(encoding="utf-8"))
    detailed = {p["code"] for p in demo["procedures"]}
    fields_known = {name: code for code, name in demo["fields"].items()}
    fields_taken = {code: name for name, code in fields_known.items()}
    records = []
    for path in sorted(Path(raw_dir).glob("*/*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        if item["ma_thu_tuc"].strip() in detailed:
            continue
        record = convert(item, path.parent.name, fields_known, fields_taken)
        if record:
            records.append(record)
    records.sort(key=lambda r: r["code"])
    document = {
        "format": "dichvucong-catalog",
        "version": 1,
        "_about": (
            "Procedures of the National Public Service Portal (https://dichvucong.gov.vn) carried out by a province "
            "or a commune, for the ministries crawled by "
            f"{SOURCE_REPO} (commit {SOURCE_COMMIT}, pages crawled June-July 2026): Public Security, Finance, "
            "Justice, Construction, Agriculture and Environment, the State Bank. Converted by "
            "tools/dvcqg_to_catalog.py on "
            f"{datetime.datetime.now(tz=datetime.UTC).date().isoformat()}. Facts carried over: code, name, field, tiers (Cấp tỉnh → province, "
            "Cấp xã → commune), applicants, steps (with the competent agency), processing time (in-person mode; hours "
            "/8, months x22, rounded to half days; the published text kept in processing_note), fees in VND (one "
            "row per distinct amount and mode), documents (name and number of originals/copies), legal basis with "
            "the publishing decision, result, conditions and the procedure's page (source_url). Derived: "
            "online_level 3 when the portal lists online submission, else 2 (the portal page does not state the "
            "NĐ 42/2022 level); commune procedures offered through the commune tier template; provincial ones by the "
            "demo's 2021 department matching the ministry and field (none for police and State Bank procedures, "
            "whose agency is only named in the description); valid_from 2025-07-01."
        ),
        "source": {"portal": "https://dichvucong.gov.vn", "crawl": SOURCE_REPO, "commit": SOURCE_COMMIT},
        "procedures": records,
    }
    target = Path(out) if out else DATA / "national_procedures.json.gz"
    text = (json.dumps(document, ensure_ascii=False, indent=0) + "\n").encode("utf-8")
    target.write_bytes(gzip.compress(text, mtime=0) if target.suffix == ".gz" else text)
    print(f"{len(records)} procedures -> {target}")


if __name__ == "__main__":
    main(*sys.argv[1:])

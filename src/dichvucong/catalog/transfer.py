"""Catalogue files: JSON and Excel (openpyxl) in the format of docs/catalog-format.md, both ways without loss."""

import io
import json

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .records import DOCUMENT_KEYS, FEE_KEYS, OFFERING_KEYS, PROCEDURE_KEYS

FORMAT_NAME = "dichvucong-catalog"
FORMAT_VERSION = 1
SHEET_PROCEDURES = "thu_tuc"
CHILD_SHEETS = {  # sheet -> (record key, columns after "procedure_code")
    "thanh_phan_ho_so": ("required_documents", DOCUMENT_KEYS),
    "phi_le_phi": ("fees", FEE_KEYS),
    "co_quan_thuc_hien": ("offerings", OFFERING_KEYS),
}
_LIST_KEYS = ("tiers", "applicant_types")
_TEXT_KEYS = {
    "name",
    "description",
    "processing_note",
    "legal_basis",
    "result_description",
    "conditions",
    "source_url",
    "field_name",
    "justification",
    "notes",
    "form_file",
    "tier",
}


class FileUnreadable(Exception):
    """The file is not a catalogue file at all (not JSON / not an .xlsx workbook / wrong sheets)."""


def dump_json(records: list[dict]) -> bytes:
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "procedures": records}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def read_json(data: bytes) -> tuple[list[tuple[str, dict]], list[dict]]:
    """([(row label, record)], structural problems). Row label = position (1-based) in `procedures`."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileUnreadable(f"Tệp JSON không đọc được: {exc}") from exc
    if isinstance(document, list):
        procedures = document
    elif isinstance(document, dict) and isinstance(document.get("procedures"), list):
        procedures = document["procedures"]
    else:
        raise FileUnreadable('Tệp JSON phải có khóa "procedures" là một danh sách thủ tục.')
    return [(str(index), record) for index, record in enumerate(procedures, start=1)], []


def _cell(key: str, value):
    if key in _LIST_KEYS:
        return ", ".join(value or [])
    if key == "form_schema":
        return json.dumps(value or [], ensure_ascii=False)
    if value == "":
        return None
    return value


def dump_xlsx(records: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_PROCEDURES
    sheet.append(list(PROCEDURE_KEYS))
    for record in records:
        sheet.append([_cell(key, record.get(key)) for key in PROCEDURE_KEYS])
    for title, (record_key, columns) in CHILD_SHEETS.items():
        child = workbook.create_sheet(title)
        child.append(["procedure_code", *columns])
        for record in records:
            for row in record.get(record_key) or []:
                child.append([record["code"], *[_cell(key, row.get(key)) for key in columns]])
    for ws in workbook.worksheets:
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _value(key: str, value):
    if key in _LIST_KEYS:
        return [part.strip() for part in str(value or "").split(",") if part.strip()]
    if value is None:
        return "" if key in _TEXT_KEYS else None
    if key in ("valid_from", "valid_to") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    if key in ("processing_days", "code", "procedure_code", "field_code", "agency"):
        value = str(value).strip()
        return value[:-2] if key == "processing_days" and value.endswith(".0") else value
    return value


def _rows(ws, columns: tuple[str, ...]):
    header = [str(c).strip() if c is not None else "" for c in next(ws.iter_rows(max_row=1, values_only=True), [])]
    missing = [column for column in columns if column not in header]
    if missing:
        raise FileUnreadable(f"Trang «{ws.title}» thiếu cột: {', '.join(missing)}.")
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if all(value in (None, "") for value in row):
            continue
        yield number, {key: row[header.index(key)] if header.index(key) < len(row) else None for key in columns}


def read_xlsx(data: bytes) -> tuple[list[tuple[str, dict]], list[dict]]:
    """([(row label "thu_tuc!N", record)], structural problems such as child rows of unknown procedures)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise FileUnreadable("Tệp Excel (.xlsx) không đọc được.") from exc
    if SHEET_PROCEDURES not in workbook.sheetnames:
        raise FileUnreadable(f"Tệp Excel thiếu trang «{SHEET_PROCEDURES}».")
    records, by_code, problems = [], {}, []
    for number, row in _rows(workbook[SHEET_PROCEDURES], PROCEDURE_KEYS):
        record = {key: _value(key, value) for key, value in row.items()}
        try:
            record["form_schema"] = json.loads(row["form_schema"]) if row["form_schema"] else []
        except (TypeError, json.JSONDecodeError):
            problems.append(
                {
                    "row": f"{SHEET_PROCEDURES}!{number}",
                    "field": "form_schema",
                    "reason": "Cột form_schema phải là JSON.",
                }
            )
            record["form_schema"] = []
        record.update(required_documents=[], fees=[], offerings=[], _rows={})
        records.append((f"{SHEET_PROCEDURES}!{number}", record))
        by_code.setdefault(record["code"], record)
    for title, (record_key, columns) in CHILD_SHEETS.items():
        if title not in workbook.sheetnames:
            continue
        for number, row in _rows(workbook[title], ("procedure_code", *columns)):
            code = _value("procedure_code", row.pop("procedure_code"))
            owner = by_code.get(code)
            if owner is None:
                problems.append(
                    {
                        "row": f"{title}!{number}",
                        "field": "procedure_code",
                        "reason": f"Không có thủ tục mã «{code}» ở trang {SHEET_PROCEDURES}.",
                    }
                )
                continue
            owner[record_key].append({key: _value(key, value) for key, value in row.items()})
            owner["_rows"][f"{record_key}[{len(owner[record_key])}]"] = f"{title}!{number}"
    workbook.close()
    return records, problems

"""The procedure record of docs/catalog-format.md: serialise, validate and apply one procedure.

One record carries everything about a procedure (documents, fees, offerings), so import/export, publishing
decisions and agencies' change requests all share one format and one validation.
"""

import base64
import binascii
import datetime
import posixpath
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile

from dichvucong.agencies.models import Agency, Tier

from .forms_schema import schema_errors
from .models import (
    ApplicantType,
    FeeKind,
    FeeRule,
    Field,
    Offering,
    Procedure,
    RequiredDocument,
    online_mode_for_level,
    pack_list,
)

PROCEDURE_KEYS = (
    "code",
    "name",
    "field_code",
    "field_name",
    "tiers",
    "applicant_types",
    "description",
    "processing_days",
    "processing_note",
    "legal_basis",
    "result_description",
    "conditions",
    "online_level",
    "online_mode",
    "form_schema",
    "source_url",
    "valid_from",
    "valid_to",
    "processing_hours",  # last: the Excel columns before it keep their letters
)
DOCUMENT_KEYS = ("name", "description", "originals", "copies", "mandatory", "form_file")
FEE_KEYS = ("name", "kind", "amount", "max_amount", "free_units", "notes", "budget_chapter", "budget_subsection")
OFFERING_KEYS = (
    "agency",
    "tier",
    "online_level",
    "online_mode",
    "offered",
    "is_exception",
    "justification",
    "valid_from",
    "valid_to",
)
_TIERS = [t.value for t in Tier]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _days(value: Decimal) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def procedure_to_record(procedure: Procedure) -> dict:
    """Everything about one procedure; expects documents, fees and offerings (with agency) prefetched."""
    record = {
        "code": procedure.code,
        "name": procedure.name,
        "field_code": procedure.field.code,
        "field_name": procedure.field.name,
        "tiers": procedure.tier_list,
        "applicant_types": procedure.applicant_type_list,
        "description": procedure.description,
        "processing_days": _days(procedure.processing_days),
        "processing_hours": _days(procedure.processing_hours) if procedure.processing_hours else None,
        "processing_note": procedure.processing_note,
        "legal_basis": procedure.legal_basis,
        "result_description": procedure.result_description,
        "conditions": procedure.conditions,
        "online_level": procedure.online_level,
        "online_mode": procedure.online_mode,
        "form_schema": procedure.form_schema or [],
        "source_url": procedure.source_url,
        "valid_from": _iso(procedure.valid_from),
        "valid_to": _iso(procedure.valid_to),
    }
    record["required_documents"] = [
        {
            "name": d.name,
            "description": d.description,
            "originals": d.originals,
            "copies": d.copies,
            "mandatory": d.mandatory,
            "form_file": d.form_file.name or "",
        }
        for d in procedure.required_documents.all()
    ]
    record["fees"] = [
        {
            "name": f.name,
            "kind": f.kind,
            "amount": f.amount,
            "max_amount": f.max_amount,
            "free_units": f.free_units,
            "notes": f.notes,
            "budget_chapter": f.budget_chapter,
            "budget_subsection": f.budget_subsection,
        }
        for f in procedure.fees.all()
    ]
    record["offerings"] = [
        {
            "agency": o.agency.code if o.agency_id else None,
            "tier": o.tier,
            "online_level": o.online_level,
            "online_mode": o.online_mode,
            "offered": o.offered,
            "is_exception": o.is_exception,
            "justification": o.justification,
            "valid_from": _iso(o.valid_from),
            "valid_to": _iso(o.valid_to),
        }
        for o in procedure.offerings.all()
    ]
    return record


# --- validation: every problem of a record, as (field path, Vietnamese reason) -------------------------------


def parse_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())


def _parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "x", "có", "co"):
        return True
    if text in ("false", "0", "no", "", "không", "khong", "none"):
        return False
    raise ValueError(value)


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]


class RecordErrors(list):
    def add(self, field: str, reason: str) -> None:
        self.append((field, reason))


def _check_int(
    errors: RecordErrors, where: str, value, *, low: int = 0, high: int | None = None, required: bool = True
) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(where, "Bắt buộc nhập.")
        return None
    try:
        number = int(value)
        if str(value).strip() not in (str(number), f"{number}.0"):
            raise ValueError
    except (TypeError, ValueError):
        errors.add(where, f"«{value}» không phải số nguyên.")
        return None
    if number < low or (high is not None and number > high):
        errors.add(where, f"Giá trị {number} ngoài khoảng cho phép.")
    return number


def _check_date(errors: RecordErrors, where: str, value) -> datetime.date | None:
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        errors.add(where, f"Ngày «{value}» không đúng định dạng YYYY-MM-DD.")
        return None


def _check_main(record: dict, errors: RecordErrors) -> None:
    for key in ("code", "name", "field_code"):
        if not str(record.get(key) or "").strip():
            errors.add(key, "Bắt buộc nhập.")
    if len(str(record.get("code") or "")) > 30:
        errors.add("code", "Mã thủ tục dài quá 30 ký tự.")
    tiers = _as_list(record.get("tiers"))
    if not tiers or any(t not in _TIERS for t in tiers):
        errors.add("tiers", f"Cấp thực hiện phải thuộc {', '.join(_TIERS)}.")
    if any(a not in ApplicantType.values for a in _as_list(record.get("applicant_types"))):
        errors.add("applicant_types", "Đối tượng phải là citizen hoặc business.")
    try:
        days = Decimal(str(record.get("processing_days")).strip())
        if not days.is_finite() or days < 0 or (days * 2) % 1 != 0:
            errors.add("processing_days", "Thời hạn phải là số ngày làm việc không âm, chia hết cho 0,5.")
    except (InvalidOperation, TypeError):
        errors.add("processing_days", f"«{record.get('processing_days')}» không phải số ngày.")
    hours = record.get("processing_hours")
    if hours not in (None, ""):
        try:
            value = Decimal(str(hours).strip())
            if not value.is_finite() or value <= 0 or value > 999 or (value * 2) % 1 != 0:
                errors.add("processing_hours", "Thời hạn theo giờ phải là số giờ làm việc dương, chia hết cho 0,5.")
        except (InvalidOperation, TypeError):
            errors.add("processing_hours", f"«{hours}» không phải số giờ.")
    level = _check_int(errors, "online_level", record.get("online_level"), low=1, high=4)
    mode = record.get("online_mode")
    if level and mode not in (None, "") and mode != online_mode_for_level(level):
        errors.add("online_mode", f"Mức độ {level} tương ứng hình thức «{online_mode_for_level(level)}» (NĐ 42/2022).")
    for problem in schema_errors(record.get("form_schema") or []):
        errors.add("form_schema", problem)
    start = _check_date(errors, "valid_from", record.get("valid_from"))
    end = _check_date(errors, "valid_to", record.get("valid_to"))
    if start and end and end < start:
        errors.add("valid_to", "Ngày hết hiệu lực trước ngày có hiệu lực.")


def _check_documents(record: dict, errors: RecordErrors) -> None:
    for index, doc in enumerate(record.get("required_documents") or [], start=1):
        where = f"required_documents[{index}]"
        if not isinstance(doc, dict) or not str(doc.get("name") or "").strip():
            errors.add(where, "Thiếu tên giấy tờ.")
            continue
        _check_int(errors, f"{where}.originals", doc.get("originals", 1), high=20)
        _check_int(errors, f"{where}.copies", doc.get("copies", 0), high=20)
        try:
            _parse_bool(doc.get("mandatory", True))
        except ValueError:
            errors.add(f"{where}.mandatory", "Phải là true/false.")
        if doc.get("form_file_content") not in (None, ""):
            try:
                size = len(base64.b64decode(str(doc["form_file_content"]), validate=True))
            except (binascii.Error, ValueError):
                errors.add(f"{where}.form_file_content", "Nội dung tệp mẫu không phải base64 hợp lệ.")
            else:
                if size > FORM_FILE_EMBED_MAX_BYTES:
                    errors.add(
                        f"{where}.form_file_content",
                        f"Tệp mẫu lớn hơn {FORM_FILE_EMBED_MAX_BYTES // (1024 * 1024)} MB.",
                    )


def _check_fees(record: dict, errors: RecordErrors) -> None:
    for index, fee in enumerate(record.get("fees") or [], start=1):
        where = f"fees[{index}]"
        if not isinstance(fee, dict) or not str(fee.get("name") or "").strip():
            errors.add(where, "Thiếu tên phí, lệ phí.")
            continue
        if fee.get("kind", FeeKind.FIXED) not in FeeKind.values:
            errors.add(f"{where}.kind", "Cách tính phải là fixed, per_page hoặc per_copy.")
        _check_int(errors, f"{where}.amount", fee.get("amount"))
        _check_int(errors, f"{where}.max_amount", fee.get("max_amount"), required=False)
        _check_int(errors, f"{where}.free_units", fee.get("free_units"), required=False)
        for key, digits in (("budget_chapter", 3), ("budget_subsection", 4)):
            code = str(fee.get(key) or "").strip()
            if code and not (code.isdigit() and len(code) == digits):
                errors.add(f"{where}.{key}", f"Mã phải gồm {digits} chữ số (mục lục ngân sách nhà nước).")


def _check_offerings(record: dict, errors: RecordErrors, agencies: dict[str, Agency]) -> None:
    tiers = _as_list(record.get("tiers"))
    for index, row in enumerate(record.get("offerings") or [], start=1):
        where = f"offerings[{index}]"
        if not isinstance(row, dict):
            errors.add(where, "Không phải đối tượng.")
            continue
        code, tier = row.get("agency") or None, row.get("tier") or ""
        try:
            is_exception = _parse_bool(row.get("is_exception", False))
            _parse_bool(row.get("offered", True))
        except ValueError:
            errors.add(where, "offered/is_exception phải là true/false.")
            continue
        level = _check_int(errors, f"{where}.online_level", row.get("online_level"), low=1, high=4)
        mode = row.get("online_mode")
        if level and mode not in (None, "") and mode != online_mode_for_level(level):
            errors.add(f"{where}.online_mode", f"Mức độ {level} tương ứng «{online_mode_for_level(level)}».")
        if _check_date(errors, f"{where}.valid_from", row.get("valid_from") or record.get("valid_from")) is None:
            errors.add(f"{where}.valid_from", "Thiếu ngày áp dụng.")
        _check_date(errors, f"{where}.valid_to", row.get("valid_to"))
        if bool(code) == bool(tier):
            errors.add(where, "Ghi đúng một trong hai: agency (mã cơ quan) hoặc tier (mẫu dùng chung của cấp).")
            continue
        if tier:
            if tier not in tiers:
                errors.add(f"{where}.tier", f"Thủ tục không thuộc cấp «{tier}».")
            if is_exception:
                errors.add(f"{where}.is_exception", "Mẫu dùng chung của cấp không thể là ngoại lệ.")
            continue
        agency = agencies.get(code)
        if agency is None:
            errors.add(f"{where}.agency", f"Không có cơ quan mã {code}.")
            continue
        uses_template = agency.tier in (Tier.DISTRICT, Tier.COMMUNE) and agency.tier in tiers
        if uses_template and not is_exception:
            errors.add(where, f"{agency.name} thực hiện theo mẫu dùng chung của cấp; chỉ được ghi ngoại lệ có lý do.")
        if is_exception and not str(row.get("justification") or "").strip():
            errors.add(f"{where}.justification", "Ngoại lệ phải có lý do.")


def record_errors(record: dict, agencies: dict[str, Agency]) -> RecordErrors:
    """Every problem of `record` (empty when it can be applied). `agencies`: code -> Agency, preloaded."""
    errors = RecordErrors()
    if not isinstance(record, dict):
        errors.add("", "Bản ghi không phải là đối tượng JSON.")
        return errors
    _check_main(record, errors)
    _check_documents(record, errors)
    _check_fees(record, errors)
    _check_offerings(record, errors, agencies)
    return errors


# --- apply (callers validate first and hold the transaction) -------------------------------------------------


def _field_for(record: dict, cache: dict[str, Field]) -> Field:
    code = str(record["field_code"]).strip()
    field = cache.get(code) or Field.objects.filter(code=code).first()
    name = str(record.get("field_name") or "").strip() or (field.name if field else code)
    if field is None:
        field = Field.objects.create(code=code, name=name)
    elif field.name != name:
        field.name = name
        field.save(update_fields=["name", "updated_at"])
    cache[code] = field
    return field


def _sync_children(existing: list, rows: list[dict], build, update) -> None:
    """Update children in place by position (ids referenced by dossiers stay stable), add or drop the rest."""
    for index, row in enumerate(rows):
        if index < len(existing):
            update(existing[index], row, index)
        else:
            build(row, index)
    for extra in existing[len(rows) :]:
        extra.delete()


def apply_record(
    record: dict,
    *,
    agencies: dict[str, Agency],
    fields: dict | None = None,
    default_from: datetime.date | None = None,
    content_only: bool = False,
) -> tuple[Procedure, bool]:
    """Create or update the procedure of a valid `record` with its documents, fees and offerings.

    `content_only`: leave the dated parts (`valid_from`/`valid_to` and the offerings) as they are: a version
    recorded in advance applies its content on its day, its dated parts were written when it was published.
    """
    procedure = Procedure.objects.filter(code=str(record["code"]).strip()).first()
    created = procedure is None
    procedure = procedure or Procedure(code=str(record["code"]).strip())
    procedure.field = _field_for(record, fields if fields is not None else {})
    procedure.name = str(record["name"]).strip()
    procedure.tiers = pack_list(_as_list(record["tiers"]))
    procedure.applicant_types = pack_list(_as_list(record.get("applicant_types")) or ["citizen"])
    for key in ("description", "processing_note", "legal_basis", "result_description", "conditions", "source_url"):
        setattr(procedure, key, str(record.get(key) or ""))
    procedure.processing_days = Decimal(str(record["processing_days"]).strip())
    hours = record.get("processing_hours")
    procedure.processing_hours = Decimal(str(hours).strip()) if hours not in (None, "") else None
    procedure.online_level = int(record["online_level"])
    procedure.form_schema = record.get("form_schema") or []
    if not content_only or created:
        procedure.valid_from = parse_date(record.get("valid_from")) or default_from or datetime.date.today()  # noqa: DTZ011
        procedure.valid_to = parse_date(record.get("valid_to"))
    procedure.save()
    _apply_documents(procedure, record.get("required_documents") or [])
    _apply_fees(procedure, record.get("fees") or [])
    if not content_only:
        _apply_offerings(procedure, record.get("offerings") or [], agencies)
    return procedure, created


def apply_record_dates(
    procedure: Procedure, record: dict, *, agencies: dict[str, Agency], default_from: datetime.date | None = None
) -> Procedure:
    """Only the dated parts of a valid `record`: the period in force and the offerings (each with its dates)."""
    procedure.valid_from = parse_date(record.get("valid_from")) or default_from or procedure.valid_from
    procedure.valid_to = parse_date(record.get("valid_to"))
    procedure.save(update_fields=["valid_from", "valid_to", "updated_at"])
    _apply_offerings(procedure, record.get("offerings") or [], agencies)
    return procedure


# --- blank forms travel inside JSON files (base64), so another installation gets the file, not a dead path ---

FORM_FILE_EMBED_MAX_BYTES = 5 * 1024 * 1024
FORM_FILE_DIR = "catalog/forms/"


def _form_storage():
    return RequiredDocument._meta.get_field("form_file").storage


def embed_form_files(record: dict) -> dict:
    """`record` with each blank form's bytes as `form_file_content` (base64) when the file is stored and not larger
    than FORM_FILE_EMBED_MAX_BYTES; otherwise the document keeps only its `form_file` path."""
    storage = _form_storage()
    for doc in record.get("required_documents") or []:
        name = doc.get("form_file")
        if not name or not storage.exists(name) or storage.size(name) > FORM_FILE_EMBED_MAX_BYTES:
            continue
        with storage.open(name, "rb") as handle:
            doc["form_file_content"] = base64.b64encode(handle.read()).decode("ascii")
    return record


def _form_file_name(row: dict) -> str:
    """The stored name of a document's blank form; an embedded file (`form_file_content`) is saved first, unless
    the same bytes are already stored under that name (re-importing one's own export)."""
    name = str(row.get("form_file") or "")
    content = row.get("form_file_content")
    if content in (None, ""):
        return name
    data = base64.b64decode(str(content), validate=True)
    storage = _form_storage()
    if name and storage.exists(name):
        with storage.open(name, "rb") as handle:
            if handle.read() == data:
                return name
    return storage.save(FORM_FILE_DIR + (posixpath.basename(name) or "mau-don"), ContentFile(data))


def _apply_documents(procedure: Procedure, rows: list[dict]) -> None:
    def values(row, index):
        return {
            "order": index + 1,
            "name": str(row["name"]).strip(),
            "description": str(row.get("description") or ""),
            "originals": int(row.get("originals", 1) or 0),
            "copies": int(row.get("copies", 0) or 0),
            "mandatory": _parse_bool(row.get("mandatory", True)),
            "form_file": _form_file_name(row),
        }

    def update(doc, row, index):
        for key, value in values(row, index).items():
            setattr(doc, key, value)
        doc.save()

    _sync_children(
        list(procedure.required_documents.order_by("order", "id")),
        rows,
        lambda row, index: RequiredDocument.objects.create(procedure=procedure, **values(row, index)),
        update,
    )


def _apply_fees(procedure: Procedure, rows: list[dict]) -> None:
    def values(row, index):
        max_amount = row.get("max_amount")
        return {
            "order": index + 1,
            "name": str(row["name"]).strip(),
            "kind": row.get("kind") or FeeKind.FIXED,
            "amount": int(row["amount"]),
            "notes": str(row.get("notes") or ""),
            "max_amount": int(max_amount) if max_amount not in (None, "") else None,
            "free_units": int(row.get("free_units") or 0),
            "budget_chapter": str(row.get("budget_chapter") or "").strip(),
            "budget_subsection": str(row.get("budget_subsection") or "").strip(),
        }

    def update(fee, row, index):
        for key, value in values(row, index).items():
            setattr(fee, key, value)
        fee.save()

    _sync_children(
        list(procedure.fees.order_by("order", "id")),
        rows,
        lambda row, index: FeeRule.objects.create(procedure=procedure, **values(row, index)),
        update,
    )


def _apply_offerings(procedure: Procedure, rows: list[dict], agencies: dict[str, Agency]) -> None:
    procedure.offerings.all().delete()
    Offering.objects.bulk_create(
        [
            Offering(
                procedure=procedure,
                agency=agencies[row["agency"]] if row.get("agency") else None,
                tier=row.get("tier") or "",
                online_level=int(row["online_level"]),
                online_mode=online_mode_for_level(int(row["online_level"])),
                offered=_parse_bool(row.get("offered", True)),
                is_exception=_parse_bool(row.get("is_exception", False)),
                justification=str(row.get("justification") or ""),
                valid_from=parse_date(row.get("valid_from")) or procedure.valid_from,
                valid_to=parse_date(row.get("valid_to")),
            )
            for row in rows
        ]
    )


def agencies_by_code() -> dict[str, Agency]:
    return {agency.code: agency for agency in Agency.objects.all()}

"""Creating dossiers: online submission by a citizen or business, counter/postal reception by an officer, drafts.

All or nothing: everything happens in one transaction, so any error leaves no dossier, no event, no code number
used, and the uploads stay unused (they expire later). Uploads are files already stored; a dossier only refers
to them, so no file is written here.

Attachments are a list of upload ids, or of `{"upload": id, "document": required_document_id}` saying which
required document (thành phần hồ sơ) the file is for. Plain ids are assigned, in order, to the required documents
not yet covered (mandatory ones first).
"""

import hashlib
import json
import re
import uuid as uuid_module
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.identity import parse_citizen_id, validate_tax_code
from dichvucong.accounts.models import User, UserKind
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies
from dichvucong.agencies.models import Agency
from dichvucong.catalog.forms_schema import validate_form_data
from dichvucong.catalog.models import Procedure, RequiredDocument
from dichvucong.catalog.selectors import offering_by_code, offering_for, submission_lookup
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from . import dossier_deadlines as deadlines
from .dossier_codes import next_dossier_code
from .models import Attachment, Dossier, DossierEvent, ReceivedDocument, SupplementRequest, Upload
from .registry import registry
from .services import dossier_accept, dossier_snapshot, record_event
from .state_machine import Channel, Origin, Status, check_transition
from .uploads import dossier_max_bytes, upload_ttl

APPLICANT_FIELDS = ("full_name", "id_number", "phone", "email", "address", "organisation", "tax_code")
#: The longest value each applicant field takes (the columns of `Dossier.applicant_*`; CCCD and tax code are checked
#: by structure, these bounds only stop absurd input before the structure check).
APPLICANT_MAX_LENGTHS = {
    "full_name": 200,
    "id_number": 20,
    "phone": 20,
    "email": 254,
    "address": 300,
    "organisation": 300,
    "tax_code": 20,
}
#: A Vietnamese or international phone number: digits, an optional leading +, spaces, dots and dashes; 9-15 digits.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-]*[0-9]$")
SUMMARY_MAX_LENGTH = 500
IDEMPOTENCY_KEY_MAX_LENGTH = 100
#: The most paper sets (bộ hồ sơ) one counter reception records (Mẫu 01 item 2, Mẫu 06 column 4).
MAX_SETS = 20


@dataclass
class AttachmentRef:
    upload: str
    document: int | None


def request_fingerprint(payload: dict) -> str:
    """A digest of the request body: the same Idempotency-Key with a different body is a client error."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _invalid(code: str, message: str, field: str, status_code: int = 400):
    return ValidationFailed(message, code=code, fields={field: [message]}, status_code=status_code)


def _too_large() -> ValidationFailed:
    limit = dossier_max_bytes() // (1024 * 1024)
    return _invalid(
        "dossier_too_large",
        _("Tổng dung lượng tệp của hồ sơ vượt quá %(limit)s MB.") % {"limit": limit},
        "attachments",
        status_code=413,
    )


def resolve_procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=(code or "").strip()).first()
    if procedure is None:
        raise _invalid("unknown_procedure", _("Không tìm thấy thủ tục có mã «%(code)s».") % {"code": code}, "procedure")
    return procedure


def resolve_agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=(code or "").strip()).first()
    if agency is None or not agency.is_active_on(timezone.localdate()):
        raise _invalid("unknown_agency", _("Không tìm thấy cơ quan có mã «%(code)s».") % {"code": code}, "agency")
    return agency


def check_offered(*, procedure: Procedure, agency: Agency, online: bool) -> None:
    """The agency must carry the procedure out; online, at level 3-4 (một phần / toàn trình, NĐ 42/2022)."""
    check_offering(offering_for(procedure=procedure, agency=agency), agency=agency, online=online)


def resolve_offered(procedure_code: str, agency: Agency, *, online: bool) -> Procedure:
    """The procedure of `procedure_code` as offered by `agency` (one query: offering, procedure, field), with the
    errors of `resolve_procedure` and `check_offered`."""
    procedure, offering = offering_by_code(procedure_code=(procedure_code or "").strip(), agency=agency)
    if procedure is None:
        procedure = resolve_procedure(procedure_code)  # unknown_procedure, or known but not offered here
    check_offering(offering, agency=agency, online=online)
    return procedure


def check_offering(offering, *, agency: Agency, online: bool) -> None:
    if offering is None:
        raise _invalid(
            "procedure_not_offered", _("%(agency)s không thực hiện thủ tục này.") % {"agency": agency.name}, "procedure"
        )
    if online and (offering.online_level < 3 or offering.online_mode not in ("partial", "full")):
        raise _invalid(
            "procedure_not_online",
            _("Thủ tục này chưa được cung cấp trực tuyến tại %(agency)s; vui lòng nộp trực tiếp.")
            % {"agency": agency.name},
            "procedure",
        )


def clean_sets_count(value, *, online: bool) -> int:
    """Số bộ hồ sơ (TT 01/2018 Mẫu 01, 06): the officer counts the paper sets at the counter (1 to `MAX_SETS`);
    an online dossier is one set."""
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if online and number != 1:
        raise _invalid(
            "sets_count_counter_only",
            _("Số bộ hồ sơ chỉ ghi khi tiếp nhận trực tiếp hoặc qua bưu chính."),
            "sets_count",
        )
    if not 1 <= number <= MAX_SETS:
        raise _invalid("invalid_sets_count", _("Số bộ hồ sơ phải từ 1 đến %(max)s.") % {"max": MAX_SETS}, "sets_count")
    return number


def clean_applicant(data: dict | None, *, account: User | None = None) -> dict:
    """Applicant snapshot: given values, else the account's (prefill); CCCD and tax code checked by structure."""
    if data is not None and not isinstance(data, dict):
        raise _invalid("applicant_invalid", _("Thông tin người nộp phải là một đối tượng."), "applicant")
    data = {key: str(value).strip() for key, value in (data or {}).items() if key in APPLICANT_FIELDS and value}
    check_applicant_values(data)
    if account is not None:
        prefill = {
            "full_name": account.full_name or account.display_name,
            "id_number": account.id_number or "",
            "phone": account.phone,
            "email": account.email,
            "address": account.address,
            "organisation": account.organisation_name,
            "tax_code": account.tax_code or "",
        }
        data = {**{k: v for k, v in prefill.items() if v}, **data}
    if not data.get("full_name"):
        raise _invalid("applicant_name_required", _("Cần nhập họ và tên người nộp hồ sơ."), "applicant.full_name")
    if data.get("id_number"):
        data["id_number"] = parse_citizen_id(data["id_number"]).number
    if data.get("tax_code"):
        data["tax_code"] = validate_tax_code(data["tax_code"])
    if not data.get("id_number") and not data.get("tax_code"):
        raise ValidationFailed(
            _("Cần số CCCD của người nộp (hoặc mã số thuế của tổ chức)."),
            code="invalid_id_number",
            fields={"id_number": [_("Bắt buộc.")]},
        )
    return {field: data.get(field, "") for field in APPLICANT_FIELDS}


def check_applicant_values(data: dict) -> None:
    """Lengths of every given applicant field, the phone's and the e-mail's form: one 400 naming every bad field."""
    errors = {}
    for field, limit in APPLICANT_MAX_LENGTHS.items():
        if len(data.get(field, "")) > limit:
            errors[f"applicant.{field}"] = [_("Tối đa %(limit)s ký tự.") % {"limit": limit}]
    phone = data.get("phone", "")
    if phone and "applicant.phone" not in errors:
        digits = sum(char.isdigit() for char in phone)
        if not PHONE_RE.match(phone) or not 9 <= digits <= 15:
            errors["applicant.phone"] = [
                _("Số điện thoại không hợp lệ (chỉ gồm chữ số, 9-15 số, có thể bắt đầu bằng +).")
            ]
    email = data.get("email", "")
    if email and "applicant.email" not in errors:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["applicant.email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if errors:
        raise ValidationFailed(
            _("Thông tin người nộp chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu."),
            code="applicant_invalid",
            fields=errors,
        )


def check_summary(summary) -> str:
    summary = str(summary or "").strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise _invalid(
            "summary_too_long", _("Trích yếu tối đa %(limit)s ký tự.") % {"limit": SUMMARY_MAX_LENGTH}, "summary"
        )
    return summary


def check_idempotency_key(key) -> str:
    key = str(key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise _invalid(
            "idempotency_key_too_long",
            _("Idempotency-Key tối đa %(limit)s ký tự.") % {"limit": IDEMPOTENCY_KEY_MAX_LENGTH},
            "Idempotency-Key",
        )
    return key


def _applicant_columns(applicant: dict) -> dict:
    return {
        "applicant_name": applicant["full_name"],
        "applicant_id_number": applicant["id_number"],
        "applicant_phone": applicant["phone"],
        "applicant_email": applicant["email"],
        "applicant_address": applicant["address"],
        "applicant_organisation": applicant["organisation"],
        "applicant_tax_code": applicant["tax_code"],
        "applicant_kind": "business" if applicant["tax_code"] and not applicant["id_number"] else "citizen",
    }


def parse_attachment_refs(items) -> list[AttachmentRef]:
    refs = []
    for item in items or []:
        if isinstance(item, dict):
            document = item.get("document")
            try:
                document = int(document) if document not in (None, "") else None
            except (TypeError, ValueError):
                raise _invalid(
                    "unknown_required_document", _("Thành phần hồ sơ không hợp lệ."), "attachments"
                ) from None
            refs.append(AttachmentRef(str(item.get("upload") or ""), document))
        else:
            refs.append(AttachmentRef(str(item), None))
    if len({ref.upload for ref in refs}) != len(refs):
        raise _invalid("duplicate_upload", _("Một tệp được đính kèm hai lần."), "attachments")
    return refs


def _required_documents(procedure_id: int) -> dict[int, RequiredDocument]:
    return {doc.pk: doc for doc in RequiredDocument.objects.filter(procedure_id=procedure_id).order_by("order", "pk")}


def _attach_from_sources(*, actor, dossier: Dossier, items, supplement) -> tuple[list, list[Attachment]]:
    """Hand the entries of the registry's attachment sources (the wallet's `{"wallet_item": uuid, "document": id}`)
    to their handler; return the remaining (upload) items. A handler raises a DomainError for an entry it refuses
    (the whole submission then rolls back)."""
    sources = registry.attachment_sources
    remaining, grouped = [], {}
    for item in items or []:
        key = next((k for k in sources if isinstance(item, dict) and k in item), None)
        if key is None:
            remaining.append(item)
        else:
            grouped.setdefault(key, []).append(item)
    created = []
    for key, entries in grouped.items():
        created += sources[key](actor=actor, dossier=dossier, entries=entries, supplement=supplement)
    return remaining, created


def _claim_uploads(*, actor, refs: list[AttachmentRef]) -> dict[str, Upload]:
    """The actor's unused, unexpired uploads named in `refs`, marked used and locked in one statement
    (`UPDATE … RETURNING`); an error later in the transaction rolls the mark back with everything else."""
    wanted = [ref.upload for ref in refs if _is_uuid(ref.upload)]
    if not wanted:
        return {}
    fields = Upload._meta.concrete_fields
    quote = connection.ops.quote_name
    table = quote(Upload._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    uuid_field = Upload._meta.get_field("uuid")
    placeholders = ", ".join(["%s"] * len(wanted))
    sql = (
        f"UPDATE {table} SET {quote('used')} = %s WHERE {quote('uuid')} IN ({placeholders}) "  # noqa: S608
        f"AND {quote('owner_id')} = %s AND {quote('used')} = %s AND {quote('expires_at')} > %s RETURNING {names}"
    )
    now = Upload._meta.get_field("expires_at").get_db_prep_value(timezone.now(), connection)
    params = [True, *(uuid_field.get_db_prep_value(value, connection) for value in wanted), actor.pk, False, now]
    # A raw queryset over `UPDATE … RETURNING`: the rows come back as Upload objects with the ORM's conversions.
    return {str(u.uuid): u for u in Upload.objects.raw(sql, params)}


def attach_uploads(
    *, actor, dossier: Dossier, items, supplement=None, documents: dict | None = None, fresh: bool = False
) -> list[Attachment]:
    """Turn the actor's unused uploads into attachments of `dossier`; enforce the per-dossier size limit.

    `fresh`: the dossier was created in this transaction (no attachment nor received document yet: nothing to read
    back); `documents`: its procedure's required documents when the caller has them already."""
    items, from_sources = _attach_from_sources(actor=actor, dossier=dossier, items=items, supplement=supplement)
    refs = parse_attachment_refs(items)
    if not refs:
        return from_sources
    documents = documents if documents is not None else _required_documents(dossier.procedure_id)
    for ref in refs:
        if ref.document is not None and ref.document not in documents:
            raise _invalid("unknown_required_document", _("Thành phần hồ sơ không thuộc thủ tục này."), "attachments")
    if fresh and _is_pg():
        return from_sources + _claim_and_attach(
            actor=actor,
            dossier=dossier,
            refs=refs,
            documents=documents,
            from_sources=from_sources,
            supplement=supplement,
        )
    uploads = _claim_uploads(actor=actor, refs=refs)
    missing = [ref.upload for ref in refs if ref.upload not in uploads]
    if missing:
        raise _invalid(
            "upload_not_found", _("Tệp đính kèm không tồn tại, đã hết hạn hoặc đã được dùng."), "attachments"
        )
    if fresh:  # the dossier's only attachments are those just taken from the other sources
        current = sum(att.size for att in from_sources)
    else:  # what is stored, those just taken from the other sources included
        current = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    if current + sum(upload.size for upload in uploads.values()) > dossier_max_bytes():
        raise _too_large()
    covered = {att.required_document_id for att in from_sources if att.required_document_id}
    if not fresh:
        covered |= _covered_documents(dossier)
    created = []
    for ref, document in zip(refs, _assign_documents(refs, documents, covered), strict=True):
        upload = uploads[ref.upload]
        attachment = Attachment(
            dossier=dossier,
            required_document_id=document,
            upload=upload,
            file=upload.file.name,
            original_name=upload.original_name,
            size=upload.size,
            content_type=upload.content_type,
            sha256=upload.sha256,
            supplement=supplement,
        )
        if document is not None:
            attachment.required_document = documents[document]
        created.append(attachment)
    Attachment.objects.bulk_create(created)  # one INSERT (ids returned on PostgreSQL and SQLite >= 3.35)
    return from_sources + created


def _assign_documents(refs: list[AttachmentRef], documents: dict, covered: set) -> list[int | None]:
    """The required document of each ref: its own, else the next one not yet covered (mandatory ones first)."""
    open_docs = [
        pk
        for pk, doc in sorted(documents.items(), key=lambda kv: (not kv[1].mandatory, kv[1].order, kv[0]))
        if pk not in covered and pk not in {ref.document for ref in refs}
    ]
    return [ref.document if ref.document is not None else (open_docs.pop(0) if open_docs else None) for ref in refs]


def _claim_and_attach(*, actor, dossier, refs, documents, from_sources, supplement) -> list[Attachment]:
    """PostgreSQL, a dossier created in this transaction: the uploads claimed and their attachments written in one
    statement (`WITH claimed AS (UPDATE … RETURNING …) INSERT … SELECT … RETURNING …`, ADR 0024). The checks run on
    what came back (an upload missing, the size limit); raising rolls the claim back with the whole transaction."""
    covered = {att.required_document_id for att in from_sources if att.required_document_id}
    wanted = list(zip(refs, _assign_documents(refs, documents, covered), strict=True))
    if not all(_is_uuid(ref.upload) for ref in refs):
        raise _invalid(
            "upload_not_found", _("Tệp đính kèm không tồn tại, đã hết hạn hoặc đã được dùng."), "attachments"
        )
    quote = connection.ops.quote_name
    upload_table, attachment_table = quote(Upload._meta.db_table), quote(Attachment._meta.db_table)
    now = timezone.now()
    prep_now = Upload._meta.get_field("expires_at").get_db_prep_value(now, connection)
    columns = [f.column for f in Attachment._meta.concrete_fields]
    rows, params = [], []
    for position, (ref, document) in enumerate(wanted):
        rows.append("(%s::uuid, %s::uuid, %s::integer, %s::integer)")
        params += [str(uuid_module.UUID(ref.upload)), str(uuid_module.uuid4()), document, position]
    values = {
        "id": None,  # by the sequence
        "created_at": "%s",
        "updated_at": "%s",
        "uuid": "v.attachment",
        "dossier_id": "%s",
        "required_document_id": "v.document",
        "upload_id": "c.id",
        "file": "c.file",
        "original_name": "c.original_name",
        "size": "c.size",
        "content_type": "c.content_type",
        "sha256": "c.sha256",
        "supplement_id": "%s",
    }
    if set(values) != set(columns):  # a column added to Attachment must be given here
        raise RuntimeError(f"attachment columns changed: {sorted(set(columns) ^ set(values))}")
    inserted = [c for c in columns if values[c] is not None]
    select_params = []
    for column in inserted:
        if column in ("created_at", "updated_at"):
            select_params.append(prep_now)
        elif column == "dossier_id":
            select_params.append(dossier.pk)
        elif column == "supplement_id":
            select_params.append(supplement.pk if supplement is not None else None)
    sql = (
        f"WITH v (upload, attachment, document, position) AS (VALUES {', '.join(rows)}), "  # noqa: S608
        f"claimed AS (UPDATE {upload_table} u SET {quote('used')} = true FROM v WHERE u.{quote('uuid')} = v.upload "
        f"AND u.{quote('owner_id')} = %s AND u.{quote('used')} = false AND u.{quote('expires_at')} > %s "
        f"RETURNING u.id, u.{quote('uuid')}, u.{quote('file')}, u.{quote('original_name')}, u.{quote('size')}, "
        f"u.{quote('content_type')}, u.{quote('sha256')}) "
        f"INSERT INTO {attachment_table} ({', '.join(quote(c) for c in inserted)}) "
        f"SELECT {', '.join(values[c] for c in inserted)} FROM claimed c JOIN v ON v.upload = c.{quote('uuid')} "
        f"ORDER BY v.position RETURNING {', '.join(quote(c) for c in columns)}"
    )
    created = list(Attachment.objects.raw(sql, [*params, actor.pk, prep_now, *select_params]))
    if len(created) != len(wanted):
        raise _invalid(
            "upload_not_found", _("Tệp đính kèm không tồn tại, đã hết hạn hoặc đã được dùng."), "attachments"
        )
    if sum(att.size for att in [*from_sources, *created]) > dossier_max_bytes():
        raise _too_large()
    created.sort(key=lambda att: att.pk)
    for att in created:
        att.dossier = dossier
        if att.required_document_id is not None:
            att.required_document = documents[att.required_document_id]
        if supplement is not None:
            att.supplement = supplement
    return created


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def record_received_documents(*, dossier: Dossier, items, documents: dict | None = None) -> list[ReceivedDocument]:
    """Paper documents checked at the counter: required document ids or `{"document", "originals", "copies"}`."""
    if not items:
        return []
    documents = documents if documents is not None else _required_documents(dossier.procedure_id)
    rows = []
    for item in items or []:
        data = item if isinstance(item, dict) else {"document": item}
        try:
            doc = documents[int(data.get("document"))]
        except (KeyError, TypeError, ValueError):
            raise _invalid(
                "unknown_required_document", _("Giấy tờ không thuộc thủ tục này."), "received_documents"
            ) from None
        rows.append(
            ReceivedDocument(
                dossier=dossier,
                required_document=doc,
                name=doc.name,
                originals=int(data.get("originals", doc.originals) or 0),
                copies=int(data.get("copies", doc.copies) or 0),
            )
        )
    return ReceivedDocument.objects.bulk_create(rows)


def _covered_documents(dossier: Dossier) -> set[int]:
    attached = dossier.attachments.filter(required_document__isnull=False).values_list(
        "required_document_id", flat=True
    )
    received = dossier.received_documents.filter(required_document__isnull=False).values_list(
        "required_document_id", flat=True
    )
    return set(attached) | set(received)


def check_mandatory_documents(dossier: Dossier, *, documents: dict | None = None, covered: set | None = None) -> None:
    """Every mandatory required document has a file or a paper received; `documents` and `covered` when the caller
    knows them (a dossier created in this transaction: what it has just written)."""
    covered = covered if covered is not None else _covered_documents(dossier)
    documents = documents if documents is not None else _required_documents(dossier.procedure_id)
    missing = [doc for doc in documents.values() if doc.mandatory and doc.pk not in covered]
    if missing:
        raise ValidationFailed(
            _("Hồ sơ còn thiếu thành phần bắt buộc: %(documents)s")
            % {"documents": "; ".join(doc.name for doc in missing)},
            code="missing_mandatory_document",
            fields={
                "attachments": [_("Thiếu: %(document)s") % {"document": doc.name} for doc in missing],
                "missing_documents": [str(doc.pk) for doc in missing],
            },
        )


def _counter_agency(actor, agency_code: str | None) -> Agency:
    agencies = user_agencies(actor, role=Role.RECEPTION)
    if not agencies:
        raise PermissionDeniedError(_("Chỉ cán bộ một cửa mới tiếp nhận hồ sơ trực tiếp."), code="permission_denied")
    if agency_code:
        for agency in agencies:
            if agency.code == agency_code:
                return agency
        raise PermissionDeniedError(_("Bạn không tiếp nhận hồ sơ cho cơ quan này."), code="permission_denied")
    return agencies[0]


def _register(dossier: Dossier, *, now) -> None:
    """Give the dossier its received time and its code (TT 01/2018 art. 19: the code carries the receipt day)."""
    online = dossier.channel == Channel.ONLINE
    dossier.submitted_at = now
    dossier.received_at = deadlines.effective_received_at(now) if online else now
    dossier.code = next_dossier_code(agency=dossier.agency, day=timezone.localtime(dossier.received_at).date())


@dataclass
class SubmissionResult:
    dossier: Dossier
    created: bool


def dossier_create(
    *,
    actor,
    procedure_code: str,
    agency_code: str | None,
    applicant: dict | None = None,
    form_data: dict | None = None,
    attachments=(),
    received_documents=(),
    channel: str = "online",
    draft: bool = False,
    accept: bool = False,
    idempotency_key: str = "",
    fingerprint: str = "",
    summary: str = "",
    on_behalf_of: str = "",
    sets_count: int | None = None,
    origin: str = Origin.LOCAL,
) -> SubmissionResult:
    """`POST /api/v1/dossiers/`: online submission, counter/postal reception, or a draft. Idempotent by key.

    `on_behalf_of` (a CCCD): a one-stop officer submits ONLINE for the citizen who holds that account (Plan: officers
    help citizens go online): the citizen owns the dossier, the officer is its creator, the history says so.
    `sets_count`: the number of paper sets received at the counter (1-20; online always 1).
    `origin`: `national_portal` for a dossier the integrations app imports from the National Public Service Portal
    (online only; never read from a request)."""
    key = check_idempotency_key(idempotency_key)
    summary = check_summary(summary)
    # No look-up before the work: the unique (created_by, idempotency_key) constraint refuses a second dossier (a
    # retry, or a concurrent duplicate waiting on the first one's index entry), the whole transaction rolls back (its
    # code number too) and the first dossier is answered. A retry costs a rolled-back attempt, a first try nothing.
    try:
        dossier = _create(
            actor=actor,
            procedure_code=procedure_code,
            agency_code=agency_code,
            applicant=applicant,
            form_data=form_data,
            attachments=attachments,
            received_documents=received_documents,
            channel=channel,
            draft=draft,
            accept=accept,
            key=key,
            fingerprint=fingerprint,
            summary=summary,
            on_behalf_of=on_behalf_of,
            sets_count=sets_count,
            origin=origin,
        )
    except IntegrityError:
        existing = _replay(actor, key, fingerprint) if key else None
        if existing is None:
            raise
        return SubmissionResult(existing, False)
    return SubmissionResult(dossier, True)


def _replay(actor, key: str, fingerprint: str) -> Dossier | None:
    existing = Dossier.objects.filter(created_by=actor, idempotency_key=key).first()
    if existing is not None and fingerprint and existing.idempotency_fingerprint not in ("", fingerprint):
        raise ConflictError(
            _("Idempotency-Key này đã được dùng cho một yêu cầu khác."), code="idempotency_key_reused", status_code=422
        )
    return existing


def assisted_citizen(*, actor, id_number: str) -> User:
    """The citizen account a one-stop officer submits for: the officer must hold the reception role somewhere, the
    CCCD must be well formed and belong to a citizen's (or business representative's) account."""
    if not user_agencies(actor, role=Role.RECEPTION):
        raise PermissionDeniedError(
            _("Chỉ cán bộ một cửa mới nộp hồ sơ trực tuyến thay công dân."), code="permission_denied"
        )
    number = parse_citizen_id(str(id_number or "").strip()).number
    citizen = User.objects.filter(id_number=number, is_active=True).exclude(kind=UserKind.STAFF).first()
    if citizen is None:
        raise _invalid(
            "citizen_account_not_found",
            _("Không tìm thấy tài khoản công dân có số CCCD này; công dân cần đăng ký tài khoản trước."),
            "on_behalf_of",
            status_code=404,
        )
    return citizen


@transaction.atomic
def _create(
    *,
    actor,
    procedure_code,
    agency_code,
    applicant,
    form_data,
    attachments,
    received_documents,
    channel,
    draft,
    accept,
    key,
    fingerprint,
    summary,
    on_behalf_of="",
    sets_count=None,
    origin=Origin.LOCAL,
) -> Dossier:
    if channel not in Channel.values:
        raise _invalid("invalid_channel", _("Hình thức nộp không hợp lệ (online, counter, postal)."), "channel")
    online = channel == Channel.ONLINE
    if origin not in Origin.values or (origin != Origin.LOCAL and not online):
        raise _invalid("invalid_origin", _("Nơi nộp không hợp lệ (hồ sơ từ Cổng DVCQG là hồ sơ trực tuyến)."), "origin")
    citizen = None
    if on_behalf_of:
        if not online or draft:
            raise _invalid(
                "on_behalf_online_only",
                _("Nộp thay chỉ áp dụng cho hồ sơ trực tuyến (không lưu nháp)."),
                "on_behalf_of",
            )
        citizen = assisted_citizen(actor=actor, id_number=on_behalf_of)
    elif online and actor.kind == UserKind.STAFF:
        raise PermissionDeniedError(
            _(
                "Cán bộ tiếp nhận hồ sơ với hình thức trực tiếp (counter) hoặc bưu chính; "
                "để nộp trực tuyến thay công dân, ghi số CCCD vào «on_behalf_of»."
            ),
            code="citizen_only",
        )
    # PostgreSQL: the agency, the procedure, its offerings and its required documents in one statement (ADR 0024);
    # elsewhere, or on an error path, one query each.
    lookup = None
    if online:
        lookup = submission_lookup(
            agency_code=(agency_code or "").strip(), procedure_code=(procedure_code or "").strip()
        )
        agency = lookup.agency if lookup is not None else None
        if agency is None:
            agency = Agency.objects.filter(code=(agency_code or "").strip()).first() if not _is_pg() else None
        if agency is None or not agency.is_active_on(timezone.localdate()):
            resolve_procedure(procedure_code)  # an unknown procedure is named first, as it always was
            agency = resolve_agency(agency_code)
    else:
        agency = _counter_agency(actor, agency_code)
        lookup = submission_lookup(agency_code=agency.code, procedure_code=(procedure_code or "").strip())
    if lookup is not None and lookup.agency.pk == agency.pk:
        procedure = lookup.procedure if lookup.procedure is not None else resolve_procedure(procedure_code)
        check_offering(lookup.offering, agency=agency, online=online)
        known_documents = {doc.pk: doc for doc in lookup.documents}
    else:
        procedure = resolve_offered(procedure_code, agency, online=online)
        known_documents = None
    sets = clean_sets_count(sets_count, online=online)
    applicant = clean_applicant(applicant, account=(citizen or actor) if online else None)
    owner = (citizen or actor) if online else _account_for(applicant)
    if draft and not online:
        raise _invalid("draft_online_only", _("Chỉ hồ sơ trực tuyến mới lưu nháp."), "draft")
    data = _draft_form_data(procedure, form_data) if draft else validate_form_data(procedure.form_schema, form_data)
    dossier = Dossier(
        procedure=procedure,
        agency=agency,
        owner=owner,
        created_by=actor,
        channel=channel,
        origin=origin,
        status=Status.DRAFT if draft else Status.NEW,
        form_data=data,
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
        summary=summary or procedure.name[:SUMMARY_MAX_LENGTH],
        received_by=None if online else actor,
        sets_count=sets,
        **_applicant_columns(applicant),
    )
    if received_documents and online:
        raise _invalid(
            "received_documents_counter_only", _("Chỉ cán bộ một cửa ghi nhận giấy tờ giấy."), "received_documents"
        )
    now = timezone.now()
    if not draft:
        _register(dossier, now=now)
    dossier.save()
    if known_documents is not None:
        documents = known_documents
    else:
        documents = _required_documents(procedure.pk) if (attachments or received_documents or not draft) else {}
    attached = attach_uploads(actor=actor, dossier=dossier, items=attachments, documents=documents, fresh=True)
    received = record_received_documents(dossier=dossier, items=received_documents, documents=documents)
    if not draft:
        covered = {row.required_document_id for row in [*attached, *received] if row.required_document_id}
        check_mandatory_documents(dossier, documents=documents, covered=covered)
    # What the dossier has, known without reading it back: the effects (packet, wallet) and the 201 answer use it.
    remember_related(dossier, attachments=attached, received_documents=received, supplement_requests=[])
    note = (
        f"Cán bộ một cửa {actor.display_name} hỗ trợ nộp trực tuyến thay công dân {citizen.display_name}"
        if citizen
        else ""
    )
    event = record_event(
        dossier=dossier,
        actor=actor,
        action="save_draft" if draft else ("submit" if online else "receive"),
        from_status="",
        to_status=dossier.status,
        before=None,
        note=note,
    )
    remember_related(dossier, events=[event])
    dossier.fresh = True
    if accept and not draft:
        if online:
            raise _invalid("accept_counter_only", _("Hồ sơ trực tuyến được tiếp nhận sau khi kiểm tra."), "accept")
        dossier = dossier_accept(actor=actor, dossier=dossier)
    return dossier


_PREFETCH_MODELS = {
    "attachments": Attachment,
    "received_documents": ReceivedDocument,
    "supplement_requests": SupplementRequest,
    "events": DossierEvent,
}


def remember_related(dossier: Dossier, **related: list) -> None:
    """Put rows written in this transaction in `dossier`'s prefetch cache (what `prefetch_related` would have read):
    `dossier.attachments.all()` and the like then cost no query. A dossier created here has no other row. Its
    reverse one-to-one (apology) is known absent too."""
    cache = dossier.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        queryset = _PREFETCH_MODELS[name].objects.filter(dossier=dossier)
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
    dossier._state.fields_cache.setdefault("apology", None)


def _account_for(applicant: dict) -> User | None:
    """A walk-in applicant who has an account (same CCCD or tax code) sees the dossier under "my dossiers"."""
    lookups = Q()
    if applicant["id_number"]:
        lookups |= Q(id_number=applicant["id_number"])
    if applicant["tax_code"]:
        lookups |= Q(tax_code=applicant["tax_code"])
    if not lookups:
        return None
    return User.objects.filter(lookups).exclude(kind=UserKind.STAFF).first()


def _draft_form_data(procedure: Procedure, form_data: dict | None) -> dict:
    names = {field["name"] for field in procedure.form_schema or []}
    return {
        key: value
        for key, value in (form_data or {}).items()
        if key in names and isinstance(value, str | int | float | bool)
    }


@transaction.atomic
def dossier_update_draft(
    *,
    actor,
    dossier: Dossier,
    applicant: dict | None = None,
    form_data: dict | None = None,
    attachments=None,
    replace_documents=frozenset(),
) -> Dossier:
    """Save more of a draft (resume later). `attachments`, when given, replaces the draft's attachment list.

    Attachments from the wallet (no upload) are kept unless their required document is in `replace_documents`
    (the wizard gave that document another file or wallet item)."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status != Status.DRAFT or locked.owner_id != actor.pk:
        raise ConflictError(_("Chỉ sửa được bản nháp của chính bạn."), code="invalid_transition")
    before = dossier_snapshot(locked)
    if applicant is not None:
        for column, value in _applicant_columns(clean_applicant(applicant, account=actor)).items():
            setattr(locked, column, value)
    if form_data is not None:
        locked.form_data = {**locked.form_data, **_draft_form_data(locked.procedure, form_data)}
    if attachments is not None:
        keep = {str(item.get("upload") if isinstance(item, dict) else item) for item in attachments}
        # Attachments without an upload (from the wallet) are kept; their source dedupes a repeated entry.
        released = [
            att
            for att in locked.attachments.select_related("upload")
            if att.upload_id is not None and str(att.upload.uuid) not in keep
        ]
        Upload.objects.filter(pk__in=[att.upload_id for att in released]).update(
            used=False, expires_at=timezone.now() + upload_ttl()
        )
        Attachment.objects.filter(pk__in=[att.pk for att in released]).delete()
        if replace_documents:
            locked.attachments.filter(upload__isnull=True, required_document_id__in=replace_documents).delete()
        existing = {str(att.upload.uuid) for att in locked.attachments.select_related("upload") if att.upload_id}
        attach_uploads(
            actor=actor,
            dossier=locked,
            items=[
                item
                for item in attachments
                if str(item.get("upload") if isinstance(item, dict) else item) not in existing
            ],
        )
    locked.save()
    record_event(
        dossier=locked,
        actor=actor,
        action="save_draft",
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        before=before,
    )
    return locked


@transaction.atomic
def dossier_submit(*, actor, dossier: Dossier) -> Dossier:
    """Submit a saved draft: full checks as for a direct submission, then the code and received time."""
    locked = Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "agency").get(pk=dossier.pk)
    check_transition("submit", user=actor, dossier=locked)
    check_offered(procedure=locked.procedure, agency=locked.agency, online=True)
    before = dossier_snapshot(locked)
    locked.form_data = validate_form_data(locked.procedure.form_schema, locked.form_data)
    check_mandatory_documents(locked)
    _register(locked, now=timezone.now())
    locked.status = Status.NEW
    locked.save()
    record_event(
        dossier=locked, actor=actor, action="submit", from_status=Status.DRAFT, to_status=Status.NEW, before=before
    )
    return locked

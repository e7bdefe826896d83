"""Reads of the catalogue: lookups, effective offerings (tier templates and exceptions), as-of-date, search."""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Length
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.agencies.models import Agency, ProvinceSettings
from dichvucong.common.errors import NotFoundError
from dichvucong.common.search import fold_text, fold_words

from .models import (
    CatalogDecision,
    ChangeRequest,
    ChangeRequestStatus,
    DecisionStatus,
    FeeRule,
    Field,
    Offering,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    online_mode_for_level,
    pack_list,
)
from .workdays import working_days_between

CHANGE_REQUEST_DEADLINE_DAYS = 3  # Plan 111/KH-UBND: changes reach the portal within 3 working days


def _today() -> datetime.date:
    return timezone.localdate()


def procedure_get(code: str) -> Procedure:
    """The procedure with national code `code` (with field, documents and fees), or NotFoundError."""
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related("required_documents", "fees")
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFoundError(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}, code="procedure_not_found")
    return procedure


def procedure_validator(code: str) -> tuple | None:
    """What changes whenever the procedure's detail (API and page) changes, in one query (docs/adr/0019): the
    procedure's and its field's `updated_at`, the latest change and the number of its documents, fees, offerings and
    versions (a decision, a change request, an import or a reorganisation writes one of them), and the same of the
    agencies (their names and tiers are listed) and the province's settings (two or three tiers). None when there is no such procedure (the caller's 404)."""

    def stamp(table: str, where: str = "") -> str:
        return f"(SELECT MAX(updated_at) FROM {table}{where}), (SELECT COUNT(*) FROM {table}{where})"  # noqa: S608 (table names from the models)

    children = [
        stamp(model._meta.db_table, " WHERE procedure_id = p.id")
        for model in (RequiredDocument, FeeRule, Offering, ProcedureVersion)
    ]
    sql = (
        f"SELECT p.updated_at, f.updated_at, {', '.join(children)}, {stamp(Agency._meta.db_table)}, "  # noqa: S608
        f"{stamp(ProvinceSettings._meta.db_table)} "
        f"FROM {Procedure._meta.db_table} p JOIN {Field._meta.db_table} f ON f.id = p.field_id WHERE p.code = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [code])
        row = cursor.fetchone()
    return None if row is None else tuple(str(value) for value in row)


def _agency_rows(procedure_id, agency: Agency, day: datetime.date):
    return Offering.objects.active_on(day).filter(procedure_id=procedure_id, agency=agency)


def _template_rows(procedure_id, agency: Agency, day: datetime.date):
    return Offering.objects.active_on(day).filter(procedure_id=procedure_id, agency__isnull=True, tier=agency.tier)


def offering_for(*, procedure: Procedure, agency: Agency, on: datetime.date | None = None) -> Offering | None:
    """The offering in force at `agency` on `on` (default today), or None if the agency does not offer it.

    An agency's own row (a department's offering, or a justified exception at a district/commune) wins over the
    tier template; an exception with `offered=False` means the unit does not carry the procedure out.
    """
    day = on or _today()
    if not _in_force(procedure, day):
        return None
    own = _agency_rows(procedure.pk, agency, day).order_by("-valid_from").first()
    if own is not None:
        return own if own.offered else None
    if agency.tier not in procedure.tier_list:
        return None
    template = _template_rows(procedure.pk, agency, day).order_by("-valid_from").first()
    return template if template is not None and template.offered else None


def _in_force(procedure: Procedure, day: datetime.date) -> bool:
    return procedure.valid_from <= day and not (procedure.valid_to and procedure.valid_to < day)


def offering_by_code(
    *, procedure_code: str, agency: Agency, on: datetime.date | None = None
) -> tuple[Procedure | None, Offering | None]:
    """`offering_for` from a procedure's code in one query (the submission's lookup): the agency's own rows and the
    tier template's, with the procedure and its field. Returns (procedure, offering in force or None); the procedure
    is None only when no offering row at all names it at this agency or tier (the caller then looks it up itself to
    tell "unknown procedure" from "not offered")."""
    day = on or _today()
    rows = list(
        Offering.objects.active_on(day)
        .filter(procedure__code=procedure_code)
        .filter(Q(agency=agency) | Q(agency__isnull=True, tier=agency.tier))
        .select_related("procedure", "procedure__field")
        .order_by("-valid_from", "pk")
    )
    if not rows:
        return None, None
    procedure = rows[0].procedure
    return procedure, _offering_in_force(procedure, rows, agency, day)


def _offering_in_force(procedure: Procedure, rows: list[Offering], agency: Agency, day) -> Offering | None:
    """The rule of `offering_for` over the agency's own and the tier template's rows, newest first."""
    if not _in_force(procedure, day):
        return None
    own = next((row for row in rows if row.agency_id == agency.pk), None)
    if own is not None:
        return own if own.offered else None
    if agency.tier not in procedure.tier_list:
        return None
    template = next((row for row in rows if row.agency_id is None), None)
    return template if template is not None and template.offered else None


@dataclass
class SubmissionLookup:
    """What a submission reads of the catalogue: the agency, the procedure (None: no procedure has that code), the
    offering in force (None: not offered there) and the procedure's required documents in order."""

    agency: Agency
    procedure: Procedure | None
    offering: Offering | None
    documents: list[RequiredDocument]


def _from_json(model, data: dict):
    """A model instance from a row turned to JSON by PostgreSQL (`to_jsonb(t.*)`), each value through its field."""
    return model(**{f.attname: f.to_python(data.get(f.column)) for f in model._meta.concrete_fields})


def submission_lookup(*, agency_code: str, procedure_code: str, on: datetime.date | None = None):
    """The agency of `agency_code` with, in the same statement, the procedure of `procedure_code`, its field, the
    offering rows of the agency and of its tier's template in force on `on` (newest first) and the procedure's
    required documents, aggregated as JSON (PostgreSQL; ADR 0024). None elsewhere (the caller reads them in
    separate queries) and when no agency has the code (the caller's error path names what is wrong)."""
    if connection.vendor != "postgresql":
        return None
    day = on or _today()
    agency_table = Agency._meta.db_table
    sql = f"""
        SELECT json_build_object(
            'procedure', to_jsonb(p.*),
            'field', to_jsonb(f.*),
            'offerings', COALESCE((
                SELECT json_agg(to_jsonb(o.*) ORDER BY o.valid_from DESC, o.id)
                FROM {Offering._meta.db_table} o
                WHERE o.procedure_id = p.id
                  AND (o.agency_id = "{agency_table}".id OR (o.agency_id IS NULL AND o.tier = "{agency_table}".tier))
                  AND o.valid_from <= %s AND (o.valid_to IS NULL OR o.valid_to >= %s)
            ), '[]'::json),
            'documents', COALESCE((
                SELECT json_agg(to_jsonb(d.*) ORDER BY d."order", d.id)
                FROM {RequiredDocument._meta.db_table} d WHERE d.procedure_id = p.id
            ), '[]'::json)
        )::text
        FROM {Procedure._meta.db_table} p JOIN {Field._meta.db_table} f ON f.id = p.field_id
        WHERE p.code = %s
    """  # noqa: S608 - table names from the models, values as parameters
    agency = (
        Agency.objects.filter(code=agency_code)
        .annotate(_catalog=RawSQL(sql, (day, day, procedure_code), output_field=TextField()))  # noqa: S611
        .first()
    )
    if agency is None:
        return None
    data = json.loads(agency._catalog, parse_float=Decimal) if agency._catalog is not None else None
    if data is None:
        return SubmissionLookup(agency, None, None, [])
    procedure = _from_json(Procedure, data["procedure"])
    procedure.field = _from_json(Field, data["field"])
    rows = [_from_json(Offering, row) for row in data["offerings"]]
    for row in rows:
        row.procedure = procedure
    documents = [_from_json(RequiredDocument, row) for row in data["documents"]]
    for doc in documents:
        doc.procedure = procedure
    return SubmissionLookup(agency, procedure, _offering_in_force(procedure, rows, agency, day), documents)


def procedures_offered_by(agency: Agency, on: datetime.date | None = None) -> QuerySet[Procedure]:
    """Procedures offered by `agency` on `on`, annotated `offered_level` / `offered_mode` (one SQL query)."""
    day = on or _today()
    own = Offering.objects.active_on(day).filter(procedure=OuterRef("pk"), agency=agency).order_by("-valid_from")
    template = (
        Offering.objects.active_on(day)
        .filter(procedure=OuterRef("pk"), agency__isnull=True, tier=agency.tier, offered=True)
        .order_by("-valid_from")
    )
    own_offered = own.filter(offered=True)
    return (
        Procedure.objects.in_force_on(day)
        .filter(Exists(own_offered) | (~Exists(own) & Exists(template) & Q(tiers__contains=f",{agency.tier},")))
        .annotate(
            offered_level=Coalesce(
                Subquery(own_offered.values("online_level")[:1]), Subquery(template.values("online_level")[:1])
            ),
            offered_mode=Coalesce(
                Subquery(own_offered.values("online_mode")[:1]), Subquery(template.values("online_mode")[:1])
            ),
            offered_tier=Value(agency.tier),
        )
        .select_related("field")
    )


def catalog_as_of(day: datetime.date) -> QuerySet[Procedure]:
    """The catalogue in force on `day`: procedures published on or before it and not yet retired."""
    return Procedure.objects.in_force_on(day).select_related("field").order_by("code")


def procedure_version_on(procedure: Procedure, day: datetime.date) -> ProcedureVersion | None:
    """The recorded version of `procedure` in force on `day` (its content as published then)."""
    return (
        procedure.versions.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-id")
        .first()
    )


def _versions_on(day: datetime.date) -> QuerySet[ProcedureVersion]:
    """The recorded versions of the outer procedure (OuterRef) in force on `day`, newest first."""
    return (
        ProcedureVersion.objects.filter(procedure=OuterRef("pk"), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-id")
    )


def with_content_on(qs: QuerySet[Procedure], day: datetime.date) -> QuerySet[Procedure]:
    """Annotate `snapshot_on_day` (the version in force on `day`) and `level_on_day` (its online level, the live
    level for a procedure without recorded versions), still one SQL query. Show rows with `with_content_shown`."""
    versions = _versions_on(day)
    level = versions.annotate(level=Cast(KT("snapshot__online_level"), IntegerField())).values("level")[:1]
    return qs.annotate(
        snapshot_on_day=Subquery(versions.values("snapshot")[:1], output_field=JSONField()),
        level_on_day=Coalesce(Subquery(level), F("online_level"), output_field=IntegerField()),
    )


_LEVELS_OF_MODE = {"full": Q(level_on_day=4), "partial": Q(level_on_day=3), "none": Q(level_on_day__lte=2)}
_CONTENT_TEXT = (
    "name",
    "description",
    "processing_note",
    "legal_basis",
    "result_description",
    "conditions",
    "source_url",
)


def _show_snapshot(procedure: Procedure, snapshot, *, children: bool = False) -> Procedure:
    """Put the content recorded in `snapshot` on `procedure` (in memory only: such an object must never be saved;
    a changed field becomes an unsaved Field, so saving fails). `children`: also `documents_shown`/`fees_shown`."""
    if isinstance(snapshot, str):
        snapshot = json.loads(snapshot)
    for key in _CONTENT_TEXT:
        setattr(procedure, key, snapshot.get(key) or "")
    procedure.processing_days = Decimal(str(snapshot.get("processing_days") or procedure.processing_days))
    procedure.online_level = int(snapshot.get("online_level") or procedure.online_level)
    procedure.online_mode = online_mode_for_level(procedure.online_level)
    procedure.tiers = pack_list(snapshot.get("tiers") or procedure.tier_list)
    procedure.applicant_types = pack_list(snapshot.get("applicant_types") or procedure.applicant_type_list)
    procedure.form_schema = snapshot.get("form_schema") or []
    code, name = snapshot.get("field_code"), snapshot.get("field_name")
    if code and (code != procedure.field.code or (name and name != procedure.field.name)):
        procedure.field = Field(code=code, name=name or code)
    if children:
        ids = [document.pk for document in procedure.required_documents.all()]  # updated in place by position
        document_keys = {f.name for f in RequiredDocument._meta.concrete_fields} - {"id", "procedure", "order"}
        fee_keys = {f.name for f in FeeRule._meta.concrete_fields} - {"id", "procedure", "order"}
        procedure.documents_shown = [
            RequiredDocument(
                id=ids[index] if index < len(ids) else None,
                procedure_id=procedure.pk,
                order=index + 1,
                **{
                    key: "" if value is None and key == "form_file" else value
                    for key, value in row.items()
                    if key in document_keys
                },
            )
            for index, row in enumerate(snapshot.get("required_documents") or [])
        ]
        procedure.fees_shown = [
            FeeRule(
                procedure_id=procedure.pk,
                order=index + 1,
                **{key: value for key, value in row.items() if key in fee_keys},
            )
            for index, row in enumerate(snapshot.get("fees") or [])
        ]
    return procedure


def with_content_shown(rows):
    """Rows of a `with_content_on` queryset (a page) showing the content they had that day; other rows unchanged."""
    if rows is None:
        return None
    rows = list(rows)
    for row in rows:
        if getattr(row, "snapshot_on_day", None):
            _show_snapshot(row, row.snapshot_on_day)
    return rows


def procedure_as_of(procedure: Procedure, day: datetime.date) -> Procedure:
    """`procedure` (from `procedure_get`) showing its name, level, days, documents and fees as recorded on `day`;
    NotFoundError when it was not in force that day. Never save the result."""
    if procedure.valid_from > day or (procedure.valid_to and procedure.valid_to < day):
        raise NotFoundError(
            f"Thủ tục {procedure.code} không có hiệu lực vào ngày {day:%d/%m/%Y}.", code="procedure_not_in_force"
        )
    version = procedure_version_on(procedure, day)
    if version is not None:
        _show_snapshot(procedure, version.snapshot, children=True)
    return procedure


def procedure_history(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    return procedure.versions.select_related("decision").order_by("valid_from", "id")


def _search_filter(qs: QuerySet[Procedure], q: str) -> QuerySet[Procedure]:
    words = fold_words(q)
    for word in words:
        qs = qs.filter(search_text__contains=word)
    phrase = fold_text(q)
    rank = Case(
        When(code=q.strip(), then=Value(5)),
        When(search_name=phrase, then=Value(4)),
        When(search_name__startswith=phrase, then=Value(3)),
        When(search_name__contains=phrase, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    qs = qs.annotate(rank=rank)
    if connection.vendor == "postgresql" and phrase:
        from django.contrib.postgres.search import TrigramWordSimilarity

        qs = qs.annotate(similarity=TrigramWordSimilarity(Value(phrase), "search_name"))
        return qs.order_by("-rank", "-similarity", Length("search_name"), "code")
    return qs.order_by("-rank", Length("search_name"), "code")


def procedure_search(
    q: str | None = None,
    *,
    agency: Agency | None = None,
    tier: str | None = None,
    field: str | None = None,
    online_level: int | None = None,
    online_mode: str | None = None,
    applicant_type: str | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Procedure]:
    """Published procedures matching `q` (diacritics/case-insensitive, any word order), ranked, with filters.

    Every folded word of `q` must occur in the folded name/code/field (`search_text`); PostgreSQL answers the
    substring tests from the pg_trgm GIN index (migration 0002) and orders ties by trigram similarity.
    With `agency`, only what that agency offers, and `online_level`/`online_mode` are its effective level.
    With `on` (a date asked for), rows carry the version in force that day (`with_content_on`; show a page with
    `with_content_shown`) and the level/mode filters apply to that version (at `agency`: its dated offering).
    """
    day = on or _today()
    if agency is not None:
        qs = procedures_offered_by(agency, day)
        level_field, mode_field = "offered_level", "offered_mode"
    else:
        qs = Procedure.objects.in_force_on(day).select_related("field")
        level_field, mode_field = ("level_on_day", None) if on else ("online_level", "online_mode")
    if on:
        qs = with_content_on(qs, day)
    if tier:
        qs = qs.for_tier(tier)
    if field:
        qs = qs.filter(field__code=field)
    if online_level:
        qs = qs.filter(**{level_field: int(online_level)})
    if online_mode:
        qs = qs.filter(**{mode_field: online_mode}) if mode_field else qs.filter(_LEVELS_OF_MODE[online_mode])
    if applicant_type:
        qs = qs.for_applicant_type(applicant_type)
    if q and fold_words(q):
        return _search_filter(qs, q)
    return qs.order_by("code")


def offerings_public(procedure: Procedure, on: datetime.date | None = None) -> list[Offering]:
    """Where to submit: the procedure's offerings in force (templates, agencies, exceptions), agency preloaded."""
    day = on or _today()
    return list(procedure.offerings.active_on(day).select_related("agency").order_by("tier", "agency__code"))


def offering_exceptions(on: datetime.date | None = None) -> QuerySet[Offering]:
    """Justified per-unit exceptions to tier templates in force on `on`: shown in reports and on the portal."""
    day = on or _today()
    return (
        Offering.objects.active_on(day)
        .exceptions()
        .select_related("procedure", "agency")
        .order_by("agency__code", "procedure__code")
    )


def level4_services_by_agency(agency: Agency, on: datetime.date | None = None) -> QuerySet[Procedure]:
    """The published list of level-4 (toàn trình) services of one agency."""
    return procedures_offered_by(agency, on).filter(offered_level=4).order_by("code")


def decisions_published() -> QuerySet[CatalogDecision]:
    return CatalogDecision.objects.filter(status=DecisionStatus.PUBLISHED).order_by("-effective_on", "number")


def change_requests_visible_to(user, *, province_wide: bool, agencies: list[Agency]) -> QuerySet[ChangeRequest]:
    qs = ChangeRequest.objects.select_related("agency", "decision")
    if province_wide:
        return qs
    return qs.filter(agency__in=agencies)


def change_request_age(request: ChangeRequest, today: datetime.date | None = None) -> int:
    """Working days since the request was received (pending) or until it was handled."""
    start = timezone.localtime(request.submitted_at).date()
    end = timezone.localtime(request.handled_at).date() if request.handled_at else (today or _today())
    return working_days_between(start, end)


def change_requests_with_age(qs, today: datetime.date | None = None) -> list[ChangeRequest]:
    rows = list(qs)
    for row in rows:
        row.age_working_days = change_request_age(row, today)
        row.is_late = row.status == ChangeRequestStatus.PENDING and row.age_working_days > CHANGE_REQUEST_DEADLINE_DAYS
    return rows


def procedures_with_details(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Prefetch what the detail/export needs in a constant number of queries."""
    return qs.select_related("field").prefetch_related(
        "required_documents",
        "fees",
        Prefetch(
            "offerings",
            queryset=Offering.objects.select_related("agency").order_by("tier", "agency__code", "valid_from"),
        ),
    )


def agencies_offering(procedure: Procedure, on: datetime.date | None = None) -> list[dict]:
    """Every agency where the procedure can be submitted on `on`, with its level (tier templates expanded)."""
    day = on or _today()
    offerings = offerings_public(procedure, day)
    own = {o.agency_id: o for o in offerings if o.agency_id}
    rows = [(o.agency, o) for o in own.values() if o.offered]
    templates = {o.tier: o for o in offerings if o.agency_id is None and o.offered and o.tier in procedure.tier_list}
    if templates:
        units = Agency.objects.active_on(day).filter(tier__in=list(templates)).exclude(pk__in=list(own))
        rows += [(unit, templates[unit.tier]) for unit in units]
    return [
        {
            "code": agency.code,
            "name": agency.name,
            "tier": agency.tier,
            "online_level": o.online_level,
            "online_mode": o.online_mode,
            "is_exception": o.is_exception,
            "justification": o.justification,
        }
        for agency, o in sorted(rows, key=lambda row: row[0].code)
    ]


def procedure_history_rows(procedure: Procedure) -> list[dict]:
    return [
        {
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "kind": v.kind,
            "decision": v.decision.number if v.decision_id else None,
            "note": v.note,
            "online_level": v.snapshot.get("online_level"),
            "processing_days": v.snapshot.get("processing_days"),
        }
        for v in procedure_history(procedure)
    ]

"""Public catalogue pages: the list with search and filters, a procedure, the level-4 list per agency, exceptions."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dichvucong.agencies.models import Agency, Tier
from dichvucong.agencies.selectors import agency_select_groups, province_settings
from dichvucong.agencies.vocabulary import Vocabulary
from dichvucong.common.errors import DomainError
from dichvucong.common.http_cache import make_etag, not_modified, validated
from dichvucong.common.pagination import CappedPaginator

from .. import selectors
from ..blank_forms import blank_form_pdf, document_at, has_blank_form, mark_blank_forms
from ..filters import catalog_filters, parse_day
from ..models import Field, OnlineMode, Procedure

PAGE_SIZE = 20
#: The catalogue's filters other than the search box: on a phone they fold away, their summary counting those set.
FILTER_NAMES = ("agency", "tier", "field", "online_level", "online_mode", "applicant_type", "as_of")


def _filter_choices(day=None) -> dict:
    today = timezone.localdate()
    agencies = Agency.objects.active_on(today).only("code", "name", "tier", "path")
    row = province_settings()
    # Only the tiers the province has on the day shown (two tiers: province and commune, no district).
    active = row.active_tiers_on(day or today)
    return {
        "vocabulary": Vocabulary(uses_2025=row.uses_2025_vocabulary(today)),  # the same settings row: one query
        "fields": Field.objects.order_by("name"),
        "agency_groups": agency_select_groups(agencies),
        "tiers": [(value, label) for value, label in Tier.choices if value in active],
        "modes": OnlineMode.choices,
        "levels": [1, 2, 3, 4],
    }


@require_GET
def procedure_list(request):
    """Catalogue with diacritics-insensitive search and filters; `as_of` shows the catalogue of a past date."""
    try:
        filters = catalog_filters(request.GET)
    except DomainError as exc:
        messages.error(request, exc.detail)
        filters = {}
    query = request.GET.get("q", "")
    page = CappedPaginator(selectors.procedure_search(query, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_content_shown(page.object_list)  # as_of: names, levels, days of that day
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "page": page,
            "q": query,
            "params": params.urlencode(),
            "selected": request.GET,
            "filters_set": sum(1 for name in FILTER_NAMES if request.GET.get(name)),
            "agency": filters.get("agency"),
            **_filter_choices(filters.get("on")),
        },
    )


def _page_etag(request, code: str) -> str | None:
    """The procedure page's validator: the procedure's (`procedure_validator`), the day shown, and what the page's
    frame shows of the visitor (account, language, CSRF cookie). None (no validator, the page is rendered) when the
    procedure does not exist or messages wait to be shown (a 304 would not show them)."""
    validator = selectors.procedure_validator(code)
    if validator is None or len(messages.get_messages(request)):
        return None
    return make_etag(
        "procedure-page",
        code,
        request.GET.get("as_of", ""),
        timezone.localdate(),
        getattr(request.user, "pk", None),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        *validator,
    )


@require_GET
def procedure_detail(request, code: str):
    etag = _page_etag(request, code)
    if etag is not None and (unchanged := not_modified(request, etag=etag)) is not None:
        return unchanged
    response = _procedure_detail(request, code)
    return validated(response, etag=etag) if etag is not None and response.status_code == 200 else response


def _procedure_detail(request, code: str):
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related("required_documents", "fees")
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise Http404
    try:
        day = parse_day(request.GET.get("as_of"))
    except DomainError as exc:
        messages.error(request, exc.detail)
        day = None
    if day is not None:  # the procedure as recorded that day (documents, fees, level, days); 404 if not in force
        try:
            procedure = selectors.procedure_as_of(procedure, day)
        except DomainError as exc:
            raise Http404(exc.detail) from exc
    documents = getattr(procedure, "documents_shown", None)
    fees = getattr(procedure, "fees_shown", None)
    offering_rows = selectors.agencies_offering(procedure, day)
    online_rows = [row for row in offering_rows if row["online_level"] >= 3]
    today = timezone.localdate()
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "retired": bool(procedure.valid_to and procedure.valid_to < today),
            "agencies_offering": offering_rows,
            "online_agencies": online_rows,
            "online_agency_groups": agency_select_groups(online_rows),
            "history": selectors.procedure_history_rows(procedure),
            "as_of": day,
            "documents": mark_blank_forms(procedure, procedure.required_documents.all())
            if documents is None
            else documents,
            "fees": procedure.fees.all() if fees is None else fees,
        },
    )


@require_GET
def online_services(request):
    """The published list of level-4 (toàn trình) online services of one agency (Plan 111/KH-UBND, item 5)."""
    agency = Agency.objects.filter(code=request.GET.get("agency") or "").first()
    procedures = list(selectors.level4_services_by_agency(agency)) if agency else []
    return render(
        request,
        "catalog/online_services.html",
        {
            "agency": agency,
            "procedures": procedures,
            "agency_groups": agency_select_groups(
                Agency.objects.active_on(timezone.localdate()).only("code", "name", "tier", "path")
            ),
        },
    )


@require_GET
def exceptions(request):
    """Every justified exception to a tier template: the one way two units of a tier may differ."""
    return render(request, "catalog/exceptions.html", {"rows": selectors.offering_exceptions()})


@require_GET
def blank_form(request, code: str, number: int):
    """The blank form of the procedure's `number`-th document: its official file, or printed from the e-form."""
    procedure = Procedure.objects.filter(code=code).first()
    document = document_at(procedure, number) if procedure else None
    if document is None or not has_blank_form(procedure, document):
        raise Http404
    if document.form_file:
        return FileResponse(document.form_file.open("rb"), as_attachment=True)
    response = HttpResponse(blank_form_pdf(procedure, document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{procedure.code}-mau-{number}.pdf"'
    return response

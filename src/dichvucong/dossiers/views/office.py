"""One-stop desk pages: counter reception, the agency's dossier list with filters, a dossier with its actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dichvucong.accounts.decorators import staff_required
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies
from dichvucong.agencies.selectors import agency_list
from dichvucong.catalog.models import Procedure
from dichvucong.catalog.selectors import procedures_offered_by
from dichvucong.common.errors import DomainError, NotFoundError
from dichvucong.common.pagination import CappedPaginator
from dichvucong.identity import prefill as registry_prefill
from dichvucong.identity.selectors import registry_check

from .. import selectors
from ..access import dossier_access
from ..actions import dossier_actions
from ..dossier_deadlines import due_soon_limit
from ..forms import ActionForm, AssistedLookupForm, DossierForm, ListFilterForm
from ..models import Dossier
from ..personal_data import record_personal_data_read
from ..registry import registry
from ..submission import assisted_citizen, dossier_create, resolve_agency
from ..uploads import with_upload_scope
from .common import (
    arranged_actions,
    dossier_fees,
    form_rows,
    initial_applicant,
    perform_from_form,
    show_error,
    store_files,
)


def _reception_agencies(user):
    return user_agencies(user, role=Role.RECEPTION)


@staff_required
@require_http_methods(["GET", "POST"])
@with_upload_scope  # a failed reception leaves none of the request's scans behind
def counter_reception(request):
    """Register a walk-in applicant's dossier at the officer's agency (channel: counter), optionally accept it."""
    agencies = _reception_agencies(request.user)
    if not agencies:
        raise Http404
    agency = next((a for a in agencies if a.code == request.GET.get("agency")), agencies[0])
    procedures = procedures_offered_by(agency).order_by("code")
    procedure = (
        Procedure.objects.filter(code=request.GET.get("procedure", "")).first()
        if request.GET.get("procedure")
        else None
    )
    context = {"agencies": agencies, "agency": agency, "procedures": procedures, "procedure": procedure}
    if procedure is None:
        return render(request, "dossiers/counter.html", context)
    documents = list(procedure.required_documents.all())
    registry = registry_prefill.remembered(request.session, "counter")
    context["registry_prefill"] = registry
    form = DossierForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        documents=documents,
        counter=True,
        strict=True,
        initial=registry_prefill.applicant_initial(registry),
    )
    if request.method == "POST" and form.is_valid():
        try:
            attachments = store_files(request, form, documents)
            received = [doc.pk for doc in documents if form.cleaned_data.get(f"received_{doc.pk}")]
            dossier = dossier_create(
                actor=request.user,
                procedure_code=procedure.code,
                agency_code=agency.code,
                channel="counter",
                applicant=form.applicant(),
                form_data=form.form_data(),
                attachments=attachments,
                received_documents=received,
                sets_count=form.cleaned_data.get("sets_count"),
                accept=form.cleaned_data.get("accept", False),
            ).dossier
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            if registry and registry["citizen_id"] == dossier.applicant_id_number:
                for item in registry_prefill.mismatches(registry["values"], form.applicant()):
                    messages.warning(
                        request,
                        _("%(label)s khác CSDL dân cư: đã khai «%(typed)s», CSDL ghi «%(registry)s».") % item,
                    )
            registry_prefill.forget(request.session, "counter")
            return redirect("dossiers:office-detail", reference=dossier.code)
    return render(request, "dossiers/counter.html", {**context, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
@with_upload_scope
def assisted_online(request):
    """A one-stop officer submits ONLINE on a citizen's behalf (issue 4 item 2; Plan: officers help citizens go
    online): the citizen's account, found by CCCD, owns the dossier; the officer uploads the scans and submits."""
    agencies = _reception_agencies(request.user)
    if not agencies:
        raise Http404
    bound = request.GET if "id_number" in request.GET else None  # a link may preset the procedure only
    lookup = AssistedLookupForm(
        bound,
        initial=request.GET.dict(),
        agencies=agencies,
        procedures=Procedure.objects.filter(online_level__gte=3).order_by("code").values_list("code", "name"),
        other_agencies=[(a.code, a.name) for a in agency_list()],
    )
    context = {"lookup": lookup}
    if not lookup.is_valid():
        return render(request, "dossiers/assisted.html", context)
    values = lookup.cleaned_data
    try:
        citizen = assisted_citizen(actor=request.user, id_number=values["id_number"])
        agency = resolve_agency(values["agency_code"] or values["agency"])
        procedure = Procedure.objects.filter(code=values["procedure"].strip()).first()
        if procedure is None:
            raise NotFoundError(
                _("Không tìm thấy thủ tục có mã «%(code)s».") % {"code": values["procedure"]}, code="unknown_procedure"
            )
    except DomainError as exc:
        lookup.add_error(None, exc.detail)
        return render(request, "dossiers/assisted.html", context)
    documents = list(procedure.required_documents.all())
    form = DossierForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        documents=documents,
        strict=True,
        initial=initial_applicant(citizen),
    )
    context.update({"citizen": citizen, "agency": agency, "procedure": procedure, "form": form})
    if request.method == "POST" and form.is_valid():
        try:
            attachments = store_files(request, form, documents)
            dossier = dossier_create(
                actor=request.user,
                procedure_code=procedure.code,
                agency_code=agency.code,
                channel="online",
                on_behalf_of=citizen.id_number,
                applicant=form.applicant(),
                form_data=form.form_data(),
                attachments=attachments,
            ).dossier
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(
                request,
                _("Đã nộp trực tuyến hồ sơ %(code)s thay công dân %(name)s.")
                % {"code": dossier.code, "name": citizen.display_name},
            )
            return redirect("dossiers:office-detail", reference=dossier.code)
    return render(request, "dossiers/assisted.html", context)


@staff_required
@require_GET
def office_list(request):
    """The agency's dossiers (province roles: all), with filters status / channel / procedure / due soon / overdue."""
    form = ListFilterForm(request.GET or None, procedures=selectors.list_filter_procedures(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        qs = selectors.dossier_list(
            user=request.user,
            status=filters.get("status") or None,
            channel=filters.get("channel") or None,
            procedure=filters.get("procedure") or None,
            q=filters.get("q") or None,
            due_soon="1" if filters.get("due_soon") else None,
            overdue="1" if filters.get("overdue") else None,
        ).exclude(status="draft")
    except DomainError as exc:
        messages.error(request, exc.detail)
        qs = Dossier.objects.none()
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    limit = due_soon_limit()
    rows = [(d, selectors.deadline_flags(d, limit=limit)) for d in page]
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    return render(
        request,
        "dossiers/office_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "book_agencies": user_agencies(request.user),
            "book_from": today.replace(day=1),
            "book_to": today,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
@with_upload_scope
def office_detail(request, reference: str):
    try:
        dossier = selectors.dossier_get_for(user=request.user, reference=reference)
    except NotFoundError:
        raise Http404 from None
    if request.method == "POST":
        updated = perform_from_form(request, dossier)
        return redirect("dossiers:office-detail", reference=(updated or dossier).reference)
    record_personal_data_read(user=request.user, dossier=dossier, via="dossiers:office-detail")
    actions = dossier_actions(user=request.user, dossier=dossier)
    fee_form = ActionForm(fees=dossier_fees(dossier)) if any(a.name == "request_payment" for a in actions) else None
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "actions": arranged_actions(actions, dossier),
            "fee_form": fee_form,
            "panels": registry.panels("office_detail", request, dossier),
            "flags": selectors.deadline_flags(dossier),
            "form_rows": form_rows(dossier),
            "office": True,
            "open_files": dossier_access(request.user, dossier).open_files,
            "events": selectors.dossier_timeline(dossier),
            "registry_check": registry_check(
                citizen_id=dossier.applicant_id_number,
                typed={"full_name": dossier.applicant_name, "address": dossier.applicant_address},
            ),
        },
    )

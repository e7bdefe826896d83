"""Citizen and public pages: the submission wizard (draft → review → submit), "my dossiers", the public lookup.

Every write goes through `submission` / `services`; every read through `selectors` (404 for what the user may not
see). Errors of the services (`DomainError`) are shown on the page with their Vietnamese `detail`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dichvucong.accounts.models import UserKind
from dichvucong.catalog.blank_forms import mark_blank_forms
from dichvucong.catalog.models import Procedure
from dichvucong.common.errors import DomainError, NotFoundError
from dichvucong.common.pagination import CappedPaginator
from dichvucong.common.throttling import LookupThrottle, page_throttle_wait
from dichvucong.identity import prefill as registry_prefill

from .. import selectors
from ..access import dossier_access
from ..actions import dossier_actions, dossier_perform_action
from ..forms import DossierForm, LookupForm
from ..models import Dossier
from ..registry import registry
from ..state_machine import Status
from ..submission import check_mandatory_documents, dossier_create, dossier_update_draft, resolve_agency
from ..uploads import with_upload_scope
from .common import (
    arranged_actions,
    form_rows,
    initial_applicant,
    perform_from_form,
    show_error,
    store_files,
    wallet_choices,
)


def checking(request) -> bool:
    """«Lưu và xem lại» checks the required e-form fields; «Lưu nháp» keeps what was typed, complete or not."""
    return "save_draft" not in request.POST


def eform_missing(dossier: Dossier) -> list[str]:
    """The labels of the required e-form fields the dossier has not filled (the review page will not submit)."""
    return [
        str(item.get("label") or item["name"])
        for item in dossier.procedure.form_schema or []
        if item.get("required") and dossier.form_data.get(item["name"]) in (None, "", False)
    ]


def _citizen_required(request):
    if request.user.kind == UserKind.STAFF:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
@with_upload_scope  # a failed creation leaves none of the request's uploads behind
def submit_wizard(request, procedure_code: str):
    """Step 1 of the wizard: e-form, applicant (prefilled) and, per required document, an upload or one of the
    citizen's own wallet items (the same `{"wallet_item", "document"}` entry as the API); saved as draft."""
    _citizen_required(request)
    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None:
        raise Http404
    try:
        agency = resolve_agency(request.GET.get("agency", ""))
    except DomainError:
        raise Http404 from None
    documents = mark_blank_forms(procedure, procedure.required_documents.all())
    registry = registry_prefill.remembered(request.session, "online", citizen_id=request.user.id_number)
    form = DossierForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        documents=documents,
        initial={**initial_applicant(request.user), **registry_prefill.applicant_initial(registry)},
        wallet_items=wallet_choices(request.user),
        strict=checking(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            attachments = store_files(request, form, documents) + form.wallet_refs()
            dossier = dossier_create(
                actor=request.user,
                procedure_code=procedure.code,
                agency_code=agency.code,
                applicant=form.applicant(),
                form_data=form.form_data(),
                attachments=attachments,
                draft=True,
            ).dossier
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            if not checking(request):
                messages.success(request, _("Đã lưu bản nháp. Bạn có thể khai tiếp bất cứ lúc nào."))
                return redirect("dossiers:draft-edit", draft=dossier.uuid)
            messages.success(request, _("Đã lưu bản nháp. Kiểm tra lại và nộp hồ sơ."))
            return redirect("dossiers:review", draft=dossier.uuid)
    return render(
        request,
        "dossiers/wizard.html",
        {"form": form, "procedure": procedure, "agency": agency, "registry_prefill": registry},
    )


def _own_draft(request, draft) -> Dossier:
    dossier = (
        Dossier.objects.filter(uuid=draft, owner=request.user, status=Status.DRAFT)
        .select_related("procedure", "agency")
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
@with_upload_scope
def draft_edit(request, draft):
    """Resume a draft: change the e-form or the applicant, add files or wallet items (they replace what the
    document had)."""
    dossier = _own_draft(request, draft)
    documents = mark_blank_forms(dossier.procedure, dossier.procedure.required_documents.all())
    initial = {
        "full_name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
        **{f"f_{k}": v for k, v in dossier.form_data.items()},
    }
    form = DossierForm(
        request.POST or None,
        request.FILES or None,
        procedure=dossier.procedure,
        documents=documents,
        initial=initial,
        wallet_items=wallet_choices(request.user),
        strict=checking(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            new_files = store_files(request, form, documents) + form.wallet_refs()
            replaced = {f["document"] for f in new_files}
            kept = [
                {"upload": str(att.upload.uuid), "document": att.required_document_id}
                for att in dossier.attachments.select_related("upload")
                if att.upload_id and att.required_document_id not in replaced
            ]
            dossier_update_draft(
                actor=request.user,
                dossier=dossier,
                applicant=form.applicant(),
                form_data=form.form_data(),
                attachments=kept + new_files,
                replace_documents=replaced,
            )
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            if not checking(request):
                messages.success(request, _("Đã lưu bản nháp. Bạn có thể khai tiếp bất cứ lúc nào."))
                return redirect("dossiers:draft-edit", draft=dossier.uuid)
            return redirect("dossiers:review", draft=dossier.uuid)
    return render(
        request,
        "dossiers/wizard.html",
        {"form": form, "procedure": dossier.procedure, "agency": dossier.agency, "draft": dossier},
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_review(request, draft):
    """Step 2: review everything, then submit (the code and the received time are given now)."""
    dossier = _own_draft(request, draft)
    missing = None
    try:
        check_mandatory_documents(dossier)
    except DomainError as exc:
        missing = exc.detail
    unfilled = eform_missing(dossier)
    if request.method == "POST" and unfilled:
        messages.error(request, _("Tờ khai còn thiếu: %(fields)s.") % {"fields": ", ".join(unfilled)})
    elif request.method == "POST":
        try:
            dossier = dossier_perform_action(actor=request.user, dossier=dossier, action="submit", data={})
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Đã nộp hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("dossiers:my-detail", reference=dossier.code)
    return render(
        request,
        "dossiers/review.html",
        {
            "dossier": dossier,
            "missing": missing,
            "unfilled": unfilled,
            "expected": selectors.expected_due_if_accepted_today(dossier),
            "attachments": dossier.attachments.select_related("required_document"),
            "form_rows": form_rows(dossier),
        },
    )


@login_required
@require_GET
def my_dossiers(request):
    qs = selectors.dossier_list(user=request.user, own=True)
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "dossiers/my_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
@with_upload_scope
def my_dossier_detail(request, reference: str):
    """The owner's view: status, due date, timeline, forms, and the owner's actions (withdraw, supplement)."""
    try:
        dossier = selectors.dossier_get_for(user=request.user, reference=reference)
    except NotFoundError:
        raise Http404 from None
    if not dossier_access(request.user, dossier).own:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "pay" and dossier.code:
            # Paying is the payment page's POST (starts the payment, sends the payer to the platform): 307 keeps
            # the method and the form, so a "pay" posted here lands there instead of back on this page.
            return redirect("payments:pay", code=dossier.code, preserve_request=True)
        perform_from_form(request, dossier)
        return redirect("dossiers:my-detail", reference=dossier.reference)
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "actions": arranged_actions(dossier_actions(user=request.user, dossier=dossier), dossier),
            "flags": selectors.deadline_flags(dossier),
            "form_rows": form_rows(dossier),
            "office": False,
            "open_files": True,  # the owner's own page (dossier_get_for: only the owner reaches it)
            "expected": selectors.expected_due_if_accepted_today(dossier),
            "panels": registry.panels("my_detail", request, dossier),
            "events": selectors.dossier_timeline(dossier),
        },
    )


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Public lookup by code + CCCD (same answer for an unknown code and a wrong CCCD).

    The CCCD travels in the body of a POST, never in an address (logs, history, referrers keep addresses). A GET
    only fills the code in (the receipt's QR code opens this page with the code alone) and puts the cursor in the
    CCCD field; a CCCD given in an old-style address is ignored."""
    if request.method == "POST":
        form = LookupForm(request.POST)
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")})
        if form.initial["code"]:
            form.fields["id_number"].widget.attrs["autofocus"] = True
    dossier, status = None, 200
    if form.is_bound and form.is_valid():
        wait = page_throttle_wait(request, LookupThrottle)  # the API's allowance: no way around it via the page
        if wait is not None:
            form.add_error(
                None, _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(seconds)s giây.") % {"seconds": wait}
            )
            status = 429
        else:
            try:
                dossier = selectors.dossier_lookup(**form.cleaned_data)
            except NotFoundError as exc:
                form.add_error(None, exc.detail)
    events = selectors.dossier_timeline(dossier) if dossier else []
    return render(request, "dossiers/lookup.html", {"form": form, "dossier": dossier, "events": events}, status=status)

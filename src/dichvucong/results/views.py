"""The result page of a dossier (`/ho-so/<code>/ket-qua/`): download of the signed result and its delivery.

The owner sees the issued result and chooses how to receive it (online, at the counter, by post); the officers
of the dossier's agency see the signed result and the reception officer / clerk record the postal shipment.
Anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dichvucong.accounts.decorators import staff_required
from dichvucong.common.dates import parse_date_param
from dichvucong.common.errors import DomainError, NotFoundError

from . import delivery as delivery_services
from . import drafting, postal
from .models import DeliveryMethod, ElectronicResult
from .selectors import delivery_for, dossier_for_result, may_see_result, result_get_for, result_is_electronic


def _dossier(request, reference: str):
    try:
        return dossier_for_result(user=request.user, reference=reference)
    except NotFoundError:
        raise Http404 from None


def _post(request, dossier) -> None:
    op = request.POST.get("op")
    if op == "choose":
        delivery_services.result_delivery_choose(
            actor=request.user,
            dossier=dossier,
            method=request.POST.get("method", ""),
            recipient_name=request.POST.get("recipient_name", ""),
            recipient_phone=request.POST.get("recipient_phone", ""),
            address=request.POST.get("address", ""),
        )
        messages.success(request, _("Đã lưu hình thức nhận kết quả."))
    elif op == "ship":
        delivery = postal.result_delivery_ship(actor=request.user, dossier=dossier)
        messages.success(
            request,
            _("Đã giao kết quả cho bưu chính, số hiệu bưu gửi %(number)s.") % {"number": delivery.tracking_number},
        )
    elif op == "sent":
        delivery_services.result_delivery_record_sent(
            actor=request.user,
            dossier=dossier,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
        messages.success(request, _("Đã ghi nhận gửi kết quả qua bưu chính."))
    elif op == "delivered":
        delivered_on = parse_date_param(request.POST.get("delivered_on"), field="delivered_on")
        delivery_services.result_delivery_record_delivered(
            actor=request.user, dossier=dossier, delivered_at=delivered_on
        )
        messages.success(request, _("Đã ghi nhận bưu chính phát kết quả."))
    elif op == "failed":
        delivery_services.result_delivery_record_failed(
            actor=request.user, dossier=dossier, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Đã ghi nhận phát không thành công; kết quả chuyển về Bộ phận một cửa."))
    else:
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def result_page(request, reference: str):
    dossier = _dossier(request, reference)
    if request.method == "POST":
        try:
            _post(request, dossier)
        except DomainError as exc:
            messages.error(request, exc.detail)
        if request.POST.get("back") == "detail" and dossier.owner_id == request.user.pk:
            return redirect("dossiers:my-detail", reference=dossier.code)  # chosen from the dossier page
        return redirect("results:result", reference=dossier.code)
    result = ElectronicResult.objects.filter(dossier=dossier).first()
    return render(
        request,
        "results/result.html",
        {
            "dossier": dossier,
            "result": result if may_see_result(request.user, dossier, result) else None,
            "delivery": delivery_for(dossier),
            "methods": DeliveryMethod.choices,
            "may_choose": delivery_services.may_choose(request.user, dossier),
            "may_ship": delivery_services.may_record_shipment(request.user, dossier),
            "carrier_enabled": postal.carrier_enabled(),
        },
    )


def _inline_pdf(content: bytes, name: str) -> HttpResponse:
    """A PDF shown inside the officer's dossier page (same origin only), never cached."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
@xframe_options_sameorigin
def result_preview(request, reference: str):
    """The exact result the leader will sign (the number aside), for the head and the leader to read first."""
    dossier = _dossier(request, reference)
    if not result_is_electronic(dossier):
        raise Http404
    return _inline_pdf(drafting.preview_pdf(dossier), f"xem-truoc-{dossier.code}.pdf")


@staff_required
@require_GET
@xframe_options_sameorigin
def result_signed_inline(request, reference: str):
    """The signed document, shown on the dossier page after signing."""
    try:
        result = result_get_for(user=request.user, reference=reference)
    except NotFoundError:
        raise Http404 from None
    with result.file.open("rb") as handle:
        return _inline_pdf(handle.read(), f"ket-qua-{result.dossier.code}.pdf")


@staff_required
@require_POST
def result_draft(request, reference: str):
    """The specialist enters the result's fields that no data source fills."""
    dossier = _dossier(request, reference)
    try:
        drafting.result_draft_save(actor=request.user, dossier=dossier, values=request.POST.dict())
        messages.success(request, _("Đã lưu dự thảo kết quả."))
    except DomainError as exc:
        fields = "; ".join(str(e) for errors in (exc.fields or {}).values() for e in errors)
        messages.error(request, f"{exc.detail} {fields}".strip())
    return redirect("dossiers:office-detail", reference=dossier.code)

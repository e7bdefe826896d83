"""Citizen payment pages and the reconciliation page for staff (Vietnamese, no inline CSS/JS)."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from dichvucong.common.errors import DomainError, NotFoundError
from dichvucong.dossiers.access import dossier_access

from . import selectors
from .models import FeeAssessment, PaymentStatus
from .reconciliation import reconciliation_run
from .services import payment_settle_stale, payment_start


def _owned_dossier(request, code):
    try:
        return selectors.dossier_for_owner(user=request.user, code=code)
    except NotFoundError:
        raise Http404 from None


class PaymentPageView(LoginRequiredMixin, View):
    """Trang thanh toán: the fee breakdown, the payments so far and the "Thanh toán" button (owner only)."""

    def get(self, request, code):
        dossier = _owned_dossier(request, code)
        pending = selectors.pending_payment_of(dossier)
        if pending is not None and payment_settle_stale(payment=pending).status != PaymentStatus.PENDING:
            dossier = _owned_dossier(request, code)  # settled now: the dossier may have moved on (paid)
        assessment = FeeAssessment.objects.filter(dossier=dossier).prefetch_related("lines").first()
        payments = list(selectors.payments_of_dossier(dossier))
        return render(request, "payments/pay.html", {
            "dossier": dossier, "assessment": assessment, "payments": payments,
            "paid": any(p.status == PaymentStatus.PAID for p in payments),
            "can_pay": assessment is not None and dossier.status == "payment_requested"})

    def post(self, request, code):
        dossier = _owned_dossier(request, code)
        try:
            payment = payment_start(actor=request.user, dossier=dossier)
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("payments:pay", code=code)
        return redirect(payment.redirect_url)


class PaymentReturnView(LoginRequiredMixin, View):
    """Where the platform sends the payer back. Shows what the system knows (the callback decides, not the URL's
    query string); a payment still pending after a few seconds is asked about at the platform."""

    def get(self, request, uuid):
        try:
            payment = selectors.payment_visible(user=request.user, uuid=uuid)
        except NotFoundError:
            raise Http404 from None
        if not dossier_access(request.user, payment.dossier).pay:
            raise Http404
        payment = payment_settle_stale(payment=payment)  # no callback yet: ask the platform (demo without beat)
        return render(request, "payments/return.html", {"payment": payment, "dossier": payment.dossier,
                                                        "receipt": getattr(payment, "receipt", None)})


class ReconciliationView(LoginRequiredMixin, View):
    """Đối soát: choose an agency and a day, run, see the differences, export to Excel."""

    def _agencies(self, request):
        agencies = selectors.reconciliation_agencies(request.user)
        if not agencies:
            return None
        return agencies

    def get(self, request):
        agencies = self._agencies(request)
        if agencies is None:
            return HttpResponseForbidden(_("Bạn không có quyền đối soát."))
        return render(request, "payments/reconciliation.html",
                      {"agencies": agencies, "today": datetime.date.today().isoformat()})  # noqa: DTZ011

    def post(self, request):
        agencies = self._agencies(request)
        if agencies is None:
            return HttpResponseForbidden(_("Bạn không có quyền đối soát."))
        agency = next((a for a in agencies if a.code == request.POST.get("agency")), None)
        try:
            day = datetime.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            day = None
        if agency is None or day is None:
            messages.error(request, _("Vui lòng chọn cơ quan và ngày đối soát hợp lệ."))
            return redirect("payments:reconciliation")
        try:
            run = reconciliation_run(actor=request.user, agency=agency, day=day)
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("payments:reconciliation")
        return redirect("payments:reconciliation-detail", uuid=run.uuid)


class ReconciliationDetailView(LoginRequiredMixin, View):
    def get(self, request, uuid):
        try:
            run = selectors.reconciliation_visible(user=request.user, uuid=uuid)
        except NotFoundError:
            raise Http404 from None
        return render(request, "payments/reconciliation_detail.html",
                      {"run": run, "items": run.items.all()})

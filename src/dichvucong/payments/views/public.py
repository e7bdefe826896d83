"""The payer's pages: the payment page (fees, payments so far, "Thanh toán") and the return page from the platform.

GET only reads. A payment still pending (its callback not come yet) is shown as such with a «Kiểm tra lại» form: its
POST (`PaymentCheckView`) asks the platform and settles the payment, then redirects back (the page's small script,
payments/js/check.js, submits that form once by itself after a few seconds)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from dichvucong.common.errors import DomainError, NotFoundError
from dichvucong.dossiers.access import dossier_access

from .. import selectors
from ..models import FeeAssessment, PaymentStatus
from ..services import payment_settle_stale, payment_start


def _owned_dossier(request, code):
    try:
        return selectors.dossier_for_owner(user=request.user, code=code)
    except NotFoundError:
        raise Http404 from None


def _owned_payment(request, uuid):
    try:
        payment = selectors.payment_visible(user=request.user, uuid=uuid)
    except NotFoundError:
        raise Http404 from None
    if not dossier_access(request.user, payment.dossier).pay:
        raise Http404
    return payment


def _check_context(payment) -> dict:
    """What the «Kiểm tra lại» form of a pending payment needs (nothing when no payment is pending)."""
    if payment is None or payment.status != PaymentStatus.PENDING:
        return {"pending": None}
    return {"pending": payment, "check_after": settings.PAYMENT_RETURN_POLL_AFTER_SECONDS}


class PaymentPageView(LoginRequiredMixin, View):
    """Trang thanh toán: the fee breakdown, the payments so far and the "Thanh toán" button (owner only)."""

    def get(self, request, code):
        dossier = _owned_dossier(request, code)
        assessment = FeeAssessment.objects.filter(dossier=dossier).prefetch_related("lines").first()
        payments = list(selectors.payments_of_dossier(dossier))
        return render(
            request,
            "payments/pay.html",
            {
                "dossier": dossier,
                "assessment": assessment,
                "payments": payments,
                "paid": any(p.status == PaymentStatus.PAID for p in payments),
                "can_pay": assessment is not None and dossier.status == "payment_requested",
                **_check_context(selectors.pending_payment_of(dossier)),
            },
        )

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
    query string); a pending payment comes with the «Kiểm tra lại» form."""

    def get(self, request, uuid):
        payment = _owned_payment(request, uuid)
        return render(
            request,
            "payments/return.html",
            {
                "payment": payment,
                "dossier": payment.dossier,
                "receipt": getattr(payment, "receipt", None),
                **_check_context(payment),
            },
        )


class PaymentCheckView(LoginRequiredMixin, View):
    """POST «Kiểm tra lại»: a payment still pending a few seconds after the payer came back (no callback yet) is
    asked about at the platform and settled (`payment_settle_stale`), so a lost callback does not leave the citizen
    waiting for the periodic poll; then back to the page the form was on (`back=pay`: the payment page)."""

    http_method_names = ["post"]

    def post(self, request, uuid):
        payment = payment_settle_stale(payment=_owned_payment(request, uuid))
        if request.POST.get("back") == "pay":
            return redirect("payments:pay", code=payment.dossier.code)
        return redirect("payments:return", uuid=payment.uuid)

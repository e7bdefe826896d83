"""The payment officers' pages: reconciliation with the payment platform's settlement files, and its results."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from dichvucong.common.dates import parse_date_param
from dichvucong.common.errors import DomainError, NotFoundError

from .. import selectors
from ..cash_book import cash_book, cash_book_pdf, cash_book_xlsx
from ..reconciliation import reconciliation_run


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
        return render(
            request, "payments/reconciliation.html", {"agencies": agencies, "today": timezone.localdate().isoformat()}
        )

    def post(self, request):
        agencies = self._agencies(request)
        if agencies is None:
            return HttpResponseForbidden(_("Bạn không có quyền đối soát."))
        agency = next((a for a in agencies if a.code == request.POST.get("agency")), None)
        try:
            day = parse_date_param(request.POST.get("date", ""), field="date")
        except DomainError:
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
        return render(request, "payments/reconciliation_detail.html", {"run": run, "items": run.items.all()})


class CashBookView(LoginRequiredMixin, View):
    """Sổ thu phí, lệ phí: an agency's fees of one day (desk and online) with totals per method and budget code;
    `format=xlsx|pdf` downloads it for the Treasury. The agency's own staff and the province's administrators."""

    def get(self, request):
        agencies = selectors.reconciliation_agencies(request.user)
        if not agencies:
            return HttpResponseForbidden(_("Bạn không có quyền xem sổ thu phí, lệ phí."))
        code = request.GET.get("agency") or agencies[0].code
        agency = next((a for a in agencies if a.code == code), None)
        if agency is None:
            raise Http404
        try:
            day = parse_date_param(request.GET.get("date"), field="date", default=timezone.localdate())
        except DomainError:
            day = None
        if day is None:
            messages.error(request, _("Ngày không hợp lệ."))
            day = timezone.localdate()
        book = cash_book(agency=agency, day=day)
        fmt = request.GET.get("format", "html")
        name = f"so-thu-phi-{agency.code}-{day.isoformat()}"
        if fmt == "xlsx":
            response = HttpResponse(
                cash_book_xlsx(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        if fmt == "pdf":
            response = HttpResponse(cash_book_pdf(book), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        return render(request, "payments/cash_book.html", {"book": book, "agencies": agencies, "agency": agency})

"""The payment officers' pages: reconciliation with the payment platform's settlement files, and its results."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from dichvucong.common.errors import DomainError, NotFoundError

from .. import selectors
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
        return render(request, "payments/reconciliation_detail.html", {"run": run, "items": run.items.all()})

"""The Provincial Office's pages for reorganisation plans (/can-bo/to-chuc-lai/): the plans with their status, a plan
with its operations, the preview's counts and lists (and its Excel export), approval and application as confirmed
POST forms. Thin: `reorg.services` decide and write (audited), `reorg.preview` reads; only the province admin."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dichvucong.common.errors import DomainError, PermissionDeniedError

from . import services
from .models import Plan, PlanStatus
from .preview import plan_preview


class ProvinceAdminView(LoginRequiredMixin, View):
    """Signed-in province admins only (the service's own check): every other role gets 403, strangers the login."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                services.require_province_admin(request.user)
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.detail) from exc
        return super().dispatch(request, *args, **kwargs)


def _plan(uuid) -> Plan:
    plan = Plan.objects.filter(uuid=uuid).prefetch_related("operations").first()
    if plan is None:
        raise Http404(_("Không tìm thấy phương án."))
    return plan


class PlanListView(ProvinceAdminView):
    def get(self, request):
        plans = Plan.objects.prefetch_related("operations").order_by("-effective_on", "-pk")
        return render(request, "reorg/plan_list.html", {"plans": plans})


class PlanDetailView(ProvinceAdminView):
    def get(self, request, uuid):
        plan = _plan(uuid)
        preview = plan_preview(plan)
        return render(
            request,
            "reorg/plan_detail.html",
            {
                "plan": plan,
                "operations": plan.operations.all(),
                "preview": preview,
                "journal": plan.journal.order_by("pk"),
                "can_approve": plan.status == PlanStatus.DRAFT and preview["can_approve"],
                "can_apply": plan.status in (PlanStatus.APPROVED, PlanStatus.APPLYING)
                and plan.effective_on <= timezone.localdate(),
            },
        )


class _ConfirmedPlanStep(ProvinceAdminView):
    """A step of a plan taken only with the confirmation box ticked; the service decides, the page says."""

    step = None  # the service: (actor, plan) -> plan
    unconfirmed = ""
    done = ""

    def post(self, request, uuid):
        plan = _plan(uuid)
        if request.POST.get("confirm") != "1":
            messages.error(request, self.unconfirmed)
            return redirect("reorg:plan-detail", uuid=plan.uuid)
        try:
            type(self).step(actor=request.user, plan=plan)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, self.done % {"title": plan.title})
        return redirect("reorg:plan-detail", uuid=plan.uuid)


class PlanApproveView(_ConfirmedPlanStep):
    step = services.plan_approve
    unconfirmed = gettext_lazy("Hãy đánh dấu xác nhận trước khi phê duyệt phương án.")
    done = gettext_lazy("Đã phê duyệt phương án «%(title)s».")


class PlanApplyView(_ConfirmedPlanStep):
    step = services.plan_apply
    unconfirmed = gettext_lazy("Hãy đánh dấu xác nhận trước khi áp dụng phương án.")
    done = gettext_lazy("Đã áp dụng phương án «%(title)s».")

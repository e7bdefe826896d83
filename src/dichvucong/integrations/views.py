"""The integration platform's pages: the province admin's backlog per target with re-drive, the dossiers received
from the national portal (and why some were refused), the notification templates (edit, preview); an agency's
webhooks and their deliveries; the applicant's choice of notification channels."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from dichvucong.agencies.models import Agency
from dichvucong.common.errors import DomainError, NotFoundError

from . import notifications, selectors
from .models import Channel, MessageStatus, NotificationEvent, NotificationPreference, Target
from .services import notification_preference_set, notification_template_save, outbox_redrive, webhook_subscribe
from .webhooks import EVENTS


class ProvinceAdminView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.is_province_admin(request.user):
            return HttpResponseForbidden(_("Chỉ quản trị cấp tỉnh được truy cập trang này."))
        return super().dispatch(request, *args, **kwargs)


class OutboxView(ProvinceAdminView):
    def get(self, request):
        target = request.GET.get("target", "")
        status = request.GET.get("status", "") or MessageStatus.DEAD
        dossier = request.GET.get("dossier", "").strip()
        rows = selectors.outbox_messages(
            dossier=dossier,
            target=target if target in Target.values else "",
            status=status if status in MessageStatus.values else "",
        )
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "integrations/outbox.html",
            {
                "backlog": selectors.backlog_per_target(),
                "page": page,
                "targets": Target.choices,
                "statuses": MessageStatus.choices,
                "target": target,
                "status": status,
                "dossier": dossier,
            },
        )


class RedriveView(ProvinceAdminView):
    def post(self, request, id):  # noqa: A002
        try:
            message = selectors.outbox_message(id)
            outbox_redrive(actor=request.user, message=message)
        except NotFoundError:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Đã đưa thông điệp vào hàng đợi gửi lại."))
        return redirect("integrations:outbox")


class InboundView(ProvinceAdminView):
    def get(self, request):
        page = Paginator(selectors.inbound_dossiers(status=request.GET.get("status", "")), 50).get_page(
            request.GET.get("page")
        )
        return render(request, "integrations/inbound.html", {"page": page})


class TemplatesView(ProvinceAdminView):
    def get(self, request):
        rows = []
        for event, label in NotificationEvent.choices:
            for channel, channel_label in Channel.choices:
                subject, body = notifications.template_for(event, channel)
                rows.append({"event": event, "label": label, "channel": channel, "channel_label": channel_label,
                             "body": body})  # fmt: skip
        return render(request, "integrations/templates.html", {"rows": rows})


class TemplateEditView(ProvinceAdminView):
    def _context(self, event, channel, subject, body, preview=None, error=None):
        return {
            "event": event,
            "event_label": NotificationEvent(event).label,
            "channel": channel,
            "channel_label": Channel(channel).label,
            "subject": subject,
            "body": body,
            "preview": preview,
            "error": error,
            "variables": sorted(notifications.SAMPLE_CONTEXT),
        }

    def _check(self, event, channel):
        if event not in NotificationEvent.values or channel not in Channel.values:
            raise Http404

    def get(self, request, event, channel):
        self._check(event, channel)
        subject, body = notifications.template_for(event, channel)
        return render(request, "integrations/template_edit.html", self._context(event, channel, subject, body))

    def post(self, request, event, channel):
        self._check(event, channel)
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        if "preview" in request.POST:
            try:
                preview = {
                    "subject": notifications.render(subject, notifications.SAMPLE_CONTEXT) if subject else "",
                    "body": notifications.render(body, notifications.SAMPLE_CONTEXT),
                }
                context = self._context(event, channel, subject, body, preview=preview)
            except DomainError as exc:
                context = self._context(event, channel, subject, body, error=exc.detail)
            return render(request, "integrations/template_edit.html", context)
        try:
            notification_template_save(actor=request.user, event=event, channel=channel, subject=subject, body=body)
        except DomainError as exc:
            return render(
                request,
                "integrations/template_edit.html",
                self._context(event, channel, subject, body, error=exc.detail),
                status=400,
            )
        messages.success(request, _("Đã lưu mẫu thông báo."))
        return redirect("integrations:templates")


class WebhooksView(LoginRequiredMixin, View):
    def _allowed(self, request):
        return selectors.is_province_admin(request.user) or bool(selectors.webhook_agencies(request.user))

    def get(self, request):
        if not self._allowed(request):
            return HttpResponseForbidden(_("Chỉ quản trị cơ quan quản lý webhook."))
        agencies = (
            Agency.objects.order_by("code")
            if selectors.is_province_admin(request.user)
            else selectors.webhook_agencies(request.user)
        )
        return render(
            request,
            "integrations/webhooks.html",
            {"subscriptions": selectors.webhook_subscriptions(request.user), "agencies": agencies, "events": EVENTS},
        )

    def post(self, request):
        if not self._allowed(request):
            return HttpResponseForbidden(_("Chỉ quản trị cơ quan quản lý webhook."))
        agency = Agency.objects.filter(code=request.POST.get("agency", "")).first()
        try:
            if agency is None:
                raise NotFoundError(_("Không tìm thấy cơ quan."), code="agency_not_found")
            webhook_subscribe(
                actor=request.user,
                agency=agency,
                name=request.POST.get("name", ""),
                url=request.POST.get("url", ""),
                events=request.POST.getlist("events"),
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Đã đăng ký webhook."))
        return redirect("integrations:webhooks")


class WebhookDetailView(LoginRequiredMixin, View):
    def get(self, request, id):  # noqa: A002
        try:
            subscription = selectors.webhook_subscription(request.user, id)
        except NotFoundError:
            raise Http404 from None
        return render(
            request,
            "integrations/webhook_detail.html",
            {"subscription": subscription, "deliveries": selectors.webhook_deliveries(subscription)},
        )


class PreferenceView(LoginRequiredMixin, View):
    def get(self, request):
        pref = NotificationPreference.objects.filter(user=request.user).first()
        return render(request, "integrations/preference.html", {"pref": pref or NotificationPreference()})

    def post(self, request):
        notification_preference_set(actor=request.user, email="email" in request.POST, sms="sms" in request.POST)
        messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
        return redirect("integrations:preference")

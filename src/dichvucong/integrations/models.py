"""The integration platform's tables: the outbox (messages to other systems, written in the transaction of the change
that causes them, delivered by workers) and its delivery attempts, dossiers received from the National Public Service
Portal, the applicants' notification templates and channel choice, the agencies' webhook subscriptions."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.agencies.models import Agency
from dichvucong.common.models import PublicIdModel, TimestampedModel
from dichvucong.dossiers.models import Dossier


class Target(models.TextChoices):
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")
    WEBHOOK = "webhook", _("Webhook")
    MINISTRY = "ministry", _("Hệ thống bộ, ngành")
    #: Local deliveries (ADR 0024): a dossier event's notifications and webhooks resolved by the worker, and the
    #: deferred effects of other contexts (the wallet keeping the submitted files).
    FANOUT = "fanout", _("Phân phát thông báo, webhook của sự kiện")
    LOCAL = "local", _("Xử lý nội bộ sau khi ghi nhận")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    DEAD = "dead", _("Gửi thất bại (cần gửi lại)")


class WebhookSubscription(PublicIdModel):
    """Another system of an agency subscribes to the events of the agency's dossiers (HMAC-SHA256 signed)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    name = models.CharField(_("tên hệ thống nhận"), max_length=200)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    secret = models.CharField(_("khóa bí mật HMAC"), max_length=100, default=secrets.token_hex)
    events = models.JSONField(_("sự kiện"), default=list, blank=True, help_text=_("Rỗng: mọi sự kiện"))
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["agency__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.code})"

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class OutboxMessage(PublicIdModel):
    """One message to another system. Written in the transaction of the change (never lost, never sent for a change
    that rolled back); delivered at least once by a worker, in order per `ordering_key` (a dossier and a target),
    each with its `idempotency_key` so the receiver drops a replay."""

    target = models.CharField(max_length=20, choices=Target.choices)
    kind = models.CharField(max_length=60)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subscription = models.ForeignKey(
        WebhookSubscription, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    ordering_key = models.CharField(max_length=120)
    destination = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
            models.Index(fields=["ordering_key", "status", "id"], name="outbox_ordering"),
            models.Index(fields=["target", "status"], name="outbox_target_status"),
        ]

    def __str__(self) -> str:
        return f"{self.target}/{self.kind} #{self.pk} ({self.status})"


class OutboxAttempt(models.Model):
    """One try to deliver a message (what the receiver answered, or why it could not be reached)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["message_id", "at", "id"]


class InboundStatus(models.TextChoices):
    IMPORTED = "imported", _("Đã tiếp nhận vào hệ thống một cửa")
    REJECTED = "rejected", _("Bị từ chối")


class InboundDossier(TimestampedModel):
    """A dossier submitted on the National Public Service Portal: imported once (by its national code), or rejected
    with the reason (kept, visible to the province admin)."""

    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=60)
    source = models.CharField(max_length=10, choices=[("pull", "pull"), ("push", "push")])
    status = models.CharField(max_length=10, choices=InboundStatus.choices)
    reason_code = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="national_inbound"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_code"],
                condition=models.Q(status="imported"),
                name="inbound_national_code_imported_once",
            )
        ]


class SyncCursor(models.Model):
    """Where the last pull from a remote system stopped (`national_portal.pull`)."""

    name = models.CharField(max_length=60, unique=True)
    value = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class NotificationEvent(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận hồ sơ (đã nộp)")
    ACCEPTED = "accepted", _("Hồ sơ hợp lệ, hẹn ngày trả kết quả")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung hồ sơ")
    PAYMENT = "payment", _("Yêu cầu nộp phí, lệ phí")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    DELIVERED = "delivered", _("Đã trả kết quả")


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationTemplate(TimestampedModel):
    """The text sent to applicants for one event on one channel (Django template syntax over the dossier's fields),
    edited by the province admin; the built-in text applies until it is edited."""

    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    subject = models.CharField(_("tiêu đề (thư điện tử)"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["event", "channel"]
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="notification_template_once")]


class NotificationPreference(models.Model):
    """The applicant's choice of channels (both while nothing is chosen)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email = models.BooleanField(_("nhận thư điện tử"), default=True)
    sms = models.BooleanField(_("nhận tin nhắn SMS"), default=True)
    updated_at = models.DateTimeField(auto_now=True)


class TransferStatus(models.TextChoices):
    SENT = "sent", _("Đã chuyển, chờ kết quả")
    ANSWERED = "answered", _("Đã có kết quả")


class MinistryTransfer(PublicIdModel):
    """A dossier (or its current step) sent to a ministry's system through the generic JSON adapter, and its answer."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="ministry_transfers")
    system = models.CharField(max_length=40)
    system_name = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.SENT)
    outcome = models.CharField(max_length=20, blank=True)
    result_note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-id"]

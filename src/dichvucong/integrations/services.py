"""Writes of the integration platform (one audit row per change)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import is_province_wide, user_has_role
from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.catalog.models import Procedure
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed

from . import notifications, outbox
from .models import (
    Channel,
    MessageStatus,
    NotificationEvent,
    NotificationPreference,
    NotificationTemplate,
    OutboxMessage,
    Target,
    WebhookSubscription,
)
from .packets import catalog_packet
from .qcvn120 import CATALOG_PACKET
from .webhooks import EVENTS


def require_province_admin(user) -> None:
    if not user_has_role(user, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError("Chỉ quản trị cấp tỉnh được thực hiện thao tác này.", code="permission_denied")


@transaction.atomic
def outbox_redrive(*, actor, message: OutboxMessage) -> OutboxMessage:
    """Send a dead message again (now, attempts kept); a delivered one cannot be re-driven."""
    require_province_admin(actor)
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status == MessageStatus.DELIVERED:
        raise ConflictError("Thông điệp đã được gửi thành công, không gửi lại.", code="already_delivered")
    before = {"status": locked.status, "attempts": locked.attempts, "last_error": locked.last_error[:500]}
    locked.status = MessageStatus.PENDING
    locked.next_attempt_at = timezone.now()
    locked.locked_until = None
    locked.save(update_fields=["status", "next_attempt_at", "locked_until", "updated_at"])
    audit_record(actor=actor, action="outbox.redrive", obj=locked, before=before, after={"status": locked.status})
    transaction.on_commit(lambda: outbox.dispatch([locked.pk]))
    return locked


@transaction.atomic
def catalog_sync(*, actor, procedures=None) -> list[OutboxMessage]:
    """Queue the catalogue packet (`DongBoTTHC`) of every valid procedure with the agencies offering it."""
    queryset = procedures if procedures is not None else Procedure.objects.filter(valid_to__isnull=True)
    messages = []
    for procedure in queryset.select_related("field").prefetch_related("offerings__agency"):
        agencies = sorted(
            {o.agency for o in procedure.offerings.all() if getattr(o, "offered", True)}, key=lambda a: a.code
        )
        messages.append(
            outbox.enqueue(
                target=Target.NATIONAL_PORTAL,
                kind=CATALOG_PACKET,
                payload=catalog_packet(procedure, agencies),
                ordering_key=f"national_portal:catalog:{procedure.code}",
            )
        )
    audit_record(actor=actor, action="catalog.sync_national_portal", object_type="catalog", after={"n": len(messages)})
    return messages


@transaction.atomic
def notification_template_save(*, actor, event: str, channel: str, subject: str, body: str) -> NotificationTemplate:
    require_province_admin(actor)
    if event not in NotificationEvent.values or channel not in Channel.values:
        raise ValidationFailed("Sự kiện hoặc kênh thông báo không hợp lệ.", code="invalid_template_key")
    body = (body or "").replace("\x00", "").strip()
    subject = (subject or "").replace("\x00", "").replace("\n", " ").strip()
    if not body:
        raise ValidationFailed("Nội dung mẫu không được để trống.", code="template_body_required", fields={"body": []})
    if channel == Channel.EMAIL and not subject:
        raise ValidationFailed("Thư điện tử cần tiêu đề.", code="template_subject_required", fields={"subject": []})
    notifications.compile_text(body, field="body")
    notifications.compile_text(subject, field="subject")
    row = NotificationTemplate.objects.filter(event=event, channel=channel).first()
    before = {"subject": row.subject, "body": row.body} if row else None
    if row is None:
        row = NotificationTemplate(event=event, channel=channel)
    row.subject, row.body, row.updated_by = subject[:200], body, actor
    row.save()
    audit_record(actor=actor, action="notification_template.save", obj=row, before=before, after={"body": body})
    return row


@transaction.atomic
def notification_preference_set(*, actor, email: bool, sms: bool) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(user=actor)
    before = {"email": pref.email, "sms": pref.sms}
    pref.email, pref.sms = bool(email), bool(sms)
    pref.save()
    audit_record(
        actor=actor, action="notification_preference.set", obj=pref, before=before, after={"email": email, "sms": sms}
    )
    return pref


def may_manage_webhooks(user, agency: Agency) -> bool:
    return (
        is_province_wide(user)
        and user_has_role(user, Role.PROVINCE_ADMIN)
        or user_has_role(user, Role.AGENCY_ADMIN, agency=agency)
    )


@transaction.atomic
def webhook_subscribe(*, actor, agency: Agency, name: str, url: str, events=()) -> WebhookSubscription:
    if not may_manage_webhooks(actor, agency):
        raise PermissionDeniedError("Chỉ quản trị của cơ quan mới đăng ký webhook.", code="permission_denied")
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise ValidationFailed(
            f"Sự kiện không hỗ trợ: {', '.join(unknown)}", code="unknown_event", fields={"events": unknown}
        )
    if not str(url).startswith(("https://", "http://")):
        raise ValidationFailed("Địa chỉ nhận phải là URL http(s).", code="invalid_url", fields={"url": []})
    subscription = WebhookSubscription.objects.create(
        agency=agency, name=name[:200] or url[:200], url=url[:500], events=list(events), created_by=actor
    )
    audit_record(actor=actor, action="webhook.subscribe", obj=subscription, after={"url": url, "events": list(events)})
    return subscription

"""Reads of the integration platform."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies, user_has_role
from dichvucong.common.errors import NotFoundError, PermissionDeniedError

from .models import InboundDossier, MessageStatus, OutboxMessage, Target, WebhookSubscription


def is_province_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user_has_role(user, Role.PROVINCE_ADMIN)


def require_province_admin(user) -> None:
    if not is_province_admin(user):
        raise PermissionDeniedError("Chỉ quản trị cấp tỉnh được xem hàng đợi kết nối.", code="permission_denied")


def outbox_messages(*, dossier: str = "", target: str = "", status: str = ""):
    queryset = OutboxMessage.objects.select_related("dossier").order_by("-pk")
    if dossier:
        queryset = queryset.filter(dossier__code=dossier)
    if target:
        queryset = queryset.filter(target=target)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def outbox_message(uuid) -> OutboxMessage:
    message = OutboxMessage.objects.filter(uuid=uuid).select_related("dossier").first()
    if message is None:
        raise NotFoundError("Không tìm thấy thông điệp.", code="not_found")
    return message


def backlog_per_target() -> list[dict]:
    """For each target: messages pending (and the oldest's time), dead, delivered."""
    rows = {
        row["target"]: row
        for row in OutboxMessage.objects.values("target").annotate(
            pending=Count("pk", filter=Q(status=MessageStatus.PENDING)),
            dead=Count("pk", filter=Q(status=MessageStatus.DEAD)),
            delivered=Count("pk", filter=Q(status=MessageStatus.DELIVERED)),
            oldest_pending=Min("created_at", filter=Q(status=MessageStatus.PENDING)),
        )
    }
    return [
        {"target": target, "label": label, **rows.get(target, {"pending": 0, "dead": 0, "delivered": 0})}
        for target, label in Target.choices
    ]


def inbound_dossiers(*, status: str = ""):
    queryset = InboundDossier.objects.select_related("dossier")
    return queryset.filter(status=status) if status else queryset


def webhook_agencies(user) -> list:
    """The agencies whose webhooks `user` manages (agency admin; the province admin: all of their subscriptions)."""
    return user_agencies(user, role=Role.AGENCY_ADMIN)


def webhook_subscriptions(user):
    queryset = WebhookSubscription.objects.select_related("agency")
    if is_province_admin(user):
        return queryset
    return queryset.filter(agency__in=webhook_agencies(user))


def webhook_subscription(user, uuid) -> WebhookSubscription:
    subscription = webhook_subscriptions(user).filter(uuid=uuid).first()
    if subscription is None:
        raise NotFoundError("Không tìm thấy đăng ký webhook.", code="not_found")
    return subscription


def webhook_deliveries(subscription: WebhookSubscription, limit: int = 100):
    return (
        OutboxMessage.objects.filter(subscription=subscription)
        .select_related("dossier")
        .prefetch_related("attempt_rows")
        .order_by("-pk")[:limit]
    )

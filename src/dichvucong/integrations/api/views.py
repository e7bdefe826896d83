"""Integration platform API (issue 14): the outbox (province admin), the national portal's push, webhooks."""

import json

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.agencies.models import Agency
from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier

from .. import selectors
from ..inbound import inbound_import, inbound_reject
from ..ministry import ministry_result, ministry_transfer
from ..services import outbox_redrive, webhook_subscribe
from ..transports import verify
from .serializers import (
    InboundDossierSerializer,
    MinistryTransferSerializer,
    OutboxMessageSerializer,
    OutboxQuerySerializer,
    PushAckSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionSerializer,
)


class OutboxListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OutboxQuerySerializer],
        responses=OutboxMessageSerializer(many=True),
        summary="Hàng đợi thông điệp gửi hệ thống ngoài (quản trị cấp tỉnh)",
    )
    def get(self, request):
        selectors.require_province_admin(request.user)
        query = OutboxQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationFailed("Tham số lọc không hợp lệ.", code="invalid_filter", fields=query.errors)
        messages = selectors.outbox_messages(**{k: v for k, v in query.validated_data.items() if v})
        paginator = StandardPagination()
        page = paginator.paginate_queryset(messages, request, view=self)
        return paginator.get_paginated_response(OutboxMessageSerializer(page, many=True).data)


class OutboxRedriveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OutboxMessageSerializer, summary="Gửi lại một thông điệp (quản trị tỉnh)")
    def post(self, request, id):  # noqa: A002 - the API's name for it
        selectors.require_province_admin(request.user)
        message = outbox_redrive(actor=request.user, message=selectors.outbox_message(id))
        return Response(OutboxMessageSerializer(message).data)


class InboundListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=InboundDossierSerializer(many=True), summary="Hồ sơ nhận từ Cổng DVCQG và lý do từ chối")
    def get(self, request):
        selectors.require_province_admin(request.user)
        rows = selectors.inbound_dossiers(status=request.query_params.get("status", ""))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(InboundDossierSerializer(page, many=True).data)


class RawBodyParser(BaseParser):
    """The push is verified over its exact bytes."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class NationalPortalPushApi(APIView):
    """The National Public Service Portal pushes a dossier submitted there (HMAC-SHA256 over `<X-Timestamp>.<body>`
    with NATIONAL_PORTAL_PUSH_SECRET, header `X-Signature`)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [RawBodyParser]

    @extend_schema(request=None, responses={201: PushAckSerializer, 400: PushAckSerializer, 409: PushAckSerializer})
    def post(self, request):
        body = request.data if isinstance(request.data, bytes) else b""
        try:
            packet = json.loads(body or b"null")
        except ValueError:
            packet = None
        national_code = packet.get("MaHoSoQG", "") if isinstance(packet, dict) else ""
        if not verify(
            settings.NATIONAL_PORTAL_PUSH_SECRET,
            request.headers.get("X-Timestamp", ""),
            body,
            request.headers.get("X-Signature", ""),
        ):
            inbound_reject(
                national_code=national_code,
                source="push",
                code="forged_push",
                reason="Chữ ký (X-Signature) của Cổng DVCQG không hợp lệ hoặc đã hết hạn.",
                payload=packet if packet is not None else body[:2000].decode("utf-8", "replace"),
            )
            raise PermissionDeniedError("Chữ ký không hợp lệ.", code="invalid_signature")
        row = inbound_import(packet if packet is not None else body[:2000].decode("utf-8", "replace"), source="push")
        ack = {
            "status": row.status,
            "national_code": row.national_code,
            "dossier": row.dossier.code if row.dossier_id else None,
            "reason_code": row.reason_code,
            "reason": row.reason,
        }
        if row.status == "imported":
            return Response(ack, status=status.HTTP_201_CREATED)
        code = status.HTTP_409_CONFLICT if row.reason_code == "duplicate_national_code" else 400
        return Response(ack, status=code)


class WebhookListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WebhookSubscriptionSerializer(many=True), summary="Đăng ký webhook của cơ quan")
    def get(self, request):
        if not selectors.is_province_admin(request.user) and not selectors.webhook_agencies(request.user):
            raise PermissionDeniedError("Chỉ quản trị cơ quan quản lý webhook.", code="permission_denied")
        subscriptions = selectors.webhook_subscriptions(request.user)
        return Response(WebhookSubscriptionSerializer(subscriptions, many=True).data)

    @extend_schema(request=WebhookSubscriptionSerializer, responses={201: WebhookSubscriptionSerializer})
    def post(self, request):
        data = WebhookSubscriptionSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("Dữ liệu đăng ký webhook không hợp lệ.", code="validation_error", fields=data.errors)
        agency = Agency.objects.filter(code=data.validated_data["agency"]["code"]).first()
        if agency is None:
            raise NotFoundError("Không tìm thấy cơ quan.", code="agency_not_found")
        subscription = webhook_subscribe(
            actor=request.user,
            agency=agency,
            name=data.validated_data.get("name", ""),
            url=data.validated_data["url"],
            events=data.validated_data.get("events", []),
        )
        return Response(WebhookSubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


class WebhookDeliveriesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WebhookDeliverySerializer(many=True), summary="Các lần gửi webhook và từng lần thử")
    def get(self, request, id):  # noqa: A002
        subscription = selectors.webhook_subscription(request.user, id)
        return Response(WebhookDeliverySerializer(selectors.webhook_deliveries(subscription), many=True).data)


class MinistryTransferApi(APIView):
    """A handling officer sends a processing dossier to a ministry's system (generic JSON adapter)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MinistryTransferSerializer, responses={201: MinistryTransferSerializer})
    def post(self, request):
        data = MinistryTransferSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("Dữ liệu không hợp lệ.", code="validation_error", fields=data.errors)
        dossier = Dossier.objects.visible_to(request.user).filter(code=data.validated_data["dossier"]["code"]).first()
        if dossier is None:
            raise NotFoundError("Không tìm thấy hồ sơ.", code="not_found")
        transfer = ministry_transfer(
            actor=request.user, dossier=dossier, system=data.validated_data["system"],
            note=data.validated_data.get("note", ""),
        )  # fmt: skip
        return Response(MinistryTransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class MinistryResultApi(APIView):
    """A ministry's system answers a transfer (HMAC-SHA256 over `<X-Timestamp>.<body>` with its secret)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [RawBodyParser]

    @extend_schema(request=None, responses={200: MinistryTransferSerializer})
    def post(self, request, system: str):
        body = request.data if isinstance(request.data, bytes) else b""
        secret = (settings.MINISTRY_SYSTEMS.get(system) or {}).get("secret", "")
        if not verify(secret, request.headers.get("X-Timestamp", ""), body, request.headers.get("X-Signature", "")):
            raise PermissionDeniedError("Chữ ký không hợp lệ.", code="invalid_signature")
        try:
            data = json.loads(body)
        except ValueError:
            raise ValidationFailed("Nội dung không phải JSON.", code="malformed") from None
        if not isinstance(data, dict):
            raise ValidationFailed("Nội dung phải là một đối tượng JSON.", code="malformed")
        transfer = ministry_result(
            system=system, transfer_id=str(data.get("transfer_id", "")), outcome=str(data.get("outcome", "")),
            note=str(data.get("note", ""))[:2000],
        )  # fmt: skip
        return Response(MinistryTransferSerializer(transfer).data)

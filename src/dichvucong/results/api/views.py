"""Results API (API.md "Payments, results, signatures"): the signed result and its delivery."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.common.errors import NotFoundError

from .. import delivery as delivery_services
from .. import postal
from ..selectors import delivery_for, dossier_for_result, result_get_for
from .serializers import (
    DeliveryChoiceSerializer,
    ElectronicResultSerializer,
    ResultDeliverySerializer,
    ShipmentOutcomeSerializer,
    ShipmentSerializer,
)


def _own_or_handled(request, reference: str):
    """The dossier for its owner and its handling officers; 404 for anyone else (monitors included)."""
    return dossier_for_result(user=request.user, reference=reference)


class ResultPdfApi(APIView):
    """The signed electronic result (PAdES): the owner once issued, the dossier's officers once signed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Tải kết quả điện tử đã ký số")
    def get(self, request, reference: str):
        result = result_get_for(user=request.user, reference=reference)
        with result.file.open("rb") as handle:
            content = handle.read()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{result.file_name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ResultDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ElectronicResultSerializer}, summary="Thông tin kết quả điện tử")
    def get(self, request, reference: str):
        return Response(ElectronicResultSerializer(result_get_for(user=request.user, reference=reference)).data)


class ResultDeliveryApi(APIView):
    """GET the chosen way of receiving the result; PUT to choose it (owner, or the reception officer)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ResultDeliverySerializer}, summary="Hình thức nhận kết quả")
    def get(self, request, reference: str):
        delivery = delivery_for(_own_or_handled(request, reference))
        if delivery is None:
            raise NotFoundError("Chưa chọn hình thức nhận kết quả.", code="delivery_not_chosen")
        return Response(ResultDeliverySerializer(delivery).data)

    @extend_schema(
        request=DeliveryChoiceSerializer,
        responses={200: ResultDeliverySerializer},
        summary="Chọn hình thức nhận kết quả (trực tuyến, tại một cửa, bưu chính)",
    )
    def put(self, request, reference: str):
        dossier = _own_or_handled(request, reference)
        data = DeliveryChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delivery = delivery_services.result_delivery_choose(actor=request.user, dossier=dossier, **data.validated_data)
        return Response(ResultDeliverySerializer(delivery).data)


class ResultShipmentSentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ShipmentSerializer,
        responses={200: ResultDeliverySerializer},
        summary="Ghi nhận đã gửi kết quả qua bưu chính (đơn vị, số hiệu bưu gửi)",
    )
    def post(self, request, reference: str):
        dossier = _own_or_handled(request, reference)
        data = ShipmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if postal.carrier_enabled() and not values["tracking_number"].strip():
            # The carrier's API creates the shipment and gives the tracking number (results/postal.py).
            delivery = postal.result_delivery_ship(actor=request.user, dossier=dossier)
        else:
            delivery = delivery_services.result_delivery_record_sent(actor=request.user, dossier=dossier, **values)
        return Response(ResultDeliverySerializer(delivery).data)


class ResultShipmentDeliveredApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ShipmentOutcomeSerializer,
        responses={200: ResultDeliverySerializer},
        summary="Ghi nhận kết quả phát của bưu chính (đã phát: hồ sơ đã trả kết quả; không phát được: về một cửa)",
    )
    def post(self, request, reference: str):
        dossier = _own_or_handled(request, reference)
        data = ShipmentOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["outcome"] == "failed":
            delivery = delivery_services.result_delivery_record_failed(
                actor=request.user, dossier=dossier, reason=values["reason"], failed_at=values["at"]
            )
        else:
            delivery = delivery_services.result_delivery_record_delivered(
                actor=request.user, dossier=dossier, delivered_at=values["at"]
            )
        return Response(ResultDeliverySerializer(delivery).data)


class PostalCallbackApi(APIView):
    """Server-to-server notice of the postal carrier (delivered / failed). Public, authenticated by its HMAC only."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        summary="Thông báo kết quả phát bưu gửi (từ đơn vị bưu chính, ký HMAC)",
    )
    def post(self, request):
        outcome = postal.postal_handle_callback(headers=request.headers, body=request.body)
        return Response({"code": outcome.code, "detail": outcome.detail, "fields": {}}, status=outcome.http_status)

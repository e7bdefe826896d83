"""Payments API (API.md "Payments, results, signatures"): thin views over services and selectors."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.agencies.models import Agency
from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.dates import parse_date_param
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from dichvucong.common.printing import printable_pdf
from dichvucong.dossiers.access import dossier_access

from .. import selectors
from ..cash_book import cash_book, cash_book_pdf, cash_book_xlsx
from ..models import FeeAssessment
from ..receipts import render_receipt_pdf
from ..reconciliation import reconciliation_run, reconciliation_xlsx
from ..services import payment_handle_callback, payment_request, payment_start
from .serializers import (
    CallbackAckSerializer,
    CashBookSerializer,
    FeeAssessmentSerializer,
    PaymentRequestSerializer,
    PaymentSerializer,
    ReconciliationRequestSerializer,
    ReconciliationSerializer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DossierPaymentsApi(APIView):
    """GET: the dossier's payments (owner and the handling agency's officers). POST: the owner pays."""

    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination  # the schema says what `get` answers: a page, not a bare array

    @extend_schema(responses=PaymentSerializer(many=True), summary="Các giao dịch thanh toán của hồ sơ")
    def get(self, request, code: str):
        dossier = selectors.dossier_for_payments(user=request.user, code=code)
        payments = selectors.payments_of_dossier(dossier)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(payments, request, view=self)
        return paginator.get_paginated_response(PaymentSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={201: PaymentSerializer, 200: PaymentSerializer},
        summary="Thanh toán phí, lệ phí (chủ hồ sơ): tạo giao dịch, trả về redirect_url",
    )
    def post(self, request, code: str):
        dossier = selectors.dossier_for_payments(user=request.user, code=code)
        if not dossier_access(request.user, dossier).pay:
            raise PermissionDeniedError("Chỉ chủ hồ sơ mới thanh toán phí, lệ phí trực tuyến.", code="not_owner")
        payment = payment_start(actor=request.user, dossier=dossier)
        return Response(PaymentSerializer(payment, context={"request": request}).data, status=status.HTTP_201_CREATED)


class DossierFeesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FeeAssessmentSerializer, summary="Phí, lệ phí phải nộp của hồ sơ")
    def get(self, request, code: str):
        dossier = selectors.dossier_for_payments(user=request.user, code=code)
        assessment = FeeAssessment.objects.filter(dossier=dossier).prefetch_related("lines").first()
        if assessment is None:
            raise NotFoundError("Hồ sơ chưa được xác định phí, lệ phí.", code="no_assessment")
        return Response(FeeAssessmentSerializer(assessment).data)


class PaymentRequestApi(APIView):
    """The `request_payment` workflow action: assess the fees and ask the applicant to pay (national status 6)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PaymentRequestSerializer,
        responses={201: FeeAssessmentSerializer},
        summary="Yêu cầu thực hiện nghĩa vụ tài chính (cán bộ cơ quan xử lý)",
    )
    def post(self, request, code: str):
        dossier = selectors.dossier_for_payments(user=request.user, code=code)
        data = PaymentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = payment_request(actor=request.user, dossier=dossier, **data.validated_data)
        return Response(FeeAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class PaymentCallbackApi(APIView):
    """Server-to-server notice of the payment platform. Public, authenticated by its HMAC signature only."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: CallbackAckSerializer,
            400: CallbackAckSerializer,
            403: CallbackAckSerializer,
            404: CallbackAckSerializer,
            409: CallbackAckSerializer,
        },
        summary="Thông báo kết quả thanh toán (từ nền tảng thanh toán, ký HMAC)",
    )
    def post(self, request):
        outcome = payment_handle_callback(headers=request.headers, body=request.body)
        return Response({"code": outcome.code, "detail": outcome.detail, "fields": {}}, status=outcome.http_status)


class PaymentDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PaymentSerializer, summary="Một giao dịch thanh toán")
    def get(self, request, uuid):
        payment = selectors.payment_visible(user=request.user, uuid=uuid)
        return Response(PaymentSerializer(payment, context={"request": request}).data)


class ReceiptPdfApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Biên lai điện tử (PDF)")
    def get(self, request, uuid):
        receipt = selectors.receipt_visible(user=request.user, uuid=uuid)
        return printable_pdf(render_receipt_pdf(receipt), f"bien-lai-{receipt.year}-{receipt.number:07d}.pdf")


class ReconciliationRunApi(APIView):
    """Run the reconciliation of one agency and day (province administrators, or that agency's staff)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReconciliationRequestSerializer,
        responses={201: ReconciliationSerializer},
        summary="Đối soát giao dịch với bảng kê của nền tảng thanh toán",
    )
    def post(self, request):
        data = ReconciliationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.filter(code=data.validated_data["agency"]).first()
        if agency is None:
            raise NotFoundError("Không tìm thấy cơ quan.")
        run = reconciliation_run(actor=request.user, agency=agency, day=data.validated_data["date"])
        return Response(ReconciliationSerializer(run).data, status=status.HTTP_201_CREATED)


class ReconciliationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ReconciliationSerializer, summary="Kết quả một lần đối soát")
    def get(self, request, uuid):
        run = selectors.reconciliation_visible(user=request.user, uuid=uuid)
        return Response(ReconciliationSerializer(run).data)


class ReconciliationExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, summary="Xuất Excel kết quả đối soát (Kho bạc)")
    def get(self, request, uuid):
        run = selectors.reconciliation_visible(user=request.user, uuid=uuid)
        response = HttpResponse(reconciliation_xlsx(run), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="doi-soat-{run.agency.code}-{run.day}.xlsx"'
        return response


class CashBookApi(APIView):
    """Sổ thu phí, lệ phí of one agency and day (desk and online): JSON, or `format=xlsx|pdf` for the Treasury."""

    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        # `format=xlsx|pdf` chooses the file (API.md reports' convention), not a DRF renderer: never a 404 for it.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", OpenApiTypes.STR, required=True, description="Mã cơ quan (QCVN 102)"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Ngày (mặc định hôm nay)"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx", "pdf"]),
        ],
        responses={
            200: CashBookSerializer,
            (200, XLSX): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
        summary="Sổ thu phí, lệ phí trong ngày (thu tại quầy và trực tuyến, theo mục lục ngân sách)",
    )
    def get(self, request):
        code = request.query_params.get("agency") or ""
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise NotFoundError("Không tìm thấy cơ quan.", code="agency_not_found")
        if not selectors.may_reconcile(request.user, agency):
            raise PermissionDeniedError("Bạn không có quyền xem sổ thu của cơ quan này.", code="permission_denied")
        day = parse_date_param(request.query_params.get("date"), field="date", default=timezone.localdate())
        fmt = request.query_params.get("format") or "json"
        if fmt not in ("json", "xlsx", "pdf"):
            raise ValidationFailed(
                "Định dạng không hỗ trợ (json, xlsx, pdf).",
                code="invalid_format",
                fields={"format": ["json, xlsx, pdf"]},
            )
        book = cash_book(agency=agency, day=day)
        name = f"so-thu-phi-{agency.code}-{day.isoformat()}"
        if fmt == "xlsx":
            response = HttpResponse(cash_book_xlsx(book), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        if fmt == "pdf":
            response = HttpResponse(cash_book_pdf(book), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        return Response(CashBookSerializer(book).data)

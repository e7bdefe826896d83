"""Reorganisation plans over the API: province roles read (the monitor too), the Provincial Office drafts,
approves and applies. Thin: the services decide (reorg.services) and the preview reads (reorg.preview)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.accounts.selectors import is_province_wide
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed

from .. import services
from ..models import Plan
from ..preview import plan_preview, preview_workbook
from . import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(user) -> None:
    if not is_province_wide(user):
        raise PermissionDeniedError(
            "Chỉ Văn phòng UBND tỉnh và Tổ công tác xem được phương án sắp xếp.", code="province_role_required"
        )


def _plan(user, uuid) -> Plan:
    _require_reader(user)
    plan = Plan.objects.filter(uuid=uuid).prefetch_related("operations").first()
    if plan is None:
        raise NotFoundError("Không tìm thấy phương án.", code="plan_not_found")
    return plan


class PlanListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.PlanSerializer(many=True), summary="Các phương án sắp xếp")
    def get(self, request):
        _require_reader(request.user)
        plans = Plan.objects.prefetch_related("operations").order_by("-effective_on", "-pk")
        return Response(s.PlanSerializer(plans, many=True).data)

    @extend_schema(request=s.PlanCreateSerializer, responses={201: s.PlanSerializer}, summary="Lập dự thảo phương án")
    def post(self, request):
        services.require_province_admin(request.user)
        serializer = s.PlanCreateSerializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationFailed("Dữ liệu phương án không hợp lệ.", code="invalid_plan", fields=serializer.errors)
        data = serializer.validated_data
        plan = services.plan_create(
            actor=request.user,
            title=data["title"],
            legal_basis=data["legal_basis"],
            effective_on=data["effective_on"],
            operations=[{"kind": o["kind"], "spec": o["spec"]} for o in data["operations"]],
        )
        return Response(s.PlanSerializer(plan).data, status=201)


class PlanDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.PlanDetailSerializer, summary="Phương án sắp xếp và nhật ký áp dụng")
    def get(self, request, uuid):
        return Response(s.PlanDetailSerializer(_plan(request.user, uuid)).data)


class PlanPreviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Xem trước: cơ quan, hồ sơ, thủ tục, quy trình, cán bộ")
    def get(self, request, uuid):
        return Response(plan_preview(_plan(request.user, uuid)))


class PlanPreviewXlsxApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, summary="Xem trước, xuất Excel")
    def get(self, request, uuid):
        plan = _plan(request.user, uuid)
        response = HttpResponse(preview_workbook(plan_preview(plan)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="phuong-an-{plan.uuid}.xlsx"'
        return response


class PlanApproveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.PlanSerializer, summary="Phê duyệt phương án")
    def post(self, request, uuid):
        services.require_province_admin(request.user)
        plan = services.plan_approve(actor=request.user, plan=_plan(request.user, uuid))
        return Response(s.PlanSerializer(plan).data)


class PlanApplyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT, summary="Áp dụng (hoặc tiếp tục) phương án đến ngày")
    def post(self, request, uuid):
        services.require_province_admin(request.user)
        plan = _plan(request.user, uuid)
        summary = services.plan_apply(actor=request.user, plan=plan)
        plan.refresh_from_db()
        return Response({"plan": s.PlanSerializer(plan).data, "summary": summary})

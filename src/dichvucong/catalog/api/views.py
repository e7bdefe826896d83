"""Catalogue API: public reads (API.md `/api/v1/procedures/`), Provincial Office writes (publish, import, apply)."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.accounts.selectors import is_province_wide, user_agencies
from dichvucong.agencies.models import Agency, Tier
from dichvucong.catalog import selectors, services
from dichvucong.catalog.filters import catalog_filters, parse_day
from dichvucong.catalog.models import CatalogDecision, OnlineMode
from dichvucong.catalog.transfer import FileUnreadable, dump_json, dump_xlsx, read_json, read_xlsx
from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.errors import NotFoundError, ValidationFailed
from dichvucong.common.http_cache import make_etag, not_modified, validated

from . import serializers as s

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@extend_schema(
    summary="Danh mục thủ tục hành chính (public)",
    parameters=[
        OpenApiParameter("q", description="Tìm không phân biệt dấu, hoa thường, thứ tự từ"),
        OpenApiParameter("agency", description="Mã cơ quan: chỉ thủ tục cơ quan đó cung cấp, kèm mức độ tại cơ quan"),
        OpenApiParameter("tier", enum=Tier.values),
        OpenApiParameter("field", description="Mã lĩnh vực"),
        OpenApiParameter("online_level", enum=["1", "2", "3", "4"]),
        OpenApiParameter("online_mode", enum=OnlineMode.values),
        OpenApiParameter("applicant_type", enum=["citizen", "business"]),
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="Danh mục tại ngày (mặc định hôm nay)"),
    ],
)
class ProcedureListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.ProcedureListSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        return selectors.procedure_search(
            self.request.query_params.get("q"), **catalog_filters(self.request.query_params)
        )

    def paginate_queryset(self, queryset):
        """With `as_of`, each row shows its name, level and processing days as recorded on that day."""
        return selectors.with_content_shown(super().paginate_queryset(queryset))


@extend_schema(
    summary="Chi tiết thủ tục (public)",
    responses=s.ProcedureDetailSerializer,
    parameters=[
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="Nội dung thủ tục tại ngày (mặc định hôm nay)")
    ],
)
class ProcedureDetailApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, code: str):
        day = parse_day(request.query_params.get("as_of"))
        validator = selectors.procedure_validator(code)
        if validator is None:
            selectors.procedure_get(code)  # its 404
        # What is shown depends on the day (versions, offerings in force): today's date or `as_of` is part of it.
        etag = make_etag("procedure", code, day or timezone.localdate(), request.accepted_media_type, *validator)
        unchanged = not_modified(request, etag=etag, private=False)
        if unchanged is not None:
            return unchanged
        procedure = selectors.procedure_get(code)
        if day is not None:
            procedure = selectors.procedure_as_of(procedure, day)
        context = {
            "agencies_offering": selectors.agencies_offering(procedure, day),
            "history": selectors.procedure_history_rows(procedure),
        }
        return validated(
            Response(s.ProcedureDetailSerializer(procedure, context=context).data), etag=etag, private=False
        )


@extend_schema(
    summary="Các ngoại lệ so với mẫu dùng chung của cấp (public)", responses=s.OfferingExceptionSerializer(many=True)
)
class OfferingExceptionListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.OfferingExceptionSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        return selectors.offering_exceptions(parse_day(self.request.query_params.get("as_of")))


@extend_schema(
    summary="Xuất danh mục (JSON hoặc Excel, định dạng docs/catalog-format.md)",
    parameters=[OpenApiParameter("format", enum=["json", "xlsx"])],
    responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, XLSX_TYPE): OpenApiTypes.BINARY},
)
class CatalogExportApi(APIView):
    permission_classes = [AllowAny]

    def perform_content_negotiation(self, request, force=False):
        """`format` selects the file type here, not a DRF renderer (errors still render as JSON)."""
        return JSONRenderer(), JSONRenderer.media_type

    def get(self, request):
        kind = request.query_params.get("format", "json")
        if kind not in ("json", "xlsx"):
            raise ValidationFailed("Định dạng phải là json hoặc xlsx.", code="invalid_format")
        records = services.catalog_export_records(embed_files=kind == "json")
        if kind == "xlsx":
            response = HttpResponse(dump_xlsx(records), content_type=XLSX_TYPE)
        else:
            response = HttpResponse(dump_json(records), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc.{kind}"'
        return response


def read_catalog_file(upload) -> tuple[list, list]:
    data = upload.read()
    try:
        if upload.name.lower().endswith(".xlsx"):
            return read_xlsx(data)
        return read_json(data)
    except FileUnreadable as exc:
        raise ValidationFailed(str(exc), code="catalog_file_unreadable") from exc


@extend_schema(
    summary="Nhập danh mục (chỉ Văn phòng UBND tỉnh): tất cả hoặc không",
    request={"multipart/form-data": inline_serializer("CatalogImport", {"file": serializers.FileField()})},
    responses=inline_serializer(
        "CatalogImportResult",
        {
            "created": serializers.IntegerField(),
            "updated": serializers.IntegerField(),
            "total": serializers.IntegerField(),
        },
    ),
)
class CatalogImportApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    def post(self, request):
        services.require_province_admin(request.user)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("Chưa chọn tệp.", code="file_required", fields={"file": ["Bắt buộc."]})
        records, problems = read_catalog_file(upload)
        return Response(services.catalog_import(actor=request.user, records=records, problems=problems))


class DecisionListCreateApi(APIView):
    permission_classes = [AllowAny]
    pagination_class = StandardPagination

    @extend_schema(summary="Các quyết định công bố đã ban hành (public)", responses=s.DecisionSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.decisions_published().prefetch_related("changes"), request, self)
        return paginator.get_paginated_response(s.DecisionSerializer(page, many=True).data)

    @extend_schema(
        summary="Tạo quyết định công bố (chỉ Văn phòng UBND tỉnh); publish=true để công bố ngay",
        request=s.DecisionInputSerializer,
        responses={201: s.DecisionSerializer},
    )
    def post(self, request):
        services.require_province_admin(request.user if request.user.is_authenticated else None)
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        publish = fields.pop("publish")
        decision = services.decision_create(actor=request.user, **fields)
        if publish:
            decision = services.decision_publish(actor=request.user, decision=decision)
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="Công bố quyết định (chỉ Văn phòng UBND tỉnh)", request=None, responses=s.DecisionSerializer)
class DecisionPublishApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, uuid):
        services.require_province_admin(request.user)
        decision = CatalogDecision.objects.filter(uuid=uuid).first()
        if decision is None:
            raise NotFoundError("Không tìm thấy quyết định.", code="decision_not_found")
        return Response(s.DecisionSerializer(services.decision_publish(actor=request.user, decision=decision)).data)


def _visible_requests(user):
    return selectors.change_requests_visible_to(
        user, province_wide=is_province_wide(user), agencies=user_agencies(user)
    )


def _visible_request(user, uuid):
    request = _visible_requests(user).filter(uuid=uuid).first()
    if request is None:
        raise NotFoundError("Không tìm thấy đề nghị.", code="change_request_not_found")
    return request


class ChangeRequestListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination

    @extend_schema(
        summary="Đề nghị cập nhật danh mục, kèm số ngày làm việc đã chờ",
        parameters=[OpenApiParameter("status", enum=["pending", "applied", "rejected"])],
        responses=s.ChangeRequestSerializer(many=True),
    )
    def get(self, request):
        qs = _visible_requests(request.user)
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        paginator = self.pagination_class()
        rows = selectors.change_requests_with_age(
            paginator.paginate_queryset(qs.order_by("submitted_at", "id"), request, self)
        )
        return paginator.get_paginated_response(s.ChangeRequestSerializer(rows, many=True).data)

    @extend_schema(
        summary="Cơ quan gửi đề nghị cập nhật danh mục tới Văn phòng UBND tỉnh",
        request=s.ChangeRequestInputSerializer,
        responses={201: s.ChangeRequestSerializer},
    )
    def post(self, request):
        data = s.ChangeRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        agency = Agency.objects.filter(code=fields.pop("agency")).first()
        if agency is None:
            raise NotFoundError("Không có cơ quan này.", code="agency_not_found")
        created = services.change_request_submit(actor=request.user, agency=agency, **fields)
        return Response(s.ChangeRequestSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Đưa đề nghị vào quyết định công bố (chỉ Văn phòng UBND tỉnh)",
    request=s.ApplyInputSerializer,
    responses=s.ChangeRequestSerializer,
)
class ChangeRequestApplyApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, uuid):
        change_request = _visible_request(request.user, uuid)
        services.require_province_admin(request.user)
        data = s.ApplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = CatalogDecision.objects.filter(uuid=data.validated_data["decision"]).first()
        if decision is None:
            raise NotFoundError("Không tìm thấy quyết định.", code="decision_not_found")
        result = services.change_request_apply(
            actor=request.user, request=change_request, decision=decision, response=data.validated_data["response"]
        )
        return Response(s.ChangeRequestSerializer(result).data)


@extend_schema(
    summary="Từ chối đề nghị (chỉ Văn phòng UBND tỉnh)",
    request=s.RejectInputSerializer,
    responses=s.ChangeRequestSerializer,
)
class ChangeRequestRejectApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, uuid):
        change_request = _visible_request(request.user, uuid)
        services.require_province_admin(request.user)
        data = s.RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.change_request_reject(
            actor=request.user, request=change_request, response=data.validated_data["response"]
        )
        return Response(s.ChangeRequestSerializer(result).data)

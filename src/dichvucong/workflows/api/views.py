"""Processes and work queues API (API.md "Processes and work queues"). One class per operation; staff only."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Procedure
from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.actions import request_serializers, validated_input
from dichvucong.dossiers.registry import STEP, registry
from dichvucong.workflows import processing, queues, services
from dichvucong.workflows.diagram import render_process_svg
from dichvucong.workflows.models import ProcessStatus
from dichvucong.workflows.selectors import process_get, process_list, require_staff

from .serializers import (
    AnswerSerializer,
    ApproveSerializer,
    AssignSerializer,
    ConsultationSerializer,
    HandoverSerializer,
    NoteSerializer,
    ProcessCreateSerializer,
    ProcessSerializer,
    StepActionSerializer,
    StepsUpdateSerializer,
    WorkItemSerializer,
)


def _agency(code: str, field: str) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationFailed(
            _("Không tìm thấy cơ quan %s.") % code, code="unknown_agency", fields={field: [_("Không tồn tại.")]}
        )
    return agency


def _steps_payload(steps: list[dict]) -> list[dict]:
    return [{k: v for k, v in step.items() if v is not None} for step in steps]


class StaffApi(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_staff(request.user)


@extend_schema(
    summary="Danh sách quy trình nội bộ (cán bộ)",
    parameters=[
        OpenApiParameter("procedure", description="Mã thủ tục"),
        OpenApiParameter("agency", description="Mã cơ quan"),
        OpenApiParameter("status", enum=ProcessStatus.values),
    ],
    responses=ProcessSerializer(many=True),
)
class ProcessListApi(StaffApi):
    pagination_class = StandardPagination  # the schema says what `get` answers: a page, not a bare array

    def get(self, request):
        params = request.query_params
        qs = process_list(
            request.user,
            procedure=params.get("procedure") or None,
            agency=params.get("agency") or None,
            status=params.get("status") or None,
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProcessSerializer(page, many=True).data)

    @extend_schema(
        summary="Soạn dự thảo quy trình", request=ProcessCreateSerializer, responses={201: ProcessSerializer}
    )
    def post(self, request):
        data = ProcessCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        procedure = Procedure.objects.filter(code=v["procedure"]).first()
        if procedure is None:
            raise ValidationFailed(
                _("Không tìm thấy thủ tục."), code="unknown_procedure", fields={"procedure": [_("Không tồn tại.")]}
            )
        process = services.process_create(
            actor=request.user,
            procedure=procedure,
            owner_agency=_agency(v["owner_agency"], "owner_agency"),
            scope=v["scope"],
            agency=_agency(v["agency"], "agency"),
            tier=v["tier"],
            justification=v["justification"],
            name=v["name"],
            steps=_steps_payload(v["steps"]),
        )
        return Response(ProcessSerializer(process_get(request.user, process.uuid)).data, status=status.HTTP_201_CREATED)


class ProcessDetailApi(StaffApi):
    @extend_schema(summary="Chi tiết quy trình", responses=ProcessSerializer)
    def get(self, request, process_id):
        return Response(ProcessSerializer(process_get(request.user, process_id)).data)


class ProcessStepsApi(StaffApi):
    @extend_schema(summary="Thay các bước của dự thảo", request=StepsUpdateSerializer, responses=ProcessSerializer)
    def put(self, request, process_id):
        process = process_get(request.user, process_id)
        data = StepsUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.process_set_steps(
            actor=request.user, process=process, steps=_steps_payload(data.validated_data["steps"])
        )
        return Response(ProcessSerializer(process_get(request.user, process_id)).data)


class _TransitionApi(StaffApi):
    serializer_class = NoteSerializer

    def perform(self, request, process, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, process_id):
        process = process_get(request.user, process_id)
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        result = self.perform(request, process, data.validated_data)
        code = status.HTTP_201_CREATED if result.pk != process.pk else status.HTTP_200_OK
        return Response(ProcessSerializer(process_get(request.user, result.uuid)).data, status=code)


@extend_schema(
    summary="Trình quy trình (quản trị/lãnh đạo cơ quan xây dựng)", request=NoteSerializer, responses=ProcessSerializer
)
class ProcessSubmitApi(_TransitionApi):
    def perform(self, request, process, data):
        return services.process_submit(actor=request.user, process=process)


@extend_schema(summary="Kiểm soát quy trình (Văn phòng UBND tỉnh)", request=NoteSerializer, responses=ProcessSerializer)
class ProcessReviewApi(_TransitionApi):
    def perform(self, request, process, data):
        return services.process_review(actor=request.user, process=process, note=data["note"])


@extend_schema(summary="Trả lại dự thảo (Văn phòng UBND tỉnh)", request=NoteSerializer, responses=ProcessSerializer)
class ProcessSendBackApi(_TransitionApi):
    def perform(self, request, process, data):
        return services.process_send_back(actor=request.user, process=process, note=data["note"])


@extend_schema(
    summary="Ghi nhận quyết định phê duyệt của Chủ tịch UBND tỉnh",
    request=ApproveSerializer,
    responses=ProcessSerializer,
)
class ProcessApproveApi(_TransitionApi):
    serializer_class = ApproveSerializer

    def perform(self, request, process, data):
        return services.process_approve(actor=request.user, process=process, **data)


@extend_schema(summary="Tạo phiên bản mới (dự thảo)", request=None, responses={201: ProcessSerializer})
class ProcessNewVersionApi(_TransitionApi):
    def perform(self, request, process, data):
        return services.process_new_version(actor=request.user, process=process)


class ProcessDiagramApi(StaffApi):
    @extend_schema(summary="Sơ đồ quy trình (SVG)", responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    def get(self, request, process_id):
        svg = render_process_svg(process_get(request.user, process_id))
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# --- running dossiers --------------------------------------------------------------------------------------------


def processing_state(user, dossier) -> dict:
    runs = list(dossier.process_runs.select_related("process", "agency", "current_step").order_by("started_at"))
    run = next((r for r in runs if r.is_open), None)
    item = processing.current_item(run) if run else None
    handovers = dossier.handovers.select_related(
        "from_step", "to_step", "from_user", "to_user", "from_agency", "to_agency"
    )
    return {
        "dossier": dossier.code,
        "status": dossier.status,
        "national_status": dossier.national_status,
        "process": str(run.process.uuid) if run else (str(runs[-1].process.uuid) if runs else None),
        "process_version": run.process.version if run else None,
        "agency": run.agency.code if run else None,
        "run_status": run.status if run else (runs[-1].status if runs else None),
        "current_step": item.step.name if item else None,
        "current_step_key": item.step.key if item else None,
        "assignee": item.assignee.username if item and item.assignee_id else None,
        "step_due": item.due_at if item else None,
        "actions": processing.allowed_actions(user, run),
        "handovers": HandoverSerializer(handovers, many=True).data,
    }


class DossierProcessingApi(StaffApi):
    @extend_schema(
        summary="Hồ sơ trong quy trình nội bộ: bước hiện tại, thao tác được phép, bàn giao (Mẫu 05)",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, code):
        return Response(processing_state(request.user, queues.dossier_for_processing(request.user, code)))


class DossierStepActionApi(StaffApi):
    @extend_schema(
        summary="Thao tác ở bước hiện tại (forward, return, approve, sign, request_payment, consult, "
        "transfer, deliver)",
        request=PolymorphicProxySerializer(
            component_name="StepAction",
            serializers=lambda: request_serializers(scope=STEP),
            resource_type_field_name="action",
        ),
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, code):
        dossier = queues.dossier_for_processing(request.user, code)
        name = StepActionSerializer(data=request.data)
        name.is_valid(raise_exception=True)
        spec = registry.get(name.validated_data["action"], STEP)
        spec.perform(actor=request.user, dossier=dossier, **validated_input(spec, request.data))
        dossier.refresh_from_db()
        return Response(processing_state(request.user, dossier))


class ConsultationAnswerApi(StaffApi):
    @extend_schema(
        summary="Trả lời xin ý kiến (cơ quan được hỏi)", request=AnswerSerializer, responses=ConsultationSerializer
    )
    def post(self, request, consultation_id):
        consultation = processing.consultation_get(consultation_id)
        queues.dossier_for_processing(request.user, consultation.run.dossier.code)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = processing.consultation_answer(
            actor=request.user, consultation=consultation, answer=data.validated_data["answer"]
        )
        return Response(ConsultationSerializer(consultation).data)


# --- queues ------------------------------------------------------------------------------------------------------


@extend_schema(
    summary="Hàng đợi công việc",
    parameters=[OpenApiParameter("view", enum=list(queues.VIEWS))],
    responses=inline_serializer(
        "QueuePage",
        {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "counts": serializers.DictField(),
            "results": WorkItemSerializer(many=True),
        },
    ),
)
class QueueApi(StaffApi):
    def get(self, request):
        view = request.query_params.get("view") or "mine"
        if view not in queues.VIEWS:
            raise ValidationFailed(
                _("Chế độ xem không hợp lệ."), code="invalid_view", fields={"view": [", ".join(queues.VIEWS)]}
            )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queues.queue(request.user, view), request, view=self)
        serializer = ConsultationSerializer if view == "consultations" else WorkItemSerializer
        response = paginator.get_paginated_response(serializer(page, many=True).data)
        response.data["counts"] = queues.queue_counts(request.user)
        return response


class QueueLoadApi(StaffApi):
    @extend_schema(
        summary="Tải công việc của cơ quan theo bước và theo cán bộ (lãnh đạo)",
        parameters=[OpenApiParameter("agency", description="Mã cơ quan", required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        agency = Agency.objects.filter(code=request.query_params.get("agency") or "").first()
        if agency is None:
            raise NotFoundError(_("Không tìm thấy cơ quan."))
        if not queues.may_see_load(request.user, agency):
            raise PermissionDeniedError(_("Chỉ lãnh đạo cơ quan được xem tải công việc."), code="not_dispatcher")
        return Response(queues.agency_load(agency=agency))


class QueueAssignApi(StaffApi):
    @extend_schema(
        summary="Phân công (hàng loạt) các bước đang mở",
        request=AssignSerializer,
        responses=WorkItemSerializer(many=True),
    )
    def post(self, request):
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["items"]
        items = list(queues.open_items().filter(uuid__in=ids))
        visible = [i for i in items if queues.may_see_load(request.user, i.agency)]
        if len(visible) != len(set(ids)):
            raise NotFoundError(_("Không tìm thấy một số bước xử lý."))
        processing.work_items_assign(actor=request.user, items=visible, assignee=data.validated_data["assignee"])
        fresh = queues.open_items().filter(pk__in=[i.pk for i in visible])
        return Response(WorkItemSerializer(fresh, many=True).data)

"""Guidance API: the assistant (public, throttled), content (public reads, province admin writes), survey."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.common.errors import NotFoundError, PermissionDeniedError

from .. import selectors, services
from ..models import ContentPage
from ..throttling import AssistantThrottle, SurveyThrottle
from . import serializers as s


@extend_schema(
    summary="Trợ lý tìm thủ tục: câu hỏi bằng lời thường → thủ tục xếp hạng, lý do, câu hỏi làm rõ (public)",
    parameters=[OpenApiParameter("q", description="Câu hỏi, có dấu hoặc không dấu (tối đa 300 ký tự được dùng)")],
    responses=s.AssistantAnswerSerializer,
)
class AssistantApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AssistantThrottle]

    def get(self, request):
        answer = selectors.assistant_answer(request.query_params.get("q", ""))
        return Response(s.AssistantAnswerSerializer(answer).data)


@extend_schema(summary="Sự kiện cuộc sống và các thủ tục của từng sự kiện (public)")
class LifeEventListApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        events = [selectors.life_event_get(e["slug"]) for e in selectors.life_events()]
        return Response(
            [
                {
                    "slug": e["slug"],
                    "name": e["name"],
                    "name_en": e["name_en"],
                    "procedures": [{"code": p.code, "name": p.name} for p in e["procedures"]],
                }
                for e in events
            ]
        )


@extend_schema(
    summary="Hướng dẫn, hỏi đáp, tin tức đã đăng (public); tạo mới: quản trị cấp tỉnh",
    parameters=[OpenApiParameter("q"), OpenApiParameter("kind", enum=["guide", "faq", "news"])],
    request=s.ContentWriteSerializer,
    responses=s.ContentSerializer(many=True),
)
class ContentListCreateApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def get(self, request):
        pages = selectors.content_search(request.query_params.get("q"), kind=request.query_params.get("kind"))[:50]
        return Response(s.ContentSerializer(pages, many=True).data)

    def post(self, request):
        data = _valid(s.ContentWriteSerializer, request)
        page = services.content_save(actor=request.user, **data)
        return Response(s.ContentSerializer(page).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="Một trang nội dung (public nếu đã đăng); sửa: quản trị cấp tỉnh", request=s.ContentWriteSerializer,
               responses=s.ContentSerializer)  # fmt: skip
class ContentDetailApi(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def get(self, request, slug: str):
        page = selectors.content_get(slug, user=request.user)
        if page is None:
            raise NotFoundError("Không có trang nội dung này.", code="content_not_found")
        return Response(s.ContentSerializer(page).data)

    def put(self, request, slug: str):
        services.require_content_editor(request.user)
        page = ContentPage.objects.filter(slug=slug).first()
        if page is None:
            raise NotFoundError("Không có trang nội dung này.", code="content_not_found")
        data = _valid(s.ContentWriteSerializer, request)
        page = services.content_save(actor=request.user, page=page, **data)
        return Response(s.ContentSerializer(page).data)


@extend_schema(
    summary="Gửi phiếu khảo sát: vì sao chưa nộp trực tuyến (public, giới hạn số lần)", request=s.SurveySerializer
)
class SurveySubmitApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SurveyThrottle]

    def post(self, request):
        data = _valid(s.SurveySerializer, request)
        services.survey_submit(actor=request.user, **data)
        return Response({"detail": "Cảm ơn bạn đã trả lời khảo sát."}, status=status.HTTP_201_CREATED)


@extend_schema(summary="Kết quả khảo sát cho giám sát (province_admin, monitor)")
class SurveySummaryApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        if not selectors.can_read_survey(request.user):
            raise PermissionDeniedError(
                "Chỉ quản trị cấp tỉnh và giám sát xem kết quả khảo sát.", code="monitor_required"
            )
        return Response(selectors.survey_summary(procedure_code=request.query_params.get("procedure", "")))


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

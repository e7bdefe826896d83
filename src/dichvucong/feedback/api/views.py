"""Ratings API: `GET/PUT /api/v1/dossiers/<reference>/rating/` (the owner of a finished dossier)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.errors import NotFoundError
from dichvucong.common.throttling import ClientRateThrottle
from dichvucong.dossiers.selectors import dossier_get_for

from ..models import Feedback, Rating
from ..selectors import feedback_published, feedback_visible_to
from ..services import feedback_answer, feedback_create, feedback_policy_set, rating_save


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["overall", "timeliness", "attitude", "visits", "comment", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class RatingInput(serializers.Serializer):
    overall = serializers.IntegerField()
    timeliness = serializers.IntegerField()
    attitude = serializers.IntegerField()
    visits = serializers.IntegerField(required=False, default=0)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _own_dossier(request, reference):
    """The caller's own dossier: anyone else's (even one an officer may see) is 404 here."""
    dossier = dossier_get_for(user=request.user, reference=reference)
    if dossier.owner_id != request.user.pk:
        raise NotFoundError("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return dossier


class DossierRatingApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RatingSerializer}, summary="Đánh giá của tôi về hồ sơ")
    def get(self, request, reference: str):
        rating = Rating.objects.filter(dossier=_own_dossier(request, reference)).first()
        if rating is None:
            raise NotFoundError("Hồ sơ chưa được đánh giá.", code="rating_not_found")
        return Response(RatingSerializer(rating).data)

    @extend_schema(request=RatingInput, responses={200: RatingSerializer}, summary="Đánh giá hồ sơ đã có kết quả")
    def put(self, request, reference: str):
        dossier = _own_dossier(request, reference)
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        rating = rating_save(actor=request.user, dossier=dossier, **data.validated_data)
        return Response(RatingSerializer(rating).data)


# --- feedback (phản ánh, kiến nghị) --------------------------------------------------------------------------------


class FeedbackThrottle(ClientRateThrottle):
    scope = "feedback_create"
    rate_setting = "FEEDBACK_THROTTLE_RATE"
    default_rate = "10/hour"


class FeedbackInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Feedback.Kind.choices)
    content = serializers.CharField(max_length=5000)
    author_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    procedure_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    dossier_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    publish_consent = serializers.BooleanField(required=False, default=False)


def _feedback(item: Feedback, *, public: bool = False) -> dict:
    data = {
        "uuid": str(item.uuid),
        "kind": item.kind,
        "agency": item.agency.code,
        "agency_name": item.agency.name,
        "procedure": item.procedure.code if item.procedure_id else None,
        "content": item.content,
        "status": item.status,
        "created_at": item.created_at,
        "due_on": item.due_on,
        "answer": item.answer,
        "answered_at": item.answered_at,
        "answered_on_time": item.answered_on_time,
    }
    if not public:
        data.update(
            author_name=item.author_name,
            contact=item.contact,
            dossier=item.dossier.code if item.dossier_id else None,
            publish_consent=item.publish_consent,
        )
    return data


class FeedbackListApi(APIView):
    """GET: staff their agencies' feedback, others what they filed, anonymous visitors the published ones.
    POST (anyone, throttled per address): file one."""

    permission_classes = [AllowAny]

    def get_throttles(self):
        return [FeedbackThrottle()] if self.request.method == "POST" else []

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Phản ánh, kiến nghị")
    def get(self, request):
        if not request.user.is_authenticated:  # anonymous visitors: the published ones
            paginator = StandardPagination()
            page = paginator.paginate_queryset(feedback_published(), request, view=self)
            return paginator.get_paginated_response([_feedback(f, public=True) for f in page])
        qs = feedback_visible_to(request.user)
        if request.query_params.get("status") in Feedback.Status.values:
            qs = qs.filter(status=request.query_params["status"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([_feedback(f) for f in page])

    @extend_schema(request=FeedbackInput, responses={201: OpenApiTypes.OBJECT}, summary="Gửi phản ánh, kiến nghị")
    def post(self, request):
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = feedback_create(actor=request.user, **data.validated_data)
        return Response(_feedback(item), status=201)


class FeedbackPublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Phản ánh, kiến nghị đã trả lời được công khai")
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(feedback_published(), request, view=self)
        return paginator.get_paginated_response([_feedback(f, public=True) for f in page])


class FeedbackAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, summary="Trả lời phản ánh")
    def post(self, request, uuid):
        item = feedback_visible_to(request.user).filter(uuid=uuid).first()
        if item is None:
            raise NotFoundError("Không tìm thấy phản ánh.", code="feedback_not_found")
        item = feedback_answer(actor=request.user, feedback=item, answer=str(request.data.get("answer") or ""))
        return Response(_feedback(item))


class FeedbackPolicyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, summary="Thời hạn trả lời")
    def put(self, request):
        days = request.data.get("answer_working_days")
        policy = feedback_policy_set(actor=request.user, answer_working_days=days)
        return Response({"answer_working_days": policy.answer_working_days})

"""Ratings API: `GET/PUT /api/v1/dossiers/<reference>/rating/` (the owner of a finished dossier)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.common.errors import NotFoundError
from dichvucong.dossiers.selectors import dossier_get_for

from ..models import Rating
from ..services import rating_save


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

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from dichvucong.agencies.models import Agency, Tier
from dichvucong.agencies.selectors import agency_list
from dichvucong.common.errors import ValidationFailed


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "tier", "kind", "parent", "valid_from", "valid_to"]


@extend_schema(
    summary="Danh sách cơ quan (public)",
    parameters=[
        OpenApiParameter("tier", enum=[t.value for t in Tier]),
        OpenApiParameter("parent", description="Mã QCVN 102 của cơ quan cấp trên"),
        OpenApiParameter("q", description="Tìm theo tên hoặc mã, không phân biệt dấu"),
    ],
)
class AgencyListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = AgencySerializer

    def get_queryset(self):
        tier = self.request.query_params.get("tier") or None
        if tier and tier not in Tier.values:
            raise ValidationFailed(
                f"Cấp «{tier}» không hợp lệ (province, district, commune).",
                code="invalid_tier",
                fields={"tier": ["Giá trị không hợp lệ."]},
            )
        return agency_list(
            tier=tier,
            parent_code=self.request.query_params.get("parent") or None,
            q=self.request.query_params.get("q") or None,
        )


class AgencyDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = AgencySerializer
    lookup_field = "code"
    queryset = Agency.objects.select_related("parent")

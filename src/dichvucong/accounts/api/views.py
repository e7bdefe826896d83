from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from dichvucong.accounts.authentication import authenticate_with_throttle
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_role_assignments


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenObtainApi(APIView):
    """Exchange username + password for an API token. Failed attempts are throttled per user and address."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenRequestSerializer, responses=inline_serializer("TokenResponse", {"token": serializers.CharField()})
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate_with_throttle(request, **data.validated_data)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    kind = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    id_number = serializers.CharField(allow_null=True)
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[dict]:
        return [
            {"role": a.role, "label": str(Role(a.role).label), "agency": a.agency.code if a.agency_id else None}
            for a in user_role_assignments(user)
        ]


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

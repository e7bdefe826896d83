from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from dichvucong.accounts.authentication import authenticate_with_throttle
from dichvucong.accounts.models import ApiToken
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_api_tokens, user_role_assignments
from dichvucong.accounts.services import api_token_issue, api_token_revoke
from dichvucong.common.errors import NotFoundError


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)


class TokenSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    usable = serializers.BooleanField(source="is_usable")


class TokenObtainApi(APIView):
    """Exchange username + password for a NEW API token (expires after API_TOKEN_TTL_HOURS; the key is shown only
    in this answer, the server keeps its hash). Failed attempts are throttled per user and address."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenResponse",
            {
                "token": serializers.CharField(),
                "id": serializers.UUIDField(),
                "expires_at": serializers.DateTimeField(),
            },
        ),
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate_with_throttle(
            request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        token, key = api_token_issue(user=user, name=data.validated_data.get("name", ""))
        return Response({"token": key, "id": str(token.uuid), "expires_at": token.expires_at}, status=200)


class TokenListApi(APIView):
    """The caller's own API tokens (prefix, expiry, revoked or not; never the key)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        return Response(TokenSerializer(user_api_tokens(request.user), many=True).data)


class TokenRevokeApi(APIView):
    """The owner revokes one of their tokens; another user's token is 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=TokenSerializer)
    def post(self, request, token_id):
        token = ApiToken.objects.filter(uuid=token_id, user=request.user).first()
        if token is None:
            raise NotFoundError("Không tìm thấy mã truy cập.", code="token_not_found")
        return Response(TokenSerializer(api_token_revoke(actor=request.user, token=token)).data)


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

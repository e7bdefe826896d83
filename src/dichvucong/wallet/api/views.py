"""Wallet API: the caller's own items only (NĐ 45/2020 art. 11); anyone else's item is 404."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.errors import ValidationFailed

from ..models import WalletItemKind
from ..selectors import wallet_item_get_for, wallet_items_for
from .serializers import WalletItemSerializer


class WalletListApi(generics.ListAPIView):
    """Documents already submitted and results received: attach one to a new dossier with
    `{"wallet_item": id, "document": required_document_id}` in `attachments` of `POST /api/v1/dossiers/`."""

    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination
    serializer_class = WalletItemSerializer

    @extend_schema(parameters=[OpenApiParameter("kind", enum=WalletItemKind.values)], summary="Kho dữ liệu của tôi")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        kind = self.request.query_params.get("kind") or None
        if kind and kind not in WalletItemKind.values:
            raise ValidationFailed(
                "Loại giấy tờ không hợp lệ.", code="invalid_kind", fields={"kind": [", ".join(WalletItemKind.values)]}
            )
        return wallet_items_for(self.request.user, kind=kind)


class WalletItemFileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="Tải giấy tờ trong kho dữ liệu"
    )
    def get(self, request, item: str):
        found = wallet_item_get_for(user=request.user, item_id=item)
        response = FileResponse(
            found.file.open("rb"), as_attachment=True, filename=found.original_name, content_type=found.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

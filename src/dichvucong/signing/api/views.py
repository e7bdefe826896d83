"""Public verification of signed PDFs, the trust anchor download, and officers' view of their certificates."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.accounts.models import UserKind
from dichvucong.common.errors import NotFoundError, PermissionDeniedError
from dichvucong.signing import keystore
from dichvucong.signing.selectors import certificates_visible_to
from dichvucong.signing.throttling import VerifyThrottle
from dichvucong.signing.verification import check_declared_size, verify_upload

from .serializers import SigningCertificateSerializer, VerificationResultSerializer, VerifyRequestSerializer


class SignatureVerifyApi(APIView):
    """Anyone may check a signed PDF: intact since signing? who signed, when? chained to the province's CA?"""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        summary="Kiểm tra chữ ký số trên tệp PDF (public)",
        request={"multipart/form-data": VerifyRequestSerializer},
        responses={
            200: VerificationResultSerializer,
            400: OpenApiResponse(description="not_a_pdf, damaged_pdf, unsigned_pdf, file_required"),
            413: OpenApiResponse(description="file_too_large"),
        },
    )
    def post(self, request):
        check_declared_size(request.META.get("CONTENT_LENGTH"))
        result = verify_upload(request.FILES.get("file"))
        return Response(VerificationResultSerializer(result.as_dict()).data)


class TrustAnchorPemApi(APIView):
    """The province's trust anchor(s), to install in a PDF reader or verify results offline."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Chứng thư gốc (trust anchor) của tỉnh, định dạng PEM",
        responses={(200, "application/x-pem-file"): OpenApiTypes.STR},
    )
    def get(self, request):
        pem = keystore.trust_anchors_pem()
        if not pem:
            raise NotFoundError("Chưa cấu hình chứng thư gốc của tỉnh.", code="trust_anchor_missing")
        response = HttpResponse(pem, content_type="application/x-pem-file")
        response["Content-Disposition"] = 'attachment; filename="ca.pem"'
        response["Cache-Control"] = "public, max-age=3600"
        return response


class SigningCertificateListApi(generics.ListAPIView):
    """Certificates an officer may sign with (own, and their agency's seal for a clerk); all for province admins."""

    permission_classes = [IsAuthenticated]
    serializer_class = SigningCertificateSerializer

    @extend_schema(summary="Chứng thư số của cán bộ (cán bộ)")
    def get(self, request, *args, **kwargs):
        if request.user.kind != UserKind.STAFF:
            raise PermissionDeniedError("Chỉ cán bộ mới xem được chứng thư số.", code="staff_only")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return certificates_visible_to(self.request.user).order_by("kind", "common_name", "pk")

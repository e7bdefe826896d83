"""URLconf of the benchmark process: the real URLs plus the framework floors, through the same middleware.

- `/bench/floor/`: a bare Django function view returning a constant JSON document (the framework floor);
- `/bench/drf-floor/`: a DRF APIView (AllowAny, no throttle) returning the same constant (the DRF floor);
- `/bench/before/dossiers/<code>/` and `/bench/before/lookup/`: the status read and the public lookup as they were
  before docs/adr/0019 (the full detail queryset: eight tables joined and four prefetches), for before/after runs
  side by side (benchmarks/dossier_status_read.py).
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.accounts.identity import parse_citizen_id
from dichvucong.common.errors import NotFoundError
from dichvucong.common.throttling import LookupThrottle
from dichvucong.dossiers.api.serializers import DossierDetailSerializer, LookupSerializer
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.personal_data import record_personal_data_read
from dichvucong.dossiers.selectors import dossier_detail_queryset, dossier_get_for
from dichvucong.urls import urlpatterns as app_urlpatterns

CONSTANT = {
    "count": 1,
    "next": None,
    "previous": None,
    "results": [{"code": "1.000001", "name": "Đăng ký khai sinh", "online_level": 4}],
}


def floor_view(request):
    return JsonResponse(CONSTANT)


class DrfFloorView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    def get(self, request):
        return Response(CONSTANT)


class StatusReadBefore(APIView):
    """`GET /api/v1/dossiers/<code>/` before ADR 0019 (same access rule, same serializer, no validators)."""

    permission_classes = [IsAuthenticated]

    def get(self, request, reference: str):
        dossier = dossier_get_for(user=request.user, reference=reference)
        record_personal_data_read(user=request.user, dossier=dossier, via="api:dossier-detail")
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


class LookupBefore(APIView):
    """`GET /api/v1/lookup/` before ADR 0019."""

    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    def get(self, request):
        code = request.query_params.get("code", "").strip()
        id_number = parse_citizen_id(request.query_params.get("id_number", "").strip()).number
        dossier = (
            dossier_detail_queryset(Dossier.objects.submitted())
            .filter(code=code, applicant_id_number=id_number)
            .first()
        )
        if dossier is None:
            raise NotFoundError("Không tìm thấy hồ sơ.", code="dossier_not_found")
        return Response(LookupSerializer(dossier).data)


urlpatterns = [
    path("bench/floor/", floor_view),
    path("bench/drf-floor/", DrfFloorView.as_view()),
    path("bench/before/dossiers/<str:reference>/", StatusReadBefore.as_view()),
    path("bench/before/lookup/", LookupBefore.as_view()),
    *app_urlpatterns,
]

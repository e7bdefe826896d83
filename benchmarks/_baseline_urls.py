"""URLconf of the benchmark process: the real URLs plus the framework floors, through the same middleware.

- `/bench/floor/`: a bare Django function view returning a constant JSON document (the framework floor);
- `/bench/drf-floor/`: a DRF APIView (AllowAny, no throttle) returning the same constant (the DRF floor).
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

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


urlpatterns = [
    path("bench/floor/", floor_view),
    path("bench/drf-floor/", DrfFloorView.as_view()),
    *app_urlpatterns,
]

"""API routes of the results context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<str:reference>/result.pdf", views.ResultPdfApi.as_view(), name="dossier-result-pdf"),
    path("dossiers/<str:reference>/result/", views.ResultDetailApi.as_view(), name="dossier-result"),
    path(
        "dossiers/<str:reference>/result/delivery/", views.ResultDeliveryApi.as_view(), name="dossier-result-delivery"
    ),
    path(
        "dossiers/<str:reference>/result/delivery/sent/",
        views.ResultShipmentSentApi.as_view(),
        name="dossier-result-sent",
    ),
    path(
        "dossiers/<str:reference>/result/delivery/delivered/",
        views.ResultShipmentDeliveredApi.as_view(),
        name="dossier-result-delivered",
    ),
    path("postal/callback/", views.PostalCallbackApi.as_view(), name="postal-callback"),
]

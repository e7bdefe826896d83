from django.urls import include, path

from . import views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("dang-nhap/", views.ResidentLoginView.as_view(), name="login"),
    path("dang-xuat/", views.resident_logout, name="logout"),
    path("_control/health", views.health),
    path("_control/tamper", views.control_tamper),
    path("_control/backchannel-logout", views.control_backchannel_logout),
    path("_control/logout-token", views.control_logout_token),
]

from django.urls import path

from . import views
from .models import UserKind

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.register, {"kind": UserKind.CITIZEN}, name="register"),
    path("dang-ky/doanh-nghiep/", views.register, {"kind": UserKind.BUSINESS}, name="register-business"),
    path("dang-ky/da-gui-thu/", views.registered, name="registered"),
    path("xac-minh-email/<str:token>/", views.verify_email, name="verify-email"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password-reset"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("dat-lai-mat-khau/xong/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("ho-so/", views.profile, name="profile"),
    path("ma-truy-cap/<uuid:token_id>/thu-hoi/", views.token_revoke, name="token-revoke"),
    path("can-bo/tao-moi/", views.officer_create_page, name="officer-create"),
]

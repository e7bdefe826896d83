from django.urls import path

from . import views

urlpatterns = [
    path("", views.OidcLoginView.as_view(), name="oidc-login"),
    path("callback/", views.OidcCallbackView.as_view(), name="oidc-callback"),
    path("dang-xuat-kenh-sau/", views.backchannel_logout, name="oidc-backchannel-logout"),
]

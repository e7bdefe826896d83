from django.urls import path

from . import views

urlpatterns = [
    path("", views.OidcLoginView.as_view(), name="oidc-login"),
    path("callback/", views.OidcCallbackView.as_view(), name="oidc-callback"),
    path("dang-xuat-kenh-sau/", views.backchannel_logout, name="oidc-backchannel-logout"),
    path("dan-cu/dien-san/", views.prefill_online, name="prefill-online"),
    path("dan-cu/mot-cua/", views.prefill_counter, name="prefill-counter"),
]

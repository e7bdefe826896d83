"""HTML routes of the signing context, mounted at the site root (namespace "signing")."""

from django.urls import path

from .views import VerifyPageView

urlpatterns = [
    path("xac-thuc-chu-ky/", VerifyPageView.as_view(), name="verify"),
]

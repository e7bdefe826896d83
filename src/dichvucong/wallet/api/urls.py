"""API routes of the wallet context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("wallet/", views.WalletListApi.as_view(), name="wallet-list"),
    path("wallet/<uuid:item>/file/", views.WalletItemFileApi.as_view(), name="wallet-item-file"),
]

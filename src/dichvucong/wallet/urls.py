"""HTML routes of the wallet context, mounted at the site root (namespace "wallet")."""

from django.urls import path

from . import views

urlpatterns = [
    path("kho-du-lieu/", views.wallet_page, name="list"),
]

"""API routes of the feedback context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<str:reference>/rating/", views.DossierRatingApi.as_view(), name="dossier-rating"),
]

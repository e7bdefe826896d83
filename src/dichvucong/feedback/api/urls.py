"""API routes of the feedback context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<str:reference>/rating/", views.DossierRatingApi.as_view(), name="dossier-rating"),
    path("feedback/", views.FeedbackListApi.as_view(), name="feedback-list"),
    path("feedback/public/", views.FeedbackPublicApi.as_view(), name="feedback-public"),
    path("feedback/policy/", views.FeedbackPolicyApi.as_view(), name="feedback-policy"),
    path("feedback/<uuid:uuid>/answer/", views.FeedbackAnswerApi.as_view(), name="feedback-answer"),
]

"""API routes of the guidance context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("assistant/", views.AssistantApi.as_view(), name="assistant"),
    path("life-events/", views.LifeEventListApi.as_view(), name="life-events"),
    path("content/", views.ContentListCreateApi.as_view(), name="content-list"),
    path("content/<slug:slug>/", views.ContentDetailApi.as_view(), name="content-detail"),
    path("survey/", views.SurveySubmitApi.as_view(), name="survey-submit"),
    path("survey/summary/", views.SurveySummaryApi.as_view(), name="survey-summary"),
]

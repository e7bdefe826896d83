"""HTML routes of the guidance context, mounted at the site root (namespace "guidance")."""

from django.urls import path

from . import views

urlpatterns = [
    path("tro-ly/", views.assistant, name="assistant"),
    path("su-kien/<slug:slug>/", views.life_event, name="life-event"),
    path("huong-dan/", views.content_list, name="content-list"),
    path("huong-dan/<slug:slug>/", views.content_detail, name="content-detail"),
    path("khao-sat/", views.survey, name="survey"),
    path("can-bo/khao-sat/", views.survey_results, name="survey-results"),
    path("can-bo/noi-dung/moi/", views.content_edit, name="content-new"),
    path("can-bo/noi-dung/<slug:slug>/sua/", views.content_edit, name="content-edit"),
]

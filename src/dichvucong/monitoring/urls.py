"""HTML routes of the monitoring context, mounted at the site root (namespace "monitoring")."""

from django.urls import path

from . import views

urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/ho-so/", views.figure_list, name="figure-list"),
    path("thong-ke/", views.public, name="public"),
]

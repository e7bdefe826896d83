"""HTML routes of the results context, mounted at the site root (namespace "results")."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so/<str:reference>/ket-qua/", views.result_page, name="result"),
]

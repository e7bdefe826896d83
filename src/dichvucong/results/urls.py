"""HTML routes of the results context, mounted at the site root (namespace "results")."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so/<str:reference>/ket-qua/", views.result_page, name="result"),
    path("ho-so/<str:reference>/ket-qua/xem-truoc.pdf", views.result_preview, name="preview"),
    path("ho-so/<str:reference>/ket-qua/da-ky.pdf", views.result_signed_inline, name="signed-inline"),
    path("ho-so/<str:reference>/ket-qua/du-thao/", views.result_draft, name="draft"),
]

"""HTML routes of the catalog context, mounted at the site root (namespace "catalog")."""

from django.urls import path

from . import views

urlpatterns = [
    path("thu-tuc/", views.procedure_list, name="list"),
    path("thu-tuc/ngoai-le/", views.exceptions, name="exceptions"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
    path("thu-tuc/<str:code>/mau/<int:number>/", views.blank_form, name="blank-form"),
    path("dich-vu-cong-truc-tuyen/", views.online_services, name="online-services"),
    path("can-bo/danh-muc/de-nghi/", views.change_requests, name="change-requests"),
]

"""HTML routes of the monitoring context, mounted at the site root (namespace "monitoring")."""

from django.urls import path

from . import views

urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/ho-so/", views.figure_list, name="figure-list"),
    path("bao-cao/thang/", views.monthly_list, name="monthly-list"),
    path("bao-cao/thang/tinh/", views.monthly_province, name="monthly-province"),
    path("bao-cao/thang/<uuid:uuid>/", views.monthly_detail, name="monthly-detail"),
    path("thong-ke/", views.public, name="public"),
]

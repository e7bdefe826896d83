"""HTML routes of the reorganisation context (the province admin's back office), mounted at the site root."""

from django.urls import path

from . import views

urlpatterns = [
    path("can-bo/to-chuc-lai/", views.PlanListView.as_view(), name="plan-list"),
    path("can-bo/to-chuc-lai/<uuid:uuid>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("can-bo/to-chuc-lai/<uuid:uuid>/phe-duyet/", views.PlanApproveView.as_view(), name="plan-approve"),
    path("can-bo/to-chuc-lai/<uuid:uuid>/ap-dung/", views.PlanApplyView.as_view(), name="plan-apply"),
]

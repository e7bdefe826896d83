"""API routes of the reorganisation context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("reorg/plans/", views.PlanListCreateApi.as_view(), name="reorg-plans"),
    path("reorg/plans/<uuid:uuid>/", views.PlanDetailApi.as_view(), name="reorg-plan-detail"),
    path("reorg/plans/<uuid:uuid>/preview/", views.PlanPreviewApi.as_view(), name="reorg-plan-preview"),
    path("reorg/plans/<uuid:uuid>/preview.xlsx", views.PlanPreviewXlsxApi.as_view(), name="reorg-plan-preview-xlsx"),
    path("reorg/plans/<uuid:uuid>/approve/", views.PlanApproveApi.as_view(), name="reorg-plan-approve"),
    path("reorg/plans/<uuid:uuid>/apply/", views.PlanApplyApi.as_view(), name="reorg-plan-apply"),
]

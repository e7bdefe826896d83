"""API routes of the monitoring context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/procedures/", views.ProcedureReportApi.as_view(), name="report-procedures"),
    path("reports/dossiers/", views.DossierReportApi.as_view(), name="report-dossiers"),
    path("reports/dossiers/items/", views.DossierFigureApi.as_view(), name="report-dossier-items"),
    path("reports/targets/", views.TargetsApi.as_view(), name="report-targets"),
    path("reports/scorecard/", views.ScorecardApi.as_view(), name="report-scorecard"),
    path("reports/public/", views.PublicStatisticsApi.as_view(), name="report-public"),
]

"""API routes of the monitoring context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/procedures/", views.ProcedureReportApi.as_view(), name="report-procedures"),
    path("reports/procedures/items/", views.ProcedureFigureApi.as_view(), name="report-procedure-items"),
    path("reports/dossiers/", views.DossierReportApi.as_view(), name="report-dossiers"),
    path("reports/dossiers/items/", views.DossierFigureApi.as_view(), name="report-dossier-items"),
    path("reports/targets/", views.TargetsApi.as_view(), name="report-targets"),
    path("reports/scorecard/", views.ScorecardApi.as_view(), name="report-scorecard"),
    path("reports/monthly/", views.MonthlyReportListApi.as_view(), name="report-monthly-list"),
    path("reports/monthly/province/", views.ProvinceMonthlyApi.as_view(), name="report-monthly-province"),
    path("reports/monthly/<uuid:uuid>/", views.MonthlyReportDetailApi.as_view(), name="report-monthly-detail"),
    path(
        "reports/monthly/<uuid:uuid>/annotate/",
        views.MonthlyReportAnnotateApi.as_view(),
        name="report-monthly-annotate",
    ),
    path("reports/monthly/<uuid:uuid>/submit/", views.MonthlyReportSubmitApi.as_view(), name="report-monthly-submit"),
    path("reports/waits/", views.StepWaitsApi.as_view(), name="report-waits"),
    path("reports/public/", views.PublicStatisticsApi.as_view(), name="report-public"),
]

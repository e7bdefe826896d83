"""API routes of the catalog context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("procedures/", views.ProcedureListApi.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", views.ProcedureDetailApi.as_view(), name="procedure-detail"),
    path("catalog/exceptions/", views.OfferingExceptionListApi.as_view(), name="catalog-exceptions"),
    path("catalog/export/", views.CatalogExportApi.as_view(), name="catalog-export"),
    path("catalog/import/", views.CatalogImportApi.as_view(), name="catalog-import"),
    path("catalog/decisions/", views.DecisionListCreateApi.as_view(), name="catalog-decisions"),
    path("catalog/decisions/<uuid:uuid>/publish/", views.DecisionPublishApi.as_view(), name="catalog-decision-publish"),
    path("catalog/change-requests/", views.ChangeRequestListCreateApi.as_view(), name="catalog-change-requests"),
    path(
        "catalog/change-requests/<uuid:uuid>/apply/",
        views.ChangeRequestApplyApi.as_view(),
        name="catalog-change-request-apply",
    ),
    path(
        "catalog/change-requests/<uuid:uuid>/reject/",
        views.ChangeRequestRejectApi.as_view(),
        name="catalog-change-request-reject",
    ),
]

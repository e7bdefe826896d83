"""API routes of the dossiers context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("uploads/", views.UploadCreateApi.as_view(), name="upload-create"),
    path("dossiers/", views.DossierCollectionApi.as_view(), name="dossier-list"),
    path("dossiers/<str:reference>/", views.DossierDetailApi.as_view(), name="dossier-detail"),
    path("dossiers/<str:reference>/actions/", views.DossierActionsApi.as_view(), name="dossier-actions"),
    path(
        "dossiers/<str:reference>/attachments/<uuid:attachment>/",
        views.AttachmentDownloadApi.as_view(),
        name="dossier-attachment",
    ),
    path("dossiers/<str:reference>/forms/<str:form>.pdf", views.DossierFormPdfApi.as_view(), name="dossier-form"),
    path("lookup/", views.DossierLookupApi.as_view(), name="dossier-lookup"),
    path("agencies/<str:code>/tracking-book.<str:fmt>", views.TrackingBookApi.as_view(), name="tracking-book"),
]

"""API routes of the workflows context, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("processes/", views.ProcessListApi.as_view(), name="process-list"),
    path("processes/<str:process_id>/", views.ProcessDetailApi.as_view(), name="process-detail"),
    path("processes/<str:process_id>/steps/", views.ProcessStepsApi.as_view(), name="process-steps"),
    path("processes/<str:process_id>/submit/", views.ProcessSubmitApi.as_view(), name="process-submit"),
    path("processes/<str:process_id>/review/", views.ProcessReviewApi.as_view(), name="process-review"),
    path("processes/<str:process_id>/send-back/", views.ProcessSendBackApi.as_view(), name="process-send-back"),
    path("processes/<str:process_id>/approve/", views.ProcessApproveApi.as_view(), name="process-approve"),
    path("processes/<str:process_id>/new-version/", views.ProcessNewVersionApi.as_view(), name="process-new-version"),
    path("processes/<str:process_id>/diagram.svg", views.ProcessDiagramApi.as_view(), name="process-diagram"),
    path("processing/<str:code>/", views.DossierProcessingApi.as_view(), name="dossier-processing"),
    path("processing/<str:code>/actions/", views.DossierStepActionApi.as_view(), name="dossier-step-action"),
    path(
        "consultations/<str:consultation_id>/answer/", views.ConsultationAnswerApi.as_view(), name="consultation-answer"
    ),
    path("queues/", views.QueueApi.as_view(), name="queue"),
    path("queues/load/", views.QueueLoadApi.as_view(), name="queue-load"),
    path("queues/assign/", views.QueueAssignApi.as_view(), name="queue-assign"),
]

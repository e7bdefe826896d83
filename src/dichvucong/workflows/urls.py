"""HTML routes of the workflows context, mounted at the site root (namespace "workflows")."""

from django.urls import path

from . import views

urlpatterns = [
    path("can-bo/quy-trinh/", views.process_list_view, name="process-list"),
    path("can-bo/quy-trinh/<str:process_id>/", views.process_detail_view, name="process-detail"),
    path("can-bo/quy-trinh/<str:process_id>/phe-duyet/", views.process_approval_view, name="process-approval"),
    path(
        "can-bo/quy-trinh/<str:process_id>/phe-duyet/<str:transition>/",
        views.process_transition_view,
        name="process-transition",
    ),
    path("can-bo/cong-viec/", views.queue_view, name="queue"),
    path("can-bo/cong-viec/bo-loc/", views.queue_filters_save_view, name="queue-filters"),
    path("can-bo/cong-viec/phan-cong/", views.queue_assign_view, name="queue-assign"),
    path(
        "can-bo/xin-y-kien/<str:consultation_id>/tra-loi/", views.consultation_answer_view, name="consultation-answer"
    ),
]

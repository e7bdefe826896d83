"""HTML routes of the integration platform, mounted at the site root (namespace "integrations")."""

from django.urls import path

from . import views

urlpatterns = [
    path("can-bo/ket-noi/hang-doi/", views.OutboxView.as_view(), name="outbox"),
    path("can-bo/ket-noi/hang-doi/<uuid:id>/gui-lai/", views.RedriveView.as_view(), name="redrive"),
    path("can-bo/ket-noi/ho-so-dvcqg/", views.InboundView.as_view(), name="inbound"),
    path("can-bo/ket-noi/mau-thong-bao/", views.TemplatesView.as_view(), name="templates"),
    path(
        "can-bo/ket-noi/mau-thong-bao/<str:event>/<str:channel>/",
        views.TemplateEditView.as_view(),
        name="template-edit",
    ),
    path("can-bo/ket-noi/webhook/", views.WebhooksView.as_view(), name="webhooks"),
    path("can-bo/ket-noi/webhook/<uuid:id>/", views.WebhookDetailView.as_view(), name="webhook-detail"),
    path("tai-khoan/thong-bao/", views.PreferenceView.as_view(), name="preference"),
]

"""API routes of the integration platform, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("integrations/outbox/", views.OutboxListApi.as_view(), name="integrations-outbox"),
    path("integrations/outbox/<uuid:id>/redrive/", views.OutboxRedriveApi.as_view(), name="integrations-redrive"),
    path("integrations/inbound/", views.InboundListApi.as_view(), name="integrations-inbound"),
    path(
        "integrations/national-portal/dossiers/",
        views.NationalPortalPushApi.as_view(),
        name="integrations-national-portal-push",
    ),
    path("integrations/webhooks/", views.WebhookListApi.as_view(), name="integrations-webhooks"),
    path(
        "integrations/webhooks/<uuid:id>/deliveries/",
        views.WebhookDeliveriesApi.as_view(),
        name="integrations-webhook-deliveries",
    ),
    path(
        "integrations/ministry/transfers/", views.MinistryTransferApi.as_view(), name="integrations-ministry-transfer"
    ),
    path(
        "integrations/ministry/<str:system>/results/",
        views.MinistryResultApi.as_view(),
        name="integrations-ministry-result",
    ),
]

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dichvucong.accounts.api.views import MeApi, TokenListApi, TokenObtainApi, TokenRevokeApi
from dichvucong.agencies.api.views import AgencyDetailApi, AgencyListApi

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("auth/tokens/", TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/<uuid:token_id>/revoke/", TokenRevokeApi.as_view(), name="auth-token-revoke"),
    path("me/", MeApi.as_view(), name="me"),
    path("agencies/", AgencyListApi.as_view(), name="agency-list"),
    path("agencies/<str:code>/", AgencyDetailApi.as_view(), name="agency-detail"),
    path("", include("dichvucong.workdays.api.urls")),
    path("", include("dichvucong.catalog.api.urls")),
    path("", include("dichvucong.workflows.api.urls")),
    path("", include("dichvucong.dossiers.api.urls")),
    path("", include("dichvucong.guidance.api.urls")),
    path("", include("dichvucong.payments.api.urls")),
    path("", include("dichvucong.signing.api.urls")),
    path("", include("dichvucong.results.api.urls")),
    path("", include("dichvucong.wallet.api.urls")),
    path("", include("dichvucong.integrations.api.urls")),
]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dichvucong.common.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", include(("dichvucong.api_urls", "api"), namespace="api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri-he-thong/", admin.site.urls),
    path("tai-khoan/vneid/", include(("dichvucong.identity.urls", "identity"), namespace="identity")),
    path("tai-khoan/", include(("dichvucong.accounts.urls", "accounts"), namespace="accounts")),
    path("can-bo/", include(("dichvucong.backoffice.urls", "backoffice"), namespace="backoffice")),
    path("", include(("dichvucong.workdays.urls", "workdays"), namespace="workdays")),
    path("", include(("dichvucong.catalog.urls", "catalog"), namespace="catalog")),
    path("", include(("dichvucong.workflows.urls", "workflows"), namespace="workflows")),
    path("", include(("dichvucong.dossiers.urls", "dossiers"), namespace="dossiers")),
    path("", include(("dichvucong.guidance.urls", "guidance"), namespace="guidance")),
    path("", include(("dichvucong.payments.urls", "payments"), namespace="payments")),
    path("", include(("dichvucong.signing.urls", "signing"), namespace="signing")),
    path("", include(("dichvucong.results.urls", "results"), namespace="results")),
    path("", include(("dichvucong.wallet.urls", "wallet"), namespace="wallet")),
    path("", include(("dichvucong.integrations.urls", "integrations"), namespace="integrations")),
    path("", include(("dichvucong.reorg.urls", "reorg"), namespace="reorg")),
    path("", include(("dichvucong.monitoring.urls", "monitoring"), namespace="monitoring")),
    path("", include(("dichvucong.feedback.urls", "feedback"), namespace="feedback")),
    path("", include(("dichvucong.portal.urls", "portal"), namespace="portal")),
]

# JSON `{"code", "detail", "fields"}` for paths under /api/, the HTML pages for the rest.
handler400 = "dichvucong.common.error_views.bad_request"
handler403 = "dichvucong.common.error_views.permission_denied"
handler404 = "dichvucong.common.error_views.page_not_found"
handler500 = "dichvucong.common.error_views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe


@never_cache
@require_GET
def healthz(request):
    """Liveness and database reachability: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@cache_control(public=True, max_age=86400)
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on every page whatever the page links: send them to the static icon."""
    return HttpResponseRedirect(static("img/favicon.ico"))

from django.conf import settings
from django.utils import translation


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        origins = " ".join(getattr(settings, "CSP_FORM_ACTION_ORIGINS", ()))
        if origins:
            # A form posted here may answer with a redirect to these origins (the payment platform): browsers apply
            # form-action to the redirect too.
            policy = policy.replace("form-action 'self'", f"form-action 'self' {origins}")
        if request.path.startswith("/api/v1/docs"):
            # Swagger UI needs its inline bootstrap script and CDN-free assets served by drf-spectacular.
            policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"
            )
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language (language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Vietnamese citizens use
    browsers set to English; the portal speaks Vietnamese first and offers English on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response

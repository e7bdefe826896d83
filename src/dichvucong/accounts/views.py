from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from .forms import ThrottledAuthenticationForm
from .services import user_sessions_end

#: Session key under which a single sign-on login (identity app) leaves the provider's end-session URL, so that
#: logging out here logs out at the provider too (OpenID Connect RP-initiated logout).
SSO_LOGOUT_URL_SESSION_KEY = "sso_logout_url"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(sso_enabled=settings.OIDC_ENABLED, **kwargs)


class LogoutView(View):
    """POST only. Ends every session of the user (all devices) and, after a single sign-on, the provider's session
    too (redirect to its end-session endpoint, which sends the browser back to the portal)."""

    http_method_names = ["post"]

    def post(self, request):
        target = resolve_url(settings.LOGOUT_REDIRECT_URL)
        if request.user.is_authenticated:
            sso_logout = request.session.get(SSO_LOGOUT_URL_SESSION_KEY)
            user_sessions_end(actor=request.user, user=request.user, reason="logout")
            auth.logout(request)
            if sso_logout and url_has_allowed_host_and_scheme(
                sso_logout, allowed_hosts=set(settings.OIDC_TRUSTED_LOGOUT_HOSTS), require_https=False
            ):
                target = sso_logout
        return redirect(target)

"""Single sign-on pages: start the login at the national identity provider, its callback, its back-channel logout."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from dichvucong.accounts.decorators import staff_required
from dichvucong.accounts.models import UserKind
from dichvucong.accounts.views import SSO_LOGOUT_URL_SESSION_KEY
from dichvucong.common.errors import DomainError

from . import prefill
from .errors import IdentityError
from .models import RegistryChannel
from .oidc import verify_logout_token
from .services import identity_provider_logout, registry_prefill


def _failure(request, *, code: str, detail: str, status: int = 400):
    return render(request, "identity/login_failed.html", {"code": code, "detail": detail}, status=status)


@method_decorator(never_cache, name="dispatch")
class OidcLoginView(OIDCAuthenticationRequestView):
    """GET: redirect to the provider's authorization endpoint (state, nonce, PKCE code challenge in the session)."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


@method_decorator(never_cache, name="dispatch")
class OidcCallbackView(OIDCAuthenticationCallbackView):
    """GET: the provider sends the browser back with `code` and `state`. Every failure is a page with its reason."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        if request.GET.get("error"):
            super().get(request)  # forgets the state, logs out
            return _failure(
                request, code="provider_refused", detail=_("Nhà cung cấp định danh không xác thực được người dùng.")
            )
        state = request.GET.get("state")
        if not request.GET.get("code") or not state:
            return _failure(request, code="callback_incomplete", detail=_("Thiếu mã ủy quyền hoặc tham số state."))
        if state not in (request.session.get("oidc_states") or {}):
            return _failure(
                request,
                code="state_mismatch",
                detail=_("Phiên đăng nhập không khớp hoặc đã được dùng (state sai). Vui lòng đăng nhập lại."),
            )
        try:
            return super().get(request)
        except DomainError as exc:
            return _failure(request, code=exc.code, detail=exc.detail, status=exc.status_code)

    def login_failure(self):
        return _failure(self.request, code="login_failed", detail=_("Không đăng nhập được bằng định danh điện tử."))

    def login_success(self):
        response = super().login_success()
        id_token = self.request.session.get("oidc_id_token")
        if id_token and settings.OIDC_OP_END_SESSION_ENDPOINT:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                    "post_logout_redirect_uri": self.request.build_absolute_uri(
                        resolve_url(settings.LOGOUT_REDIRECT_URL)
                    ),
                }
            )
            self.request.session[SSO_LOGOUT_URL_SESSION_KEY] = f"{settings.OIDC_OP_END_SESSION_ENDPOINT}?{query}"
        return response


@csrf_exempt
@require_POST
@never_cache
def backchannel_logout(request):
    """The provider's server tells us a subject signed out there (OIDC Back-Channel Logout 1.0): end every session
    of the linked account. Server to server: no cookie, no CSRF; authenticated by the signed logout token."""
    if not settings.OIDC_ENABLED:
        raise Http404
    token = request.POST.get("logout_token", "")
    if not token:
        return JsonResponse({"error": "invalid_request", "code": "logout_token_missing"}, status=400)
    try:
        payload = verify_logout_token(token)
    except IdentityError as exc:
        status = exc.status_code if exc.status_code >= 500 else 400
        return JsonResponse({"error": "invalid_request", "code": exc.code, "detail": exc.detail}, status=status)
    identity_provider_logout(issuer=payload["iss"], subject=str(payload["sub"]))
    return JsonResponse({"status": "ok"})


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _prefill(request, *, slot: str, citizen_id: str, channel: str):
    purpose = (request.POST.get("purpose") or "")[:200] or _("Điền sẵn tờ khai")
    try:
        consent, record = registry_prefill(
            actor=request.user,
            citizen_id=citizen_id,
            channel=channel,
            purpose=purpose,
            consent=request.POST.get("consent") == "on",
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return False
    prefill.remember(request.session, slot, consent=consent, record=record)
    messages.success(
        request, _("Đã lấy thông tin của %(name)s từ CSDL quốc gia về dân cư.") % {"name": record.full_name}
    )
    return True


@login_required
@require_POST
def prefill_online(request):
    """The citizen consents, and their own data come from the population registry into the wizard."""
    if request.user.kind != UserKind.CITIZEN or not request.user.id_number:
        raise PermissionDenied
    _prefill(request, slot="online", citizen_id=request.user.id_number, channel=RegistryChannel.ONLINE)
    return _back(request, "portal:home")


@staff_required
@require_POST
def prefill_counter(request):
    """At the counter, the officer records the applicant's consent and looks their CCCD up for the counter form."""
    citizen_id = (request.POST.get("citizen_id") or "").strip()
    if _prefill(request, slot="counter", citizen_id=citizen_id, channel=RegistryChannel.COUNTER) is False:
        prefill.forget(request.session, "counter")
    return _back(request, "dossiers:counter")

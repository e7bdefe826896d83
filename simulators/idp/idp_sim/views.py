"""The provider's own pages: sign in, sign out (with back-channel logout to the relying party), test controls."""

import json
import logging
import os
import time
import uuid

import requests
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from jwcrypto import jwt
from oauth2_provider.models import get_application_model

from . import control, residents

logger = logging.getLogger(__name__)
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class ResidentLoginView(LoginView):
    template_name = "idp_sim/login.html"


def logout_token_for(application, login: str, issuer: str) -> str:
    """A signed OIDC back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.4)."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": application.client_id,
        "iat": now,
        "exp": now + 120,
        "jti": str(uuid.uuid4()),
        "sub": residents.subject(login),
        "events": {BACKCHANNEL_EVENT: {}},
    }
    key = application.jwk_key
    token = jwt.JWT(header={"typ": "logout+jwt", "alg": "RS256", "kid": key.thumbprint()}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def send_backchannel_logout(login: str, uri: str | None = None) -> list[dict]:
    """POST a logout token to every relying party that registered a back-channel logout URI."""
    from django.conf import settings

    uri = uri or os.environ.get("IDP_BACKCHANNEL_LOGOUT_URI", "")
    deliveries = []
    if not uri:
        return deliveries
    for application in get_application_model().objects.all():
        token = logout_token_for(application, login, settings.ISSUER)
        try:
            response = requests.post(uri, data={"logout_token": token}, timeout=10)
            deliveries.append({"client_id": application.client_id, "status": response.status_code})
        except requests.RequestException as exc:
            logger.warning("back-channel logout to %s failed: %s", uri, exc)
            deliveries.append({"client_id": application.client_id, "status": None})
    return deliveries


@require_http_methods(["GET", "POST"])
def resident_logout(request):
    """Signing out at the provider ends its session and every relying party's (back-channel logout)."""
    if request.method == "GET":
        return render(request, "idp_sim/logout.html", {})
    deliveries = []
    if request.user.is_authenticated:
        deliveries = send_backchannel_logout(request.user.get_username())
        logout(request)
    return render(request, "idp_sim/logged_out.html", {"deliveries": deliveries})


@csrf_exempt
@require_http_methods(["POST"])
def control_tamper(request):
    payload = json.loads(request.body or b"{}")
    mode = payload.get("mode", "")
    if mode == "reset":
        control.reset()
        return JsonResponse({"status": "reset"})
    if mode not in control.TAMPER_MODES:
        return JsonResponse({"error": "unknown_mode", "modes": sorted(control.TAMPER_MODES)}, status=400)
    control.arm(mode)
    return JsonResponse({"armed": mode})


@csrf_exempt
@require_http_methods(["POST"])
def control_backchannel_logout(request):
    """Sign a resident out at the provider as if they had pressed «Đăng xuất» there (tests, demo)."""
    payload = json.loads(request.body or b"{}")
    return JsonResponse({"deliveries": send_backchannel_logout(payload["login"], payload.get("uri"))})


def control_logout_token(request):
    """A signed logout token for `?login=` without sending it (tests post it themselves)."""
    from django.conf import settings

    application = get_application_model().objects.first()
    return JsonResponse({"logout_token": logout_token_for(application, request.GET["login"], settings.ISSUER)})


def health(request):
    return HttpResponse(b'{"status": "ok"}', content_type="application/json")

"""Every URL of the project is classified here, and an anonymous visitor gets nothing from a protected one.

Project rule: "Nobody sees what is not theirs." This module walks the whole URL configuration (`get_resolver()`,
recursively), so a route that nobody classified below makes `test_every_route_is_classified` fail: whoever adds
an endpoint must decide here whether strangers may call it. Skipped: the Django admin (its own login), static and
media files, `i18n/` (language switch) and the OpenAPI schema/docs (descriptions, no data).

Kinds:
- PUBLIC: anyone, anonymously (catalogue, agencies, working days, lookup by code + CCCD, signature verification,
  the trust anchor, the login page...). Only checked not to crash on an anonymous GET.
- PUBLIC_READ: anonymous GET allowed, every other method refused to anonymous callers.
- HMAC: server-to-server, anonymous by design but authenticated by a signature: unsigned calls are refused.
- PROTECTED: an anonymous GET and POST get 401/403/404/405 or a redirect to the login page, never data.

URL parameters are filled with real demo objects (`sec_world.ids`, see conftest.py) so a refusal is a refusal, not
a "no such object".
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC, PUBLIC_READ, HMAC, PROTECTED = "public", "public_read", "hmac", "protected"

SKIPPED_PREFIXES = ("quan-tri-he-thong/", "i18n/", "static/", "media/", "api/v1/schema/", "api/v1/docs/")

#: route name -> (kind, URL parameters). Parameters are `str.format` templates over `sec_world.ids`;
#: parameters not given here come from DEFAULT_PARAMS by name.
ROUTES: dict[str, tuple[str, dict]] = {
    # service, accounts, portal
    "healthz": (PUBLIC, {}),
    "favicon": (PUBLIC, {}),  # redirect to the static icon
    "accounts:login": (PUBLIC, {}),
    "accounts:logout": (PUBLIC, {}),
    "portal:home": (PUBLIC, {}),
    "portal:after-login": (PROTECTED, {}),
    "backoffice:home": (PROTECTED, {}),
    "api:auth-token": (PUBLIC, {}),  # POST username/password; throttled (accounts/api/views.py)
    "api:me": (PROTECTED, {}),
    "api:auth-token-list": (PROTECTED, {}),  # the caller's own tokens (accounts/api/views.py)
    "api:auth-token-revoke": (PROTECTED, {"token_id": "{missing_uuid}"}),  # owner only; others 404
    # accounts (tests/accounts/test_registration.py, test_account_pages.py): self-registration with e-mail
    # verification, password reset by e-mail (Django's token), the account's own page, officers by agency admins
    "accounts:register": (PUBLIC, {}),
    "accounts:register-business": (PUBLIC, {}),
    "accounts:registered": (PUBLIC, {}),
    "accounts:verify-email": (PUBLIC, {"token": "forged-token"}),  # GET asks to confirm; POST checks the signature
    "accounts:password-reset": (PUBLIC, {}),
    "accounts:password-reset-done": (PUBLIC, {}),
    "accounts:password-reset-confirm": (PUBLIC, {"uidb64": "MQ", "token": "forged-token"}),
    "accounts:password-reset-complete": (PUBLIC, {}),
    "accounts:profile": (PROTECTED, {}),
    "accounts:token-revoke": (PROTECTED, {"token_id": "{missing_uuid}"}),
    "accounts:officer-create": (PROTECTED, {}),
    # single sign-on (identity): the redirect to the provider, its callback (state/nonce/PKCE checked), and its
    # server-to-server back-channel logout, authenticated by the provider's signed logout token (tests/identity)
    "identity:oidc-login": (PUBLIC, {}),
    "identity:oidc-callback": (PUBLIC, {}),
    "identity:oidc-backchannel-logout": (PUBLIC, {}),
    # population registry prefill (tests/identity/test_registry_prefill.py): POST, the citizen for their own CCCD,
    # a one-stop officer at the counter; both after the applicant's consent
    "identity:prefill-online": (PROTECTED, {}),
    "identity:prefill-counter": (PROTECTED, {}),
    # agencies, working days, catalogue (public reads; writes for the Provincial Office only)
    "api:agency-list": (PUBLIC, {}),
    "api:agency-detail": (PUBLIC, {"code": "{sotp}"}),
    "api:workdays-year": (PUBLIC, {}),
    "api:workdays-add": (PUBLIC, {}),
    "api:procedure-list": (PUBLIC, {}),
    "api:procedure-detail": (PUBLIC, {"code": "{procedure}"}),
    "api:catalog-exceptions": (PUBLIC, {}),
    "api:catalog-export": (PUBLIC, {}),
    "api:catalog-import": (PROTECTED, {}),
    "api:catalog-decisions": (PUBLIC_READ, {}),
    "api:catalog-decision-publish": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:catalog-change-requests": (PROTECTED, {}),
    "api:catalog-change-request-apply": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:catalog-change-request-reject": (PROTECTED, {"uuid": "{missing_uuid}"}),
    # reorganisation plans (province roles read, the Provincial Office writes)
    "api:reorg-plans": (PROTECTED, {}),
    "api:reorg-plan-detail": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:reorg-plan-preview": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:reorg-plan-preview-xlsx": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:reorg-plan-approve": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:reorg-plan-apply": (PROTECTED, {"uuid": "{missing_uuid}"}),
    # the province admin's plan pages (tests/reorg/test_pages.py: monitor, agency admin, citizen refused)
    "reorg:plan-list": (PROTECTED, {}),
    "reorg:plan-detail": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "reorg:plan-approve": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "reorg:plan-apply": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "catalog:list": (PUBLIC, {}),
    "catalog:exceptions": (PUBLIC, {}),
    "catalog:detail": (PUBLIC, {"code": "{procedure}"}),
    "catalog:blank-form": (PUBLIC, {"code": "{procedure}", "number": "1"}),
    "catalog:online-services": (PUBLIC, {}),
    "catalog:change-requests": (PROTECTED, {}),
    # processes and queues (staff)
    "api:process-list": (PROTECTED, {}),
    "api:process-detail": (PROTECTED, {"process_id": "{process_sotp}"}),
    "api:process-steps": (PROTECTED, {"process_id": "{process_draft}"}),
    "api:process-submit": (PROTECTED, {"process_id": "{process_draft}"}),
    "api:process-review": (PROTECTED, {"process_id": "{process_draft}"}),
    "api:process-send-back": (PROTECTED, {"process_id": "{process_draft}"}),
    "api:process-approve": (PROTECTED, {"process_id": "{process_draft}"}),
    "api:process-new-version": (PROTECTED, {"process_id": "{process_sotp}"}),
    "api:process-diagram": (PROTECTED, {"process_id": "{process_sotp}"}),
    "api:dossier-processing": (PROTECTED, {"code": "{d_sotp_proc}"}),
    "api:dossier-step-action": (PROTECTED, {"code": "{d_sotp_proc}"}),
    "api:consultation-answer": (PROTECTED, {"consultation_id": "{missing_uuid}"}),
    "api:queue": (PROTECTED, {}),
    "api:queue-load": (PROTECTED, {}),
    "api:queue-assign": (PROTECTED, {}),
    "workflows:process-list": (PROTECTED, {}),
    "workflows:process-detail": (PROTECTED, {"process_id": "{process_sotp}"}),
    "workflows:process-approval": (PROTECTED, {"process_id": "{process_draft}"}),
    "workflows:process-transition": (PROTECTED, {"process_id": "{process_draft}", "transition": "submit"}),
    "workflows:queue": (PROTECTED, {}),
    "workflows:queue-assign": (PROTECTED, {}),
    "workflows:queue-filters": (PROTECTED, {}),
    "workflows:consultation-answer": (PROTECTED, {"consultation_id": "{missing_uuid}"}),
    # dossiers
    "api:upload-create": (PROTECTED, {}),
    "api:dossier-list": (PROTECTED, {}),
    "api:dossier-detail": (PROTECTED, {}),
    "api:dossier-actions": (PROTECTED, {}),
    "api:dossier-attachment": (PROTECTED, {}),
    "api:dossier-form": (PROTECTED, {"reference": "{d_sotp_proc}", "form": "receipt"}),
    "api:dossier-lookup": (PUBLIC, {}),  # code + CCCD, same 404 for both mistakes, rate-limited
    "dossiers:submit": (PROTECTED, {"procedure_code": "{procedure}"}),
    "dossiers:draft-edit": (PROTECTED, {}),
    "dossiers:review": (PROTECTED, {}),
    "dossiers:my-list": (PROTECTED, {}),
    "dossiers:my-detail": (PROTECTED, {}),
    "dossiers:lookup": (PUBLIC, {}),
    "dossiers:counter": (PROTECTED, {}),
    "dossiers:assisted": (PROTECTED, {}),
    "dossiers:office-list": (PROTECTED, {}),
    "dossiers:office-detail": (PROTECTED, {}),
    "api:tracking-book": (PROTECTED, {"code": "{sotp}", "fmt": "pdf"}),
    # results (signed electronic result and its delivery)
    "api:dossier-result-pdf": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "api:dossier-result": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "api:dossier-result-delivery": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "api:dossier-result-sent": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "api:dossier-result-delivered": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "results:result": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "results:preview": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "results:signed-inline": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "results:draft": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    # wallet (the citizen's stored documents)
    "api:wallet-list": (PROTECTED, {}),
    "api:wallet-item-file": (PROTECTED, {"item": "{wallet_item}"}),
    "wallet:list": (PROTECTED, {}),
    # payments
    "api:dossier-payments": (PROTECTED, {"code": "{d_sotp_proc}"}),
    "api:dossier-fees": (PROTECTED, {"code": "{d_sotp_proc}"}),
    "api:dossier-payment-request": (PROTECTED, {"code": "{d_sotp_proc}"}),
    "api:payment-callback": (HMAC, {}),
    "api:postal-callback": (HMAC, {}),
    "api:payment-detail": (PROTECTED, {"uuid": "{payment}"}),
    "api:receipt-pdf": (PROTECTED, {"uuid": "{receipt}"}),
    "api:reconciliation-run": (PROTECTED, {}),
    "api:cash-book": (PROTECTED, {}),  # the agency's staff; others 403 (tests/payments/test_desk_collection)
    "api:reconciliation-detail": (PROTECTED, {"uuid": "{reconciliation}"}),
    "api:reconciliation-export": (PROTECTED, {"uuid": "{reconciliation}"}),
    "payments:pay": (PROTECTED, {"code": "{d_sotp_proc}"}),
    "payments:return": (PROTECTED, {"uuid": "{payment}"}),
    "payments:check": (PROTECTED, {"uuid": "{payment}"}),  # POST «Kiểm tra lại»: asks the platform, settles
    "payments:reconciliation": (PROTECTED, {}),
    "payments:cash-book": (PROTECTED, {}),  # the agency's staff; others 403/404 (tests/payments/test_desk_collection)
    "payments:reconciliation-detail": (PROTECTED, {"uuid": "{reconciliation}"}),
    # signing
    "api:signature-verify": (PUBLIC, {}),  # multipart PDF; size-checked and rate-limited
    "api:signing-ca-pem": (PUBLIC, {}),
    "api:signing-certificate-list": (PROTECTED, {}),
    "signing:verify": (PUBLIC, {}),
    # guidance: the assistant, life events, guides/FAQ/news (edited by the province admin), the outreach survey
    "api:assistant": (PUBLIC, {}),  # rate-limited per client (guidance/throttling.py)
    "api:life-events": (PUBLIC, {}),
    "api:content-list": (PUBLIC_READ, {}),
    "api:content-detail": (PUBLIC_READ, {"slug": "sinh-con-can-lam-gi"}),
    "api:survey-submit": (PUBLIC, {}),  # anonymous POST by design, rate-limited; GET is 405
    "api:survey-summary": (PROTECTED, {}),
    "guidance:assistant": (PUBLIC, {}),
    "guidance:life-event": (PUBLIC, {"slug": "sinh-con"}),
    "guidance:content-list": (PUBLIC, {}),
    "guidance:content-detail": (PUBLIC, {"slug": "sinh-con-can-lam-gi"}),
    "guidance:survey": (PUBLIC, {}),
    "guidance:content-new": (PROTECTED, {}),
    "guidance:survey-results": (PROTECTED, {}),
    "guidance:content-edit": (PROTECTED, {"slug": "sinh-con-can-lam-gi"}),
    # integration platform (issue 14): province admin's outbox; the national portal's signed push; webhooks
    "api:integrations-outbox": (PROTECTED, {}),
    "api:integrations-redrive": (PROTECTED, {"id": "{missing_uuid}"}),
    "api:integrations-inbound": (PROTECTED, {}),
    "api:integrations-national-portal-push": (HMAC, {}),
    "api:integrations-webhooks": (PROTECTED, {}),
    "api:integrations-ministry-transfer": (PROTECTED, {}),
    "api:integrations-ministry-result": (HMAC, {"system": "bo-tu-phap"}),
    "api:integrations-webhook-deliveries": (PROTECTED, {"id": "{missing_uuid}"}),
    "integrations:outbox": (PROTECTED, {}),
    "integrations:redrive": (PROTECTED, {"id": "{missing_uuid}"}),
    "integrations:inbound": (PROTECTED, {}),
    "integrations:templates": (PROTECTED, {}),
    "integrations:template-edit": (PROTECTED, {"event": "accepted", "channel": "email"}),
    "integrations:webhooks": (PROTECTED, {}),
    "integrations:webhook-detail": (PROTECTED, {"id": "{missing_uuid}"}),
    "integrations:preference": (PROTECTED, {}),
    # monitoring (reports: monitors and the province admin the province, officers their agency) and feedback
    "api:report-procedures": (PROTECTED, {}),
    "api:report-procedure-items": (PROTECTED, {}),
    "api:report-dossiers": (PROTECTED, {}),
    "api:report-dossier-items": (PROTECTED, {}),
    "api:report-targets": (PROTECTED, {}),
    "api:report-scorecard": (PROTECTED, {}),
    "api:report-monthly-list": (PROTECTED, {}),
    "api:report-monthly-province": (PROTECTED, {}),
    "api:report-monthly-detail": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:report-monthly-annotate": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:report-monthly-submit": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:report-waits": (PROTECTED, {}),
    "api:report-public": (PUBLIC_READ, {}),
    "monitoring:dashboard": (PROTECTED, {}),
    "monitoring:figure-list": (PROTECTED, {}),
    "monitoring:public": (PUBLIC, {}),  # the province's headline figures (transparency): GET only
    # the monthly reporting cycle's pages (tests/monitoring/test_monthly_pages.py): agency staff and the monitor
    "monitoring:monthly-list": (PROTECTED, {}),
    "monitoring:monthly-province": (PROTECTED, {}),  # monitor, province admin only
    "monitoring:monthly-detail": (PROTECTED, {"uuid": "{missing_uuid}"}),
    # ratings and feedback pages (tests/feedback/test_pages.py): the owner rates their finished dossier; staff see
    # their agencies' ratings and feedback and answer them; anyone files feedback; the published answers are public
    "feedback:rate": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    "feedback:ratings": (PROTECTED, {}),
    "feedback:public": (PUBLIC, {}),
    "feedback:create": (PUBLIC, {}),  # anyone, anonymous with a contact (POST throttled per address)
    "feedback:office-list": (PROTECTED, {}),
    "feedback:policy": (PROTECTED, {}),  # province admin only (tests/feedback/test_pages.py)
    "feedback:detail": (PROTECTED, {"uuid": "{missing_uuid}"}),
    "api:dossier-rating": (PROTECTED, {"reference": "{d_vanlam_c2_done}"}),
    # anyone files a phản ánh / kiến nghị (POST, throttled per address); anonymous GET: the published ones only
    "api:feedback-list": (PUBLIC, {}),
    "api:feedback-public": (PUBLIC_READ, {}),
    "api:feedback-policy": (PROTECTED, {}),
    "api:feedback-answer": (PROTECTED, {"uuid": "{missing_uuid}"}),
}

#: URL parameters by name, when the route does not say otherwise.
DEFAULT_PARAMS = {
    "reference": "{d_sotp_new}",
    "attachment": "{attachment}",
    "draft": "{draft}",
    "code": "{d_sotp_new}",
    "uuid": "{missing_uuid}",
    "process_id": "{process_sotp}",
    "procedure_code": "{procedure}",
}

REFUSED = {401, 403, 404, 405}
LOGIN_PREFIX = "/tai-khoan/dang-nhap/"
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or prefix + route)
            yield name, prefix + route, entry


def project_routes() -> dict[str, tuple[str, URLPattern]]:
    routes = {}
    for name, route, entry in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        routes[name] = (route, entry)
    return routes


def fill(route: str, params: dict, ids: dict) -> str:
    def value(match):
        template = params.get(match["name"], DEFAULT_PARAMS.get(match["name"]))
        assert template is not None, f"no value for URL parameter <{match['name']}> of {route}: add it to the route"
        return template.format(**ids)

    return "/" + _PARAM.sub(value, route)


def test_every_route_is_classified():
    routes = project_routes()
    unclassified = sorted(set(routes) - set(ROUTES))
    assert not unclassified, (
        "Routes nobody classified (add them to ROUTES in tests/security/test_route_matrix.py as PUBLIC, "
        f"PUBLIC_READ, HMAC or PROTECTED, and give them a refusal test): {unclassified}"
    )
    stale = sorted(set(ROUTES) - set(routes))
    assert not stale, f"ROUTES names routes that no longer exist (remove them): {stale}"


def test_the_walk_finds_nested_namespaces_and_parameters():
    routes = project_routes()
    assert routes["api:dossier-attachment"][0] == "api/v1/dossiers/<str:reference>/attachments/<uuid:attachment>/"
    assert "quan-tri-he-thong/" not in "".join(route for route, _ in routes.values())


def test_views_that_allow_anyone_are_classified_public():
    """A DRF view with `AllowAny` (the project default!) must be a deliberate PUBLIC/PUBLIC_READ/HMAC route."""
    from rest_framework.permissions import AllowAny

    open_views = []
    for name, (_route, entry) in project_routes().items():
        view_class = getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
        permissions = getattr(view_class, "permission_classes", None)
        if permissions is not None and AllowAny in permissions and ROUTES.get(name, (PROTECTED,))[0] == PROTECTED:
            open_views.append(name)
    assert not open_views, f"AllowAny views classified PROTECTED (or unclassified): {open_views}"


def _protected_cases():
    return [pytest.param(name, id=name) for name, (kind, _) in ROUTES.items() if kind in (PROTECTED, PUBLIC_READ)]


def _assert_refused(response, what: str) -> None:
    if response.status_code in (301, 302, 303):
        assert response["Location"].startswith(LOGIN_PREFIX), f"{what}: redirected to {response['Location']}"
        return
    assert response.status_code in REFUSED, f"{what}: anonymous got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", _protected_cases())
def test_anonymous_is_refused(world, name):
    kind, params = ROUTES[name]
    routes = project_routes()
    if name not in routes:
        pytest.fail(f"{name} is classified but no longer routed")
    url = fill(routes[name][0], params, world.ids)
    client = Client()
    if kind == PROTECTED:
        _assert_refused(client.get(url), f"GET {url}")
    else:
        assert client.get(url).status_code == 200, f"GET {url} should be public"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, data={} if method == "post" else "{}", content_type="application/json")
        _assert_refused(response, f"{method.upper()} {url}")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n, (k, _) in ROUTES.items() if k == PUBLIC])
def test_public_routes_answer_anonymous_visitors_without_crashing(world, name):
    routes = project_routes()
    url = fill(routes[name][0], ROUTES[name][1], world.ids)
    response = Client().get(url)
    assert response.status_code < 500, f"GET {url}: {response.status_code}"
    assert response.status_code not in (401, 403), f"public {url} refused an anonymous visitor"


@pytest.mark.django_db
def test_unsigned_payment_callbacks_are_refused(world):
    routes = project_routes()
    for name, (kind, params) in ROUTES.items():
        if kind != HMAC:
            continue
        url = fill(routes[name][0], params, world.ids)
        response = Client().post(url, data=b'{"status": "success"}', content_type="application/json")
        assert response.status_code == 403 and response.json()["code"] == "invalid_signature", url
        forged = Client().post(
            url, data=b'{"status": "success"}', content_type="application/json", headers={"X-Signature": "0" * 64}
        )
        assert forged.status_code == 403, url


def test_the_api_fails_closed_when_a_view_names_no_permission():
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.views import APIView

    assert [type(permission) for permission in APIView().get_permissions()] == [IsAuthenticated]

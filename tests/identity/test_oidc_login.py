"""Single sign-on with the national identity provider, over HTTP against the local provider (simulators/idp)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from dichvucong.accounts.models import User, UserKind
from dichvucong.audit.models import AuditEntry
from dichvucong.identity.models import ExternalIdentity
from tests.identity.sso import sign_in_at_provider

pytestmark = pytest.mark.django_db


def _error_code(response) -> str:
    page = response.content.decode()
    return page.split('data-error-code="', 1)[1].split('"', 1)[0]


class TestAuthorizationRequest:
    def test_redirect_carries_state_nonce_and_a_pkce_challenge(self, oidc_settings, client):
        response = client.get("/tai-khoan/vneid/")
        assert response.status_code == 302
        url = urlsplit(response["Location"])
        assert response["Location"].startswith(oidc_settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert query["response_type"] == "code"
        assert query["client_id"] == "dichvucong"
        assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
        assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
        assert query["redirect_uri"] == "http://testserver/tai-khoan/vneid/callback/"
        stored = client.session["oidc_states"][query["state"]]
        assert stored["nonce"] == query["nonce"] and stored["code_verifier"]

    def test_disabled_sso_is_404(self, settings, client):
        settings.OIDC_ENABLED = False
        assert client.get("/tai-khoan/vneid/").status_code == 404
        assert client.get("/tai-khoan/vneid/callback/?code=x&state=y").status_code == 404

    def test_login_page_offers_sso(self, oidc_settings, client):
        page = client.get("/tai-khoan/dang-nhap/").content.decode()
        assert 'href="/tai-khoan/vneid/"' in page


class TestFullLogin:
    def test_existing_citizen_is_linked_by_cccd_not_duplicated(self, demo, oidc_settings, client):
        before = User.objects.count()
        callback, _ = sign_in_at_provider(client, login="033090001234")
        response = client.get(callback)
        assert response.status_code == 302
        citizen = User.objects.get(username="citizen")
        assert client.session["_auth_user_id"] == str(citizen.pk)
        assert User.objects.count() == before
        link = ExternalIdentity.objects.get(user=citizen)
        assert link.issuer == oidc_settings.OIDC_OP_ISSUER and link.identifier == "033090001234"
        assert AuditEntry.objects.filter(action="identity.link", object_id=str(citizen.uuid)).exists()
        # The provider knows the same e-mail: the local password keeps working.
        assert citizen.check_password("demo")
        # Signed in: the portal greets them.
        assert "Nguyễn Văn An" in client.get("/", follow=True).content.decode()

    def test_second_login_uses_the_link(self, demo, oidc_settings, client):
        client.get(sign_in_at_provider(client)[0])
        client.logout()
        client.get(sign_in_at_provider(client)[0])
        assert ExternalIdentity.objects.filter(identifier="033090001234").count() == 1
        assert AuditEntry.objects.filter(action="identity.login").exists()

    def test_unknown_resident_gets_a_new_citizen_account(self, db, oidc_settings, client):
        callback, _ = sign_in_at_provider(client, login="033092005678")
        assert client.get(callback).status_code == 302
        user = User.objects.get(id_number="033092005678")
        assert user.kind == UserKind.CITIZEN and user.full_name == "Phạm Văn Dũng"
        assert not user.has_usable_password() and user.email_verified_at is not None
        assert str(user.date_of_birth) == "1992-08-30"
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_business_is_linked_by_tax_code(self, demo, oidc_settings, client):
        callback, _ = sign_in_at_provider(client, login="0900100102")
        client.get(callback)
        business = User.objects.get(username="doanhnghiep")
        assert client.session["_auth_user_id"] == str(business.pk)
        assert ExternalIdentity.objects.get(user=business).identifier == "0900100102"

    def test_new_business_account(self, db, oidc_settings, client):
        client.get(sign_in_at_provider(client, login="0900200308")[0])
        business = User.objects.get(tax_code="0900200308")
        assert business.kind == UserKind.BUSINESS
        assert business.organisation_name == "Hợp tác xã Nông nghiệp Văn Giang"

    def test_a_staff_account_with_the_same_cccd_is_never_reached(self, db, oidc_settings, client):
        from tests.factories import StaffFactory

        StaffFactory(username="officer.an", id_number="033090001234")
        callback, _ = sign_in_at_provider(client)
        response = client.get(callback)
        assert response.status_code == 400 and _error_code(response) == "staff_account_local_only"
        assert "_auth_user_id" not in client.session
        assert not ExternalIdentity.objects.exists()

    def test_logout_ends_the_provider_session_too(self, demo, oidc_settings, client):
        callback, browser = sign_in_at_provider(client)
        client.get(callback)
        response = client.post("/tai-khoan/dang-xuat/")
        assert response.status_code == 302
        logout_url = response["Location"]
        assert logout_url.startswith(oidc_settings.OIDC_OP_END_SESSION_ENDPOINT)
        assert "id_token_hint=" in logout_url
        assert "_auth_user_id" not in client.session
        # The browser follows to the provider, which ends its own session and sends it back to the portal.
        back = browser.get(logout_url, allow_redirects=False, timeout=20)
        assert back.status_code == 302 and back.headers["Location"] == "http://testserver/"
        # The provider's session is over: authorizing again asks for the password.
        again = browser.get(client.get("/tai-khoan/vneid/")["Location"], allow_redirects=False, timeout=20)
        assert again.status_code == 302 and "/dang-nhap/" in again.headers["Location"]


class TestBadAnswers:
    @pytest.mark.parametrize(
        ("mode", "code"),
        [
            ("forged_signature", "id_token_bad_signature"),
            ("expired", "id_token_expired"),
            ("wrong_audience", "id_token_wrong_audience"),
            ("wrong_nonce", "id_token_wrong_nonce"),
            ("wrong_issuer", "id_token_wrong_issuer"),
        ],
    )
    def test_tampered_id_token_is_refused_and_nothing_is_created(
        self, db, oidc_settings, identity_provider, client, mode, code
    ):
        users = User.objects.count()
        callback, _ = sign_in_at_provider(client, login="033092005678")
        identity_provider.tamper_next_id_token(mode)
        response = client.get(callback)
        assert response.status_code == 400
        assert _error_code(response) == code
        assert "_auth_user_id" not in client.session
        assert User.objects.count() == users
        assert not ExternalIdentity.objects.exists()

    def test_the_provider_enforces_pkce(self, db, oidc_settings, client):
        """A stolen code is useless without the verifier: exchanged with another one, the provider refuses it."""
        callback, _ = sign_in_at_provider(client, login="033092005678")
        state = parse_qs(urlsplit(callback).query)["state"][0]
        session = client.session
        session["oidc_states"][state]["code_verifier"] = "x" * 64
        session.save()
        response = client.get(callback)
        assert response.status_code == 400 and _error_code(response) == "token_exchange_failed"
        assert not User.objects.filter(id_number="033092005678").exists()

    def test_replayed_callback_is_refused(self, db, oidc_settings, client):
        callback, _ = sign_in_at_provider(client, login="033092005678")
        assert client.get(callback).status_code == 302
        client.logout()
        response = client.get(callback)
        assert response.status_code == 400 and _error_code(response) == "state_mismatch"

    def test_state_from_another_browser_is_refused(self, db, oidc_settings, client, django_user_model):
        from django.test import Client

        callback, _ = sign_in_at_provider(client, login="033092005678")
        response = Client().get(callback)
        assert response.status_code == 400 and _error_code(response) == "state_mismatch"
        assert not django_user_model.objects.filter(id_number="033092005678").exists()

    def test_provider_error_answer(self, db, oidc_settings, client):
        client.get("/tai-khoan/vneid/")
        state = next(iter(client.session["oidc_states"]))
        response = client.get(f"/tai-khoan/vneid/callback/?error=access_denied&state={state}")
        assert response.status_code == 400 and _error_code(response) == "provider_refused"
        assert state not in client.session["oidc_states"]

    def test_provider_down(self, db, oidc_settings, client):
        callback, _ = sign_in_at_provider(client, login="033092005678")
        from tests.identity.conftest import point_settings_at

        point_settings_at(oidc_settings, "http://127.0.0.1:9")  # nothing listens on the discard port
        response = client.get(callback)
        assert response.status_code == 502 and _error_code(response) == "provider_unavailable"
        assert not User.objects.filter(id_number="033092005678").exists()

    def test_answer_for_another_person_linked_account(self, demo, oidc_settings, identity_provider, client):
        """A link exists for a subject; the provider now says this subject has another CCCD: refused."""
        client.get(sign_in_at_provider(client, login="033090001234")[0])
        client.logout()
        callback, _ = sign_in_at_provider(client, login="033090001234")
        identity_provider.tamper_next_id_token("other_person_same_subject")
        response = client.get(callback)
        assert response.status_code == 400 and _error_code(response) == "identity_mismatch"
        assert not User.objects.filter(id_number="033092005678").exists()


def test_the_logout_redirect_to_the_provider_is_allowed_by_the_csp(client, db):
    """The logout form's redirect goes to the provider's end-session endpoint: CSP form-action must allow it."""
    from django.conf import settings

    policy = client.get("/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert settings.OIDC_PROVIDER_URL in form_action

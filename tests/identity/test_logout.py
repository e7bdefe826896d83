"""Logout everywhere: our logout ends every session of the user; the provider's back-channel logout ends them too."""

import jwt
import pytest
from django.test import Client

from dichvucong.accounts.models import User
from dichvucong.audit.models import AuditEntry
from tests.identity.sso import sign_in_at_provider

BACKCHANNEL = "/tai-khoan/vneid/dang-xuat-kenh-sau/"


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session and client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
class TestLogoutEverywhere:
    def test_logging_out_in_one_browser_ends_the_other_browsers_sessions(self, demo):
        phone, desktop = Client(), Client()
        for browser in (phone, desktop):
            assert browser.login(username="citizen", password="demo")
            assert _signed_in(browser)
        phone.post("/tai-khoan/dang-xuat/")
        assert desktop.get("/api/v1/me/").status_code in (401, 403)
        assert "_auth_user_id" not in desktop.session
        citizen = User.objects.get(username="citizen")
        assert AuditEntry.objects.filter(action="user.sessions_end", object_id=str(citizen.uuid)).exists()
        # Signing in again works.
        assert desktop.login(username="citizen", password="demo") and _signed_in(desktop)

    def test_another_users_logout_ends_nothing_of_mine(self, demo):
        mine, theirs = Client(), Client()
        mine.login(username="citizen", password="demo")
        theirs.login(username="citizen2", password="demo")
        theirs.post("/tai-khoan/dang-xuat/")
        assert _signed_in(mine)

    def test_password_login_logout_goes_home_not_to_the_provider(self, demo, client):
        client.login(username="citizen", password="demo")
        response = client.post("/tai-khoan/dang-xuat/")
        assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
class TestBackChannelLogout:
    def test_provider_logout_token_ends_every_session_of_the_linked_account(
        self, demo, oidc_settings, identity_provider
    ):
        first, second = Client(), Client()
        first.get(sign_in_at_provider(first)[0])
        second.get(sign_in_at_provider(second)[0])
        assert _signed_in(first) and _signed_in(second)
        token = identity_provider.logout_token("033090001234")
        response = Client().post(BACKCHANNEL, {"logout_token": token})
        assert response.status_code == 200
        assert not _signed_in(first) and not _signed_in(second)
        assert AuditEntry.objects.filter(action="user.sessions_end", actor_label__startswith="oidc:").exists()
        # The same token twice: refused (jti replay).
        replay = Client().post(BACKCHANNEL, {"logout_token": token})
        assert replay.status_code == 400 and replay.json()["code"] == "logout_token_replayed"

    def test_forged_logout_token_is_refused(self, demo, oidc_settings, identity_provider):
        client = Client()
        client.get(sign_in_at_provider(client)[0])
        real = identity_provider.logout_token("033090001234")
        claims = jwt.decode(real, options={"verify_signature": False})
        header = jwt.get_unverified_header(real)
        from cryptography.hazmat.primitives.asymmetric import rsa

        forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = jwt.encode({**claims, "jti": "forged"}, forger, algorithm="RS256", headers={"kid": header["kid"]})
        response = Client().post(BACKCHANNEL, {"logout_token": forged})
        assert response.status_code == 400 and response.json()["code"] == "id_token_bad_signature"
        assert _signed_in(client)

    def test_an_id_token_is_not_a_logout_token(self, demo, oidc_settings, identity_provider):
        client = Client()
        client.get(sign_in_at_provider(client)[0])
        id_token = client.session["oidc_id_token"]
        response = Client().post(BACKCHANNEL, {"logout_token": id_token})
        assert response.status_code == 400 and response.json()["code"] in ("id_token_invalid", "logout_token_invalid")
        assert _signed_in(client)

    def test_missing_token_and_get(self, db, oidc_settings):
        assert Client().post(BACKCHANNEL, {}).status_code == 400
        assert Client().get(BACKCHANNEL).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_signing_out_at_the_provider_reaches_the_portal_over_http(live_server, oidc_settings, identity_provider):
    """The provider itself POSTs the logout token to the running portal (OIDC Back-Channel Logout 1.0)."""
    from tests.factories import CitizenFactory

    CitizenFactory(username="an", id_number="033090001234", full_name="Nguyễn Văn An")
    client = Client()
    client.get(sign_in_at_provider(client)[0])
    assert _signed_in(client)
    deliveries = identity_provider.sign_out_at_provider("033090001234", backchannel_uri=live_server.url + BACKCHANNEL)
    assert deliveries == [{"client_id": "dichvucong", "status": 200}]
    assert not _signed_in(client)

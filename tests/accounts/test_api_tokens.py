"""API token hygiene: tokens expire, their owner revokes them, only their hash is stored."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from dichvucong.accounts.models import ApiToken, hash_token_key
from dichvucong.audit.models import AuditEntry

TOKEN_URL = "/api/v1/auth/token/"
pytestmark = pytest.mark.django_db


def _obtain(api_client, username="citizen", **extra) -> dict:
    response = api_client.post(TOKEN_URL, {"username": username, "password": "demo", **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _me(api_client, key):
    return api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_only_the_hash_of_the_key_is_stored(demo, api_client):
    answer = _obtain(api_client)
    token = ApiToken.objects.get(uuid=answer["id"])
    assert token.key_hash == hash_token_key(answer["token"]) and token.prefix == answer["token"][:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert answer["token"] not in repr(rows)
    assert AuditEntry.objects.filter(action="api_token.issue").exists()


def test_a_token_expires(demo, api_client, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    answer = _obtain(api_client)
    token = ApiToken.objects.get(uuid=answer["id"])
    assert abs((token.expires_at - timezone.now()) - datetime.timedelta(hours=2)) < datetime.timedelta(minutes=1)
    assert _me(api_client, answer["token"]).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _me(api_client, answer["token"])
    assert response.status_code == 401 and response.json()["code"] == "token_expired"


def test_the_owner_lists_and_revokes_their_tokens(demo, api_client):
    first, second = _obtain(api_client, name="máy tính bảng"), _obtain(api_client)
    listing = api_client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {second['token']}").json()
    assert {row["id"] for row in listing} == {first["id"], second["id"]}
    assert all("token" not in row and "key_hash" not in row for row in listing)
    response = api_client.post(
        f"/api/v1/auth/tokens/{first['id']}/revoke/", HTTP_AUTHORIZATION=f"Token {second['token']}"
    )
    assert response.status_code == 200 and response.json()["usable"] is False
    refused = _me(api_client, first["token"])
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    assert _me(api_client, second["token"]).status_code == 200
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_revoking_someone_elses_token_is_404_and_changes_nothing(demo, api_client):
    theirs = _obtain(api_client, username="citizen2")
    mine = _obtain(api_client)
    response = api_client.post(
        f"/api/v1/auth/tokens/{theirs['id']}/revoke/", HTTP_AUTHORIZATION=f"Token {mine['token']}"
    )
    assert response.status_code == 404 and response.json()["code"] == "token_not_found"
    assert _me(api_client, theirs["token"]).status_code == 200
    listing = api_client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {mine['token']}").json()
    assert theirs["id"] not in {row["id"] for row in listing}


def test_an_officer_cannot_revoke_a_citizens_token_either(demo, api_client):
    theirs = _obtain(api_client)
    officer = _obtain(api_client, username="vanlam.head")
    response = api_client.post(
        f"/api/v1/auth/tokens/{theirs['id']}/revoke/", HTTP_AUTHORIZATION=f"Token {officer['token']}"
    )
    assert response.status_code == 404


def test_a_deactivated_account_token_stops_working(demo, api_client):
    from dichvucong.accounts.models import User

    answer = _obtain(api_client)
    User.objects.filter(username="citizen").update(is_active=False)
    assert _me(api_client, answer["token"]).status_code == 401


def test_anonymous_cannot_list_or_revoke(db, api_client):
    assert api_client.get("/api/v1/auth/tokens/").status_code == 401
    assert api_client.post("/api/v1/auth/tokens/00000000-0000-0000-0000-000000000000/revoke/").status_code == 401


def test_the_token_brings_its_user_and_roles_in_one_statement(demo, api_client):
    """docs/adr/0025: token authentication reads the token, its user and the user's active roles (with their
    agencies) in one statement; `user_role_assignments` then asks nothing more, and gives what the ORM gives."""
    from dichvucong.accounts.models import RoleAssignment, User
    from dichvucong.accounts.selectors import user_role_assignments
    from dichvucong.accounts.tokens import HashedTokenAuthentication

    officer = User.objects.filter(kind="staff", role_assignments__active=True).order_by("username").first()
    officer.set_password("demo")
    officer.save()
    key = _obtain(api_client, username=officer.username)["token"]
    expected = list(RoleAssignment.objects.active().filter(user=officer).select_related("agency"))
    assert expected
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        user, token = HashedTokenAuthentication().authenticate_credentials(key)
        roles = user_role_assignments(user)
    assert len(queries.captured_queries) == 1
    assert user == officer and token.key_hash == hash_token_key(key)
    assert [(r.pk, r.role, r.agency_id) for r in roles] == [(r.pk, r.role, r.agency_id) for r in expected]
    assert [r.agency.code for r in roles if r.agency_id] == [r.agency.code for r in expected if r.agency_id]
    citizen_key = _obtain(api_client)["token"]
    citizen, _ = HashedTokenAuthentication().authenticate_credentials(citizen_key)
    assert user_role_assignments(citizen) == []

"""Keyset lists of dossiers (docs/adr/0018-keyset-lists.md): every role walks its list by cursor, each visible row
once even while dossiers arrive; a forged cursor is 400; counts are capped; the SQL per page does not grow."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dichvucong.common import pagination
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier
from tests.conftest import auth_client

from .conftest import submit_online

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/"


def _relative(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def walk(client, url=URL, **params) -> list[str]:
    """Every code of the list, page by page through `next`."""
    codes, body = [], client.get(url, params).json()
    while True:
        codes += [row["code"] for row in body["results"]]
        if not body["next"]:
            return codes
        body = client.get(_relative(body["next"])).json()


def visible_codes(user) -> set[str]:
    return set(Dossier.objects.visible_to(user).values_list("code", flat=True))


@pytest.fixture
def dossiers(world):
    """Seven at the officer's agency (two citizens), two elsewhere, one accepted; created_at spread, two equal."""
    made = [submit_online(world, user=world.citizen if i % 2 else world.citizen2) for i in range(7)]
    made += [submit_online(world, agency_code=world.other.code) for _ in range(2)]
    services.dossier_accept(actor=world.reception, dossier=made[0])
    base = timezone.now() - datetime.timedelta(days=1)
    for i, d in enumerate(made):  # two share a created_at: the primary key breaks the tie
        Dossier.objects.filter(pk=d.pk).update(created_at=base + datetime.timedelta(minutes=min(i, 5)))
    return made


@pytest.mark.parametrize("who", ["citizen", "reception", "other_reception", "monitor", "province_admin"])
def test_walking_the_cursor_pages_returns_each_visible_dossier_once(world, dossiers, who, make_admin):
    user = make_admin() if who == "province_admin" else getattr(world, who)
    client = auth_client(user)
    codes = walk(client, page_size=2)
    assert len(codes) == len(set(codes))
    assert set(codes) == visible_codes(user)
    assert codes == list(
        Dossier.objects.visible_to(user).order_by("-created_at", "-pk").values_list("code", flat=True)
    ), "newest first, ties by primary key"


def test_rows_inserted_between_pages_are_neither_skipped_nor_repeated(world, dossiers):
    client = auth_client(world.reception)
    before = visible_codes(world.reception)
    first = client.get(URL, {"page_size": 3}).json()
    seen = [row["code"] for row in first["results"]]
    # New dossiers arrive (newest: before the cursor) and one is backdated (after it) between the pages.
    fresh = [submit_online(world) for _ in range(2)]
    late = submit_online(world)
    Dossier.objects.filter(pk=late.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    body = client.get(_relative(first["next"])).json()
    while True:
        seen += [row["code"] for row in body["results"]]
        if not body["next"]:
            break
        body = client.get(_relative(body["next"])).json()
    assert len(seen) == len(set(seen)), "no row repeated"
    assert before <= set(seen), "no row skipped"
    assert late.code in seen and not {d.code for d in fresh} & set(seen[3:])


def test_previous_goes_back_to_the_same_rows(world, dossiers):
    client = auth_client(world.monitor)
    first = client.get(URL, {"page_size": 3}).json()
    assert first["previous"] is None and first["count"] == 9 and first["count_exact"] is True
    second = client.get(_relative(first["next"])).json()
    back = client.get(_relative(second["previous"])).json()
    assert [r["code"] for r in back["results"]] == [r["code"] for r in first["results"]]
    assert "cursor=" in first["next"] and "page=" not in first["next"]


def test_page_numbers_when_asked(world, dossiers):
    client = auth_client(world.monitor)
    body = client.get(URL, {"page": 2, "page_size": 4}).json()
    assert parse_qs(urlsplit(body["next"]).query)["page"] == ["3"]
    assert body["count"] == 9 and body["count_exact"] is True and len(body["results"]) == 4
    assert client.get(URL, {"page": 9}).status_code == 404


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "eyJvIjoiLWNyZWF0ZWRfYXQscGsiLCJ2IjpbXX0:forged:signature", ""],
)
def test_a_forged_cursor_is_a_400_with_a_stable_code(world, dossiers, cursor):
    response = auth_client(world.monitor).get(URL, {"cursor": cursor or "x" * 40})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_a_tampered_or_foreign_cursor_is_refused(world, dossiers):
    client = auth_client(world.monitor)
    token = parse_qs(urlsplit(client.get(URL, {"page_size": 2}).json()["next"]).query)["cursor"][0]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(URL, {"cursor": tampered}).json()["code"] == "invalid_cursor"
    # A cursor of a list ordered otherwise (another ordering signature) is refused too.
    from django.core import signing

    foreign = signing.dumps({"o": "code,pk", "v": ["x", 1], "b": 0}, salt=pagination.CURSOR_SALT, compress=True)
    assert client.get(URL, {"cursor": foreign}).json()["code"] == "invalid_cursor"
    # Signed by us but with values of the wrong type: still a 400, never a 500.
    wrong = signing.dumps({"o": "-created_at,-pk", "v": ["yesterday", "x"], "b": 0}, salt=pagination.CURSOR_SALT)
    assert client.get(URL, {"cursor": wrong}).json()["code"] == "invalid_cursor"


def test_the_count_is_exact_up_to_the_cap_then_flagged(world, dossiers, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    client = auth_client(world.monitor)
    body = client.get(URL, {"page_size": 2}).json()
    assert body["count_exact"] is False and body["count"] >= 4
    assert walk(client, page_size=2).__len__() == 9, "the cap bounds the count, not the list"
    assert client.get(URL, {"status": "accepted"}).json() | {"results": None} == {
        "count": 1,
        "count_exact": True,
        "next": None,
        "previous": None,
        "results": None,
    }


def test_the_capped_count_reads_at_most_cap_plus_one_rows(world, dossiers):
    with CaptureQueriesContext(connection) as ctx:
        count, exact = pagination.capped_count(Dossier.objects.all(), cap=3)
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"] and not exact and count >= 3
    assert pagination.capped_count(Dossier.objects.all(), cap=100) == (9, True)


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["citizen", "reception", "monitor", "province_admin"])
def test_queries_per_page_do_not_grow_with_the_data(world, who, make_admin):
    user = make_admin() if who == "province_admin" else getattr(world, who)
    client = auth_client(user)
    for _ in range(5):
        submit_online(world)
    client.get(URL)  # the token's first use is recorded once (a write), not on every page
    small = _count_queries(client, {"page_size": 3})
    body = client.get(URL, {"page_size": 3}).json()
    small_next = _count_queries(client, parse_qs(urlsplit(body["next"]).query))
    for _ in range(35):
        submit_online(world)
    assert _count_queries(client, {"page_size": 3}) == small
    body = client.get(URL, {"page_size": 3}).json()
    assert _count_queries(client, parse_qs(urlsplit(body["next"]).query)) == small_next
    assert body["count"] == 40


@pytest.fixture
def make_admin():
    from tests.factories import StaffFactory

    return lambda: StaffFactory(roles=[("province_admin", None)])

"""`common.pagination` (ADR 0018): keyset pages over a nullable key in both directions, cursors that refuse to be
forged, the capped count and the capped paginator of the HTML pages."""

import datetime

import pytest
from django.core import signing
from django.db.models.functions import Length

from dichvucong.agencies.models import Agency
from dichvucong.common import pagination
from dichvucong.common.errors import ValidationFailed
from dichvucong.common.pagination import CappedPaginator, Keyset, capped_count, keyset_page
from tests.agencies.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(db):
    """Seven departments; four end on a day (two on the same day), three never end (NULL `valid_to`)."""
    AgencyFactory.province()
    made = [AgencyFactory.department(name=f"Sở {i}") for i in range(7)]
    ends = [datetime.date(2030, 1, 2), None, datetime.date(2030, 1, 1), None, datetime.date(2030, 1, 2), None]
    for agency, end in zip(made, [*ends, datetime.date(2031, 1, 1)], strict=True):
        Agency.objects.filter(pk=agency.pk).update(valid_to=end)
    return Agency.objects.filter(pk__in=[a.pk for a in made])


def _walk(qs, size, *, backwards_from_end=False):
    keyset = Keyset.of(qs)
    page, rows = keyset_page(qs, keyset, size=size, cursor=None), []
    while True:
        rows += page.rows
        if not page.has_next:
            break
        page = keyset_page(qs, keyset, size=size, cursor=page.next_cursor)
    if not backwards_from_end:
        return rows
    back = []
    while True:
        back = page.rows + back
        if not page.has_previous:
            return back
        page = keyset_page(qs, keyset, size=size, cursor=page.previous_cursor)


@pytest.mark.parametrize("ordering", [("valid_to",), ("-valid_to",), ("-valid_to", "name"), ("name",)])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_walking_forwards_and_backwards_gives_the_ordered_rows_once(agencies, ordering, size):
    qs = agencies.order_by(*ordering)
    expected = list(qs.order_by(*Keyset.of(qs).ordering()))
    assert _walk(qs, size) == expected
    assert _walk(qs, size, backwards_from_end=True) == expected


def test_the_ordering_is_made_unique_and_nulls_placed_explicitly(agencies):
    keyset = Keyset.of(agencies.order_by("-valid_to"))
    assert keyset.signature == "-valid_to,-pk"
    ascending = [a.valid_to for a in _walk(agencies.order_by("valid_to"), 2)]
    assert ascending[-3:] == [None, None, None], "NULLs last ascending, on SQLite as on PostgreSQL"


def test_lists_that_cannot_be_paged_by_key_use_page_numbers(agencies):
    assert Keyset.of(list(agencies)) is None
    assert Keyset.of(agencies.order_by(Length("name"))) is None
    assert Keyset.of(agencies.order_by("?")) is None
    assert Keyset.of(agencies.order_by("parent")) is None  # a relation orders by the related model's ordering


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps({"o": "name,pk", "v": ["x", 1], "b": 0}, salt="another salt"),
        signing.dumps({"o": "-valid_to,-pk", "v": ["not a date", 1], "b": 0}, salt=pagination.CURSOR_SALT),
        signing.dumps({"o": "-valid_to,-pk", "v": [None], "b": 0}, salt=pagination.CURSOR_SALT),
        signing.dumps(["not", "a", "dict"], salt=pagination.CURSOR_SALT),
    ],
    # fixed ids: a signed token carries its time, so xdist workers would collect different names
    ids=["garbage", "another-salt", "bad-value", "short-values", "not-a-dict"],
)
def test_a_forged_cursor_is_invalid_cursor(agencies, token):
    qs = agencies.order_by("-valid_to")
    with pytest.raises(ValidationFailed) as exc:
        keyset_page(qs, Keyset.of(qs), size=2, cursor=token)
    assert exc.value.code == "invalid_cursor"


def test_capped_count_and_paginator(agencies, monkeypatch):
    assert capped_count(agencies, cap=10) == (7, True)
    count, exact = capped_count(agencies, cap=5)
    assert count >= 5 and not exact
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    paginator = CappedPaginator(agencies.order_by("name"), 2)
    assert not paginator.count_exact and paginator.count >= 5 and paginator.count_label == "5"
    monkeypatch.setattr(pagination, "COUNT_CAP", 10_000)
    paginator = CappedPaginator(agencies.order_by("name"), 2)
    assert paginator.count_exact and paginator.count == 7 and paginator.num_pages == 4

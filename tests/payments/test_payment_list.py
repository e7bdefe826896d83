"""`GET /api/v1/dossiers/<code>/payments/` is a keyset list (ADR 0018): its SQL does not grow with the payments in
the database, and it keeps the list shape with `count_exact`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import auth_client

from .factories import fees_requested, make_dossier, paid_payment

pytestmark = pytest.mark.django_db


def _paid_dossier(world):
    dossier = make_dossier(procedure=world.procedure, agency=world.agency, owner=world.owner)
    fees_requested(dossier, officer=world.specialist)
    paid_payment(dossier)
    return dossier


def _queries(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).json()
    return len(ctx.captured_queries), body


@pytest.mark.parametrize("who", ["owner", "specialist"])
def test_the_payment_list_makes_the_same_queries_at_two_data_sizes(world, who):
    dossier = _paid_dossier(world)
    url = f"/api/v1/dossiers/{dossier.code}/payments/"
    client = auth_client(getattr(world, who))
    client.get(url)  # the token's first use is recorded once
    small, body = _queries(client, url)
    assert body["count"] == 1 and body["count_exact"] is True and body["next"] is None
    for _ in range(6):
        _paid_dossier(world)
    large, body = _queries(client, url)
    assert large == small and body["count"] == 1


def test_the_payment_list_is_refused_to_a_stranger_and_another_agency(world):
    dossier = _paid_dossier(world)
    url = f"/api/v1/dossiers/{dossier.code}/payments/"
    assert auth_client(world.stranger).get(url).status_code == 404
    assert auth_client(world.other_specialist).get(url).status_code == 404

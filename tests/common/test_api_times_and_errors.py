"""Times and errors in the API (issue 11, item 6): every timestamp in +07:00 (API.md), every `/api/` 404 and 400 in
the JSON error format `{code, detail, fields}` (malformed identifiers included), absurd dates and day counts a 400,
never a 500."""

import re

import pytest

from dichvucong.accounts.roles import Role
from tests.accounts.factories import StaffFactory
from tests.conftest import auth_client
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def _datetimes(value, path="$"):
    """Every ISO date-time string found in a decoded JSON document, with where it was."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _datetimes(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _datetimes(item, f"{path}[{index}]")
    elif isinstance(value, str) and ISO_DATETIME.match(value):
        yield path, value


def _assert_local(document) -> int:
    found = list(_datetimes(document))
    wrong = [(path, value) for path, value in found if not value.endswith("+07:00")]
    assert not wrong, wrong
    return len(found)


def _error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "fields"} and body["code"] and body["detail"], body
    return body


def test_every_timestamp_of_the_lookup_detail_and_history_is_in_plus_seven():
    dossier = DossierFactory(supplement_requested=True)
    lookup = auth_client(None).get(f"/api/v1/lookup/?code={dossier.code}&id_number={dossier.applicant_id_number}")
    assert lookup.status_code == 200
    assert lookup.json()["timeline"], "the lookup shows the timeline"
    assert _assert_local(lookup.json()) >= 3  # received_at + timeline entries

    officer = StaffFactory(roles=[(Role.RECEPTION, dossier.agency)])
    detail = auth_client(officer).get(f"/api/v1/dossiers/{dossier.code}/")
    assert detail.status_code == 200
    assert detail.json()["supplement_requests"] and detail.json()["history"]
    assert _assert_local(detail.json()) >= 5
    listed = auth_client(dossier.owner).get("/api/v1/dossiers/")
    assert _assert_local(listed.json()) >= 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/payments/not-a-uuid/",
        "/api/v1/receipts/not-a-uuid.pdf",
        "/api/v1/reconciliations/123/",
        "/api/v1/wallet/xyz/file/",
        "/api/v1/catalog/decisions/not-a-uuid/publish/",
        "/api/v1/no-such-endpoint/",
        "/api/v1/dossiers/NO-SUCH-CODE/",
        "/api/v1/processes/not-a-number/",
    ],
)
def test_a_malformed_identifier_is_a_json_404(path):
    officer = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    client = auth_client(officer)
    client.raise_request_exception = False
    _error(client.get(path), 404)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("start=9999-12-31&days=5", "workdays_year_out_of_range"),
        ("start=0001-01-01&days=5", "workdays_year_out_of_range"),
        ("start=2026-01-05&days=0", "workdays_invalid_days"),
        ("start=2026-01-05&days=-3", "workdays_invalid_days"),
        ("start=2026-02-30&days=1", "workdays_invalid_start"),
    ],
)
def test_absurd_working_day_queries_are_a_400(query, code):
    client = auth_client(None)
    client.raise_request_exception = False
    body = _error(client.get(f"/api/v1/workdays/add/?{query}"), 400)
    assert body["code"] == code


def test_a_tracking_book_of_year_9999_is_a_400():
    officer = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    dossier = DossierFactory()
    client = auth_client(officer)
    client.raise_request_exception = False
    url = f"/api/v1/agencies/{dossier.agency.code}/tracking-book.xlsx"
    body = _error(client.get(f"{url}?from=9999-12-31&to=9999-12-31"), 400)
    assert body["code"] == "date_out_of_range" and "from" in body["fields"]
    _error(client.get(f"{url}?from=2026-13-45"), 400)


def test_a_reconciliation_of_year_9999_is_a_400():
    dossier = DossierFactory()
    officer = StaffFactory(roles=[(Role.RECEPTION, dossier.agency)])
    client = auth_client(officer)
    client.raise_request_exception = False
    response = client.post(
        "/api/v1/reconciliations/", {"agency": dossier.agency.code, "date": "9999-12-31"}, format="json"
    )
    body = _error(response, 400)
    assert "date" in body["fields"]


def test_an_apology_dated_in_year_9999_is_a_400():
    dossier = DossierFactory(accepted=True)
    officer = StaffFactory(roles=[(Role.RECEPTION, dossier.agency)])
    client = auth_client(officer)
    client.raise_request_exception = False
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"action": "apologize", "reason": "Chờ xác minh", "new_due_date": "9999-12-31"},
        format="json",
    )
    body = _error(response, 400)
    assert "new_due_date" in body["fields"]

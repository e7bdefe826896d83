"""HTTP validators of the catalogue's procedure detail (API and page), docs/adr/0019: a 304 while nothing shown
changed, a new ETag after a catalogue decision, an agency renamed, another day."""

import datetime

import pytest
import time_machine

from dichvucong.agencies.models import Agency
from dichvucong.catalog.services import decision_create, decision_publish
from tests.catalog.conftest import load_records, procedure_record

D = datetime.date
API = "/api/v1/procedures/1.001612/"
PAGE = "/thu-tuc/1.001612/"


@pytest.fixture
def catalogue(tree, make_staff):
    load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", level=3))
    return {**tree, "admin": make_staff("province_admin")}


def publish_change(admin, payload):
    decision = decision_create(
        actor=admin,
        number="124/QĐ-UBND",
        title="Công bố",
        signed_on=D(2021, 8, 2),
        signer="Chủ tịch",
        effective_on=D(2021, 8, 5),
        changes=[{"kind": "change", "procedure_code": "1.001612", "payload": payload}],
    )
    decision_publish(actor=admin, decision=decision)


@pytest.mark.parametrize("path", [API, PAGE])
def test_unchanged_procedure_answers_304_and_a_decision_changes_the_etag(catalogue, client, path):
    client.get(path)  # the page's first visit sets the CSRF cookie (part of the page's validator)
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content and again["ETag"] == first["ETag"]
    publish_change(catalogue["admin"], {"online_level": 4, "processing_days": "2"})
    after = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]


def test_the_api_is_public_and_the_page_private(catalogue, client):
    api = client.get(API)
    assert "public" in api["Cache-Control"] and "no-cache" in api["Cache-Control"]
    page = client.get(PAGE)
    assert "private" in page["Cache-Control"]
    assert "cookie" in page["Vary"].lower()


def test_an_agency_renamed_or_another_day_changes_the_etag(catalogue, client):
    first = client.get(API)
    agency = Agency.objects.filter(code=catalogue["van_lam"].code).get()
    agency.name = agency.name + " (mới)"
    agency.save()
    renamed = client.get(API, HTTP_IF_NONE_MATCH=first["ETag"])
    assert renamed.status_code == 200
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)):
        assert client.get(API, HTTP_IF_NONE_MATCH=renamed["ETag"]).status_code == 200
    as_of = client.get(API, {"as_of": "2021-06-01"}, HTTP_IF_NONE_MATCH=renamed["ETag"])
    assert as_of.status_code == 200 and as_of["ETag"] != renamed["ETag"]


def test_a_304_reads_one_query(catalogue, client, django_assert_num_queries):
    first = client.get(API)
    with django_assert_num_queries(1):
        assert client.get(API, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_unknown_procedure_is_still_404(catalogue, client):
    assert client.get("/api/v1/procedures/9.999999/", HTTP_IF_NONE_MATCH='"x"').status_code == 404
    assert client.get("/thu-tuc/9.999999/").status_code == 404

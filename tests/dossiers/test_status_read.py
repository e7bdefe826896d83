"""The status read `GET /api/v1/dossiers/<code>/` and the public lookup (docs/adr/0019): the same answer as the
full read it replaces, in a constant number of queries, with ETag / Last-Modified and a 304 only for those who may
see the dossier."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.common.api.renderers import LocalTimeJSONRenderer as JSONRenderer
from dichvucong.dossiers import services
from dichvucong.dossiers.api.serializers import DossierDetailSerializer, LookupSerializer, dossier_detail_data
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.selectors import (
    dossier_detail_queryset,
    dossier_get_for,
    dossier_status_head,
    dossier_status_load,
)
from dichvucong.dossiers.services import record_event
from dichvucong.payments.models import Payment
from dichvucong.workdays.calendar import add_working_days
from tests.accounts.factories import auth_client
from tests.dossiers.factories import DossierFactory, officers_at, upload
from tests.payments.factories import fees_requested, paid_payment
from tests.workflows.factories import ApprovedProcessFactory

pytestmark = pytest.mark.django_db
LOOKUP = "/api/v1/lookup/"
# An office morning: online dossiers sent after 16:30 local are received the next working day (ADR 0011).
MORNING = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _office_morning():
    with time_machine.travel(MORNING, tick=True):
        yield


def url(dossier):
    return f"/api/v1/dossiers/{dossier.reference}/"


def as_json(data) -> dict:
    return json.loads(JSONRenderer().render(data))


def supplemented(dossier, officers):
    """A supplement round: the desk asks, the owner sends one more file (the dossier resumes)."""
    dossier = services.dossier_request_supplement(
        actor=officers[Role.RECEPTION], dossier=dossier, items=["Bản sao CCCD có chứng thực"]
    )
    owner = dossier.owner
    return services.dossier_supplement(
        actor=owner, dossier=dossier, attachments=[str(upload(owner).uuid)], note="Đã bổ sung"
    )


def dossier_in(state: str) -> Dossier:
    if state == "processing_with_run":
        agency_dossier = DossierFactory(accepted=True)
        ApprovedProcessFactory(procedure=agency_dossier.procedure, agency=agency_dossier.agency)
        officers = officers_at(agency_dossier.agency)
        dossier = services.dossier_start_processing(actor=officers[Role.RECEPTION], dossier=agency_dossier)
        return Dossier.objects.get(pk=dossier.pk)
    if state == "refused":
        dossier = DossierFactory()
        officers = officers_at(dossier.agency)
        return services.dossier_refuse(actor=officers[Role.RECEPTION], dossier=dossier, reason="Sai thủ tục")
    if state == "supplemented_and_paid":
        dossier = DossierFactory(paid=True)
        return Dossier.objects.get(pk=supplemented(dossier, officers_at(dossier.agency)).pk)
    if state == "supplement_requested":
        return DossierFactory(supplement_requested=True, counter=True)
    return DossierFactory(returned=True)  # finished, result returned


STATES = ["processing_with_run", "returned", "refused", "supplemented_and_paid", "supplement_requested"]


@pytest.mark.parametrize("state", STATES)
def test_status_read_answers_as_the_full_read_did(state):
    dossier = dossier_in(state)
    for user in (dossier.owner, officers_at(dossier.agency)[Role.RECEPTION]):
        if user is None:
            continue
        before = as_json(DossierDetailSerializer(dossier_get_for(user=user, reference=dossier.reference)).data)
        response = auth_client(user).get(url(dossier))
        assert response.status_code == 200
        assert response.json() == before
        assert before["history"] and before["attachments"] or before["received_documents"]


def _apologised() -> Dossier:
    dossier = DossierFactory(accepted=True)
    leader = officers_at(dossier.agency)[Role.LEADER]
    new_date = add_working_days(timezone.localdate(), 30)
    return services.dossier_apologize(actor=leader, dossier=dossier, reason="Cần xác minh thêm", new_due_date=new_date)


@pytest.mark.parametrize("state", [*STATES, "apologised", "draft"])
@pytest.mark.parametrize("with_children", [True, False], ids=["one_round_trip", "head_then_body"])
def test_the_hand_made_body_is_the_serializers_to_the_byte(state, with_children):
    """ADR 0025: `dossier_detail_data` (the status read's body) renders exactly as `DossierDetailSerializer` on the
    full read, keys in the same order, whichever way the rows were read."""
    if state == "apologised":
        dossier = _apologised()
    elif state == "draft":
        dossier = DossierFactory(draft=True)
    else:
        dossier = dossier_in(state)
    owner = dossier.owner
    full = DossierDetailSerializer(dossier_get_for(user=owner, reference=dossier.reference)).data
    lean = dossier_status_load(
        dossier_status_head(user=owner, reference=dossier.reference, with_children=with_children)
    )
    renderer = JSONRenderer()
    assert renderer.render(dossier_detail_data(lean)) == renderer.render(full)
    if state == "apologised":
        assert full["apology"]["reason"] == "Cần xác minh thêm"


@pytest.mark.parametrize("state", STATES)
def test_lookup_answers_as_the_full_read_did(state):
    dossier = dossier_in(state)
    full = dossier_detail_queryset(Dossier.objects.submitted()).get(pk=dossier.pk)
    before = as_json(LookupSerializer(full).data)
    response = auth_client(None).get(LOOKUP, {"code": dossier.code, "id_number": dossier.applicant_id_number})
    assert response.status_code == 200
    assert response.json() == before
    assert len(before["timeline"]) >= 2


def _queries(client, path, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as context:
        assert client.get(path, params).status_code == 200
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_history(django_assert_max_num_queries):
    small = DossierFactory(processing=True)
    large = DossierFactory(processing=True, agency=small.agency, procedure=small.procedure)
    officers = officers_at(large.agency)
    for number in range(27):
        services.dossier_set_current_step(actor=officers[Role.SPECIALIST], dossier=large, step=f"Bước {number}")
    for _ in range(4):
        large = supplemented(large, officers)
    large = Dossier.objects.get(pk=large.pk)
    assert small.events.count() <= 4 and large.events.count() >= 30
    reader = officers[Role.RECEPTION]
    counts = {}
    for dossier in (small, large):
        client = auth_client(reader)
        client.get(url(dossier))  # the token's and roles' first reads aside
        read = _queries(client, url(dossier), {}, django_assert_max_num_queries)
        lookup = _queries(
            auth_client(None),
            LOOKUP,
            {"code": dossier.code, "id_number": dossier.applicant_id_number},
            django_assert_max_num_queries,
        )
        counts[dossier.pk] = (read, lookup)
    assert counts[small.pk] == counts[large.pk]
    read, lookup = counts[small.pk]
    assert lookup == 2  # the dossier with its procedure and agency; its history
    # (The client is force-authenticated and the roles are cached on its user: no token statement here; token
    # authentication reads token, user and roles in one, tests/accounts/test_api_tokens.py.) The dossier with its
    # procedure, agency and apology, and its four lists: in the same round trip on PostgreSQL, a statement of their
    # own on SQLite (docs/adr/0025).
    assert read == (1 if connection.vendor == "postgresql" else 2)


def test_query_counts_do_not_grow_with_payments(django_assert_max_num_queries):
    one = DossierFactory(paid=True)
    five = DossierFactory(paid=True, agency=one.agency, procedure=one.procedure)
    first = five.payments.get()
    for number in range(4):  # earlier attempts that failed (one assessment, several payments)
        Payment.objects.create(
            dossier=five,
            assessment=first.assessment,
            agency=five.agency,
            payer=five.owner,
            amount=first.amount,
            currency=first.currency,
            gateway_txn_id=f"TEST-FAILED-{five.pk}-{number}",
            status="failed",
        )
    assert five.payments.count() == 5
    counts = []
    for dossier in (one, five):
        client = auth_client(dossier.owner)
        client.get(url(dossier))
        counts.append(
            (
                _queries(client, url(dossier), {}, django_assert_max_num_queries),
                _queries(
                    auth_client(None),
                    LOOKUP,
                    {"code": dossier.code, "id_number": dossier.applicant_id_number},
                    django_assert_max_num_queries,
                ),
            )
        )
    assert counts[0] == counts[1]


# --- HTTP caching ---------------------------------------------------------------------------------------------


def conditional(client, path, response, params=None):
    return client.get(path, params or {}, HTTP_IF_NONE_MATCH=response["ETag"])


def test_status_read_is_private_and_answers_304_when_unchanged_without_rendering(django_assert_max_num_queries):
    dossier = DossierFactory(accepted=True)
    client = auth_client(dossier.owner)
    first = client.get(url(dossier))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    vary = {v.strip().lower() for v in first["Vary"].split(",")}
    assert {"authorization", "cookie"} <= vary
    with django_assert_max_num_queries(20) as full:
        client.get(url(dossier))
    with django_assert_max_num_queries(len(full.captured_queries)) as revalidated:
        second = conditional(client, url(dossier), first)
    # Nothing rendered: the body's four lists are not read (ADR 0025: a request with a validator reads the head only).
    assert not any("dossiers_attachment" in query["sql"] for query in revalidated.captured_queries)
    assert any("dossiers_attachment" in query["sql"] for query in full.captured_queries)
    assert second.status_code == 304 and not second.content
    assert second["ETag"] == first["ETag"] and "private" in second["Cache-Control"]
    by_date = client.get(url(dossier), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304


def _after(change, dossier, officers):
    if change == "transition":
        services.dossier_start_processing(actor=officers[Role.RECEPTION], dossier=dossier)
    elif change == "payment":
        fees_requested(dossier, officer=officers[Role.SPECIALIST])
    elif change == "paid":
        paid_payment(dossier)
    elif change == "supplement":
        services.dossier_request_supplement(actor=officers[Role.RECEPTION], dossier=dossier, items=["Bản sao"])
    elif change == "result":
        services.dossier_mark_processed(actor=officers[Role.SPECIALIST], dossier=dossier)
    elif change == "history_only":  # an event written without saving the dossier (e.g. a result back at the desk)
        record_event(
            dossier=dossier,
            actor=officers[Role.CLERK],
            action="result_back_to_desk",
            from_status=dossier.status,
            to_status=dossier.status,
        )


@pytest.mark.parametrize(
    "trait,change",
    [
        ("accepted", "transition"),
        ("processing", "payment"),
        ("payment_requested", "paid"),
        ("processing", "supplement"),
        ("processing", "result"),
        ("processing", "history_only"),
    ],
)
def test_a_change_gives_a_200_with_another_validator(trait, change):
    dossier = DossierFactory(**{trait: True})
    officers = officers_at(dossier.agency)
    client = auth_client(dossier.owner)
    lookup_params = {"code": dossier.code, "id_number": dossier.applicant_id_number}
    first = client.get(url(dossier))
    first_lookup = auth_client(None).get(LOOKUP, lookup_params)
    assert conditional(client, url(dossier), first).status_code == 304
    assert conditional(auth_client(None), LOOKUP, first_lookup, lookup_params).status_code == 304
    _after(change, Dossier.objects.get(pk=dossier.pk), officers)
    again = conditional(client, url(dossier), first)
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert again.json() == client.get(url(dossier)).json()
    lookup = conditional(auth_client(None), LOOKUP, first_lookup, lookup_params)
    assert lookup.status_code == 200 and lookup["ETag"] != first_lookup["ETag"]


def test_the_validator_moves_with_the_clock_when_the_dossier_becomes_overdue():
    dossier = DossierFactory(processing=True)
    client = auth_client(dossier.owner)
    first = client.get(url(dossier))
    assert first.json()["overdue"] is False
    with time_machine.travel(dossier.due_at + datetime.timedelta(hours=1)):
        later = conditional(client, url(dossier), first)
        assert later.status_code == 200 and later.json()["overdue"] is True
        assert client.get(url(dossier), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


@pytest.mark.parametrize("who", ["citizen", "other_reception", "anonymous"])
def test_no_304_for_someone_who_may_not_see_the_dossier(who):
    from tests.accounts.factories import CitizenFactory, StaffFactory
    from tests.agencies.factories import AgencyFactory

    dossier = DossierFactory(accepted=True)
    first = auth_client(dossier.owner).get(url(dossier))
    stranger = {
        "citizen": CitizenFactory,
        "other_reception": lambda: StaffFactory(roles=[(Role.RECEPTION, AgencyFactory.department())]),
        "anonymous": lambda: None,
    }[who]()
    response = conditional(auth_client(stranger), url(dossier), first)
    assert response.status_code in (401, 403, 404) if stranger is None else response.status_code == 404
    assert not response.has_header("ETag")
    by_date = auth_client(stranger).get(url(dossier), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code != 304


def test_lookup_304_only_for_the_right_pair():
    dossier = DossierFactory(accepted=True)
    params = {"code": dossier.code, "id_number": dossier.applicant_id_number}
    first = auth_client(None).get(LOOKUP, params)
    assert first.status_code == 200 and "private" in first["Cache-Control"]
    assert conditional(auth_client(None), LOOKUP, first, params).status_code == 304
    wrong = {
        "code": dossier.code,
        "id_number": "001099000001" if params["id_number"] != "001099000001" else "001099000002",
    }
    response = conditional(auth_client(None), LOOKUP, first, wrong)
    assert response.status_code in (400, 404) and not response.has_header("ETag")


def test_lookup_page_reads_two_queries(client, django_assert_max_num_queries):
    dossier = DossierFactory(processing=True)
    data = {"code": dossier.code, "id_number": dossier.applicant_id_number}
    with django_assert_max_num_queries(20) as context:
        response = client.post("/tra-cuu/", data)
    assert response.status_code == 200 and dossier.code in response.content.decode()
    tables = [q["sql"] for q in context.captured_queries if "dossiers_" in q["sql"]]
    assert len(tables) == 2

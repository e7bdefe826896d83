"""Every transition of the state machine through its service, and every forbidden one (status → 409, role → 403)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers import actions, services
from dichvucong.dossiers.actions import dossier_actions
from dichvucong.dossiers.models import Apology, Dossier, DossierEvent, SupplementRequest
from dichvucong.dossiers.state_machine import NATIONAL_STATUS, TRANSITIONS, Status, national_status
from dichvucong.dossiers.submission import dossier_create, dossier_submit
from dichvucong.payments.services import payment_request
from dichvucong.workdays.calendar import add_working_days

from .conftest import FORM, submit_online, upload

pytestmark = pytest.mark.django_db


def _to(world, status):
    """A dossier of `world.citizen` brought to `status` through the services."""
    d = submit_online(world)
    if status == Status.NEW:
        return d
    if status == Status.SUPPLEMENT_REQUESTED:
        return services.dossier_request_supplement(actor=world.reception, dossier=d, items=["Bản sao CCCD"])
    d = services.dossier_accept(actor=world.reception, dossier=d)
    if status == Status.ACCEPTED:
        return d
    d = services.dossier_start_processing(actor=world.reception, dossier=d)
    if status == Status.PROCESSING:
        return d
    d = services.dossier_mark_processed(actor=world.specialist, dossier=d)
    if status == Status.PROCESSED:
        return d
    return services.dossier_deliver(actor=world.reception, dossier=d)


def test_every_status_but_draft_maps_to_a_national_code_1_to_10():
    assert sorted(NATIONAL_STATUS.values()) == list(range(1, 11))
    assert national_status(Status.DRAFT) is None
    assert {s for s in Status.values if s != Status.DRAFT} == {str(s) for s in NATIONAL_STATUS}


def test_happy_path_new_accepted_processing_processed_returned(world):
    d = submit_online(world)
    assert d.status == Status.NEW and d.national_status == 1 and d.code.startswith(world.agency.code)
    d = services.dossier_accept(actor=world.reception, dossier=d)
    assert d.status == Status.ACCEPTED and d.national_status == 2 and d.due_at and d.accepted_at
    d = services.dossier_start_processing(actor=world.reception, dossier=d)
    assert d.national_status == 4
    d = services.dossier_mark_processed(actor=world.specialist, dossier=d)
    assert d.national_status == 9 and d.finished_at
    d = services.dossier_deliver(actor=world.reception, dossier=d)
    assert d.national_status == 10 and d.returned_at and d.timeliness == "early"
    actions = list(d.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("submit", "", "new"),
        ("accept", "new", "accepted"),
        ("start_processing", "accepted", "processing"),
        ("mark_processed", "processing", "processed"),
        ("deliver", "processed", "result_returned"),
    ]
    audit = list(AuditEntry.objects.filter(object_id=d.code).values_list("action", flat=True))
    assert audit == [
        "dossier.submit",
        "dossier.accept",
        "dossier.start_processing",
        "dossier.mark_processed",
        "dossier.deliver",
    ]


def test_supplement_before_acceptance_returns_the_dossier_to_new(world):
    d = _to(world, Status.SUPPLEMENT_REQUESTED)
    assert d.national_status == 5
    doc = upload(world.citizen)
    d = services.dossier_supplement(actor=world.citizen, dossier=d, attachments=[str(doc.uuid)], note="Đã bổ sung")
    assert d.status == Status.NEW
    assert d.supplement_requests.get().supplemented_at is not None
    assert d.attachments.count() == 3


def test_supplement_during_processing_resumes_processing(world):
    d = _to(world, Status.PROCESSING)
    d = services.dossier_request_supplement(actor=world.specialist, dossier=d, items=["Giấy chứng sinh bản chính"])
    d = services.dossier_supplement(actor=world.citizen, dossier=d, note="Đã nộp bản chính tại một cửa")
    assert d.status == Status.PROCESSING


def test_refuse_requires_a_reason_and_is_final(world):
    d = _to(world, Status.NEW)
    with pytest.raises(ValidationFailed) as exc:
        services.dossier_refuse(actor=world.reception, dossier=d, reason=" ")
    assert exc.value.code == "note_required"
    d = services.dossier_refuse(actor=world.reception, dossier=d, reason="Không thuộc thẩm quyền")
    assert d.status == Status.REFUSED and d.national_status == 3
    assert dossier_actions(user=world.reception, dossier=d) == []


def test_withdraw_by_the_owner_before_processed(world):
    d = _to(world, Status.ACCEPTED)
    d = services.dossier_withdraw(actor=world.citizen, dossier=d, reason="Không còn nhu cầu")
    assert d.status == Status.WITHDRAWN and d.national_status == 7


def test_withdraw_is_refused_once_processed(world):
    d = _to(world, Status.PROCESSED)
    with pytest.raises(ConflictError) as exc:
        services.dossier_withdraw(actor=world.citizen, dossier=d)
    assert exc.value.code == "invalid_transition" and exc.value.status_code == 409


def test_stop_by_a_leader(world):
    d = _to(world, Status.PROCESSING)
    d = services.dossier_stop(actor=world.leader, dossier=d, reason="Công dân không bổ sung")
    assert d.status == Status.STOPPED and d.national_status == 8


def test_draft_submit(world):
    d = submit_online(world, draft=True)
    assert d.status == Status.DRAFT and d.code is None and d.national_status is None
    d = dossier_submit(actor=world.citizen, dossier=d)
    assert d.status == Status.NEW and d.code


def _counter_dossier(world) -> Dossier:
    """A dossier owned by `world.citizen` (registered at the counter: no files to store)."""
    return dossier_create(
        actor=world.reception,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        channel="counter",
        applicant={"full_name": "Nguyễn Văn An", "id_number": world.citizen.id_number},
        form_data=FORM,
        received_documents=[doc.pk for doc in world.docs[:2]],
    ).dossier


def _far_working_day():
    return add_working_days(timezone.localdate(), 60)


#: The service of each transition, called by an actor whose role allows it: only the status may refuse.
SERVICES = {
    "submit": lambda w, d: dossier_submit(actor=w.citizen, dossier=d),
    "accept": lambda w, d: services.dossier_accept(actor=w.reception, dossier=d),
    "request_supplement": lambda w, d: services.dossier_request_supplement(
        actor=w.reception, dossier=d, items=["Bản sao CCCD"]
    ),
    "supplement": lambda w, d: services.dossier_supplement(actor=w.citizen, dossier=d, note="Đã bổ sung"),
    "refuse": lambda w, d: services.dossier_refuse(actor=w.reception, dossier=d, reason="Không đủ điều kiện"),
    "withdraw": lambda w, d: services.dossier_withdraw(actor=w.citizen, dossier=d, reason="Không cần nữa"),
    "start_processing": lambda w, d: services.dossier_start_processing(actor=w.reception, dossier=d),
    "mark_processed": lambda w, d: services.dossier_mark_processed(actor=w.specialist, dossier=d),
    "deliver": lambda w, d: services.dossier_deliver(actor=w.reception, dossier=d),
    "stop": lambda w, d: services.dossier_stop(actor=w.leader, dossier=d, reason="Công dân không bổ sung"),
    "apologize": lambda w, d: services.dossier_apologize(
        actor=w.leader, dossier=d, reason="Chậm xác minh", new_due_date=_far_working_day()
    ),
    "request_payment": lambda w, d: payment_request(actor=w.reception, dossier=d),
    "pay": lambda w, d: services.dossier_transition(actor=w.citizen, dossier=d, name="pay"),
}
FORBIDDEN = [
    (name, status)
    for name, transition in sorted(TRANSITIONS.items())
    for status in Status.values
    if status not in transition.sources
]


def test_every_transition_has_its_service_in_the_forbidden_matrix():
    assert set(SERVICES) == set(TRANSITIONS)
    assert len(FORBIDDEN) == sum(len(Status.values) - len(t.sources) for t in TRANSITIONS.values())


@pytest.mark.parametrize(("name", "status"), FORBIDDEN, ids=[f"{n}-from-{s}" for n, s in FORBIDDEN])
def test_every_forbidden_transition_is_refused_by_its_service_and_by_the_actions_api(world, name, status):
    """For every transition and every status not among its sources: 409 `invalid_transition`, nothing written."""
    d = _counter_dossier(world)
    Dossier.objects.filter(pk=d.pk).update(status=status)
    d.refresh_from_db()
    counts = (
        DossierEvent.objects.count(),
        AuditEntry.objects.count(),
        SupplementRequest.objects.count(),
        Apology.objects.count(),
    )
    with pytest.raises(ConflictError) as exc:
        SERVICES[name](world, d)
    assert exc.value.code == "invalid_transition" and exc.value.status_code == 409
    with pytest.raises(ConflictError) as exc:
        actions.dossier_perform_action(
            actor=world.leader,
            dossier=d,
            action=name,
            data={"note": "x", "items": ["x"], "reason": "x", "new_due_date": _far_working_day().isoformat()},
        )
    assert exc.value.code == "invalid_transition"
    d.refresh_from_db()
    assert d.status == status
    assert (
        DossierEvent.objects.count(),
        AuditEntry.objects.count(),
        SupplementRequest.objects.count(),
        Apology.objects.count(),
    ) == counts


ROLE_CASES = [
    ("accept", Status.NEW, "specialist"),
    ("accept", Status.NEW, "citizen"),
    ("accept", Status.NEW, "other_reception"),
    ("request_supplement", Status.NEW, "citizen"),
    ("request_supplement", Status.NEW, "other_reception"),
    ("supplement", Status.SUPPLEMENT_REQUESTED, "citizen2"),
    ("supplement", Status.SUPPLEMENT_REQUESTED, "specialist"),
    ("refuse", Status.NEW, "citizen"),
    ("refuse", Status.NEW, "specialist"),
    ("withdraw", Status.NEW, "citizen2"),
    ("withdraw", Status.NEW, "specialist"),
    ("start_processing", Status.ACCEPTED, "citizen"),
    ("start_processing", Status.ACCEPTED, "clerk"),
    ("mark_processed", Status.PROCESSING, "reception"),
    ("mark_processed", Status.PROCESSING, "citizen"),
    ("deliver", Status.PROCESSED, "specialist"),
    ("deliver", Status.PROCESSED, "citizen"),
    ("stop", Status.PROCESSING, "reception"),
    ("stop", Status.PROCESSING, "citizen"),
    ("apologize", Status.ACCEPTED, "citizen"),
    ("apologize", Status.ACCEPTED, "specialist"),
    ("apologize", Status.ACCEPTED, "monitor"),
]


@pytest.mark.parametrize(("name", "status", "who"), ROLE_CASES)
def test_a_transition_is_refused_for_a_role_that_may_not_take_it(world, name, status, who):
    d = _to(world, status)
    before = d.status
    with pytest.raises(PermissionDeniedError):
        actions.dossier_perform_action(
            actor=getattr(world, who),
            dossier=d,
            action=name,
            data={
                "note": "x",
                "items": ["x"],
                "reason": "x",
                "new_due_date": (timezone.localdate() + datetime.timedelta(days=60)),
            },
        )
    d.refresh_from_db()
    assert d.status == before


def test_submit_of_a_draft_by_another_citizen_is_refused(world):
    d = submit_online(world, draft=True)
    with pytest.raises(PermissionDeniedError):
        dossier_submit(actor=world.citizen2, dossier=d)


def test_available_actions_depend_on_status_and_role(world):
    d = _to(world, Status.NEW)
    names = {a.name for a in dossier_actions(user=world.reception, dossier=d)}
    assert names == {"accept", "request_supplement", "refuse"}
    assert {a.name for a in dossier_actions(user=world.citizen, dossier=d)} == {"withdraw"}
    assert dossier_actions(user=world.other_reception, dossier=d) == []
    assert dossier_actions(user=world.citizen2, dossier=d) == []


def test_workflow_seam_sets_the_current_step_while_processing(world):
    d = _to(world, Status.PROCESSING)
    d = services.dossier_set_current_step(actor=world.specialist, dossier=d, step="Chuyên viên thẩm định")
    assert d.current_step == "Chuyên viên thẩm định" and d.status == Status.PROCESSING
    d = services.dossier_mark_processed(actor=world.head, dossier=d)
    assert d.current_step == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_a_transition_locks_the_dossier_row_only_not_its_agency_or_procedure(world):
    """`FOR UPDATE OF dossiers_dossier`: a plain FOR UPDATE with the joined agency and procedure locks their rows
    too, so every transition of an agency queues on one row and deadlocks with the audit chain head (issue 19)."""
    d = submit_online(world)
    with CaptureQueriesContext(connection) as ctx:
        services.dossier_accept(actor=world.reception, dossier=d)
    locks = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"] and "dossiers_dossier" in q["sql"]]
    assert locks
    assert all('FOR UPDATE OF "dossiers_dossier"' in sql for sql in locks), locks

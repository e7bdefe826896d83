"""The desk queue (issue 18 item 1): every kind of desk work reaches the right officers and never another unit's;
counts on /can-bo/; due soon / overdue; sort; filters that persist (saved by a POST, a GET never writes)."""

import datetime

from django.test import Client
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.audit.models import AuditEntry
from dichvucong.catalog.models import FeeRule
from dichvucong.dossiers import services as dossier_services
from dichvucong.dossiers.models import Dossier
from dichvucong.workflows import desk, processing
from dichvucong.workflows.models import WorkItem
from tests.dossiers.factories import DossierFactory, offer
from tests.payments.factories import fees_requested, paid_payment

QUEUE = "/can-bo/cong-viec/"


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def _offered(world):
    world.active_template()
    FeeRule.objects.get_or_create(
        procedure=world.procedure, order=1, defaults={"name": "Lệ phí chứng thực", "kind": "fixed", "amount": 10_000}
    )
    for agency in (world.district, world.district2, world.commune):
        offer(world.procedure, agency)


def _officers(world, prefix):
    return {
        role: world.staff[f"{prefix}.{role}"]
        for role in (Role.RECEPTION, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK)
    }


def _desk_world(world):
    """One dossier of each kind of desk work at Văn Lâm (district), and a new one at Văn Giang."""
    _offered(world)
    officers = _officers(world, "vl")
    made = {}
    made["accept"] = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers)
    supplemented = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers)
    dossier_services.dossier_request_supplement(
        actor=officers[Role.RECEPTION], dossier=supplemented, items=["Bản sao giấy khai sinh"]
    )
    supplemented = dossier_services.dossier_supplement(
        actor=supplemented.owner, dossier=Dossier.objects.get(pk=supplemented.pk), note="Đã bổ sung"
    )
    made["supplemented"] = supplemented
    made["forward"] = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=True)
    paid = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=True)
    fees_requested(paid, officer=officers[Role.RECEPTION])
    paid_payment(Dossier.objects.get(pk=paid.pk))
    made["paid"] = Dossier.objects.get(pk=paid.pk)
    made["step"] = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, processing=True)
    # The commune has no internal process: its specialist marks the dossier processed, the result waits at its desk.
    made["return"] = DossierFactory(
        agency=world.commune, procedure=world.procedure, officers=_officers(world, "ld"), processed=True
    )
    made["other_unit"] = DossierFactory(
        agency=world.district2, procedure=world.procedure, officers=_officers(world, "vg")
    )
    return made


def _codes(rows, kind=None):
    return {row.dossier.code for row in rows if kind is None or row.kind == kind}


def test_each_kind_of_desk_work_reaches_the_officers_who_do_it_and_no_other_unit(world):
    made = _desk_world(world)
    assert made["supplemented"].status == "new"
    assert made["paid"].status == "accepted" and made["paid"].payments.filter(status="paid").exists()

    reception = desk.desk_rows(world.staff["vl.reception"], scope="mine")
    assert _codes(reception, "accept") == {made["accept"].code, made["supplemented"].code}
    assert _codes(reception, "paid") == {made["paid"].code}
    assert _codes(reception, "forward") == {made["forward"].code}
    assert not _codes(reception, "return")
    flagged = next(row for row in reception if row.dossier.code == made["supplemented"].code)
    assert "Đã bổ sung" in flagged.flags
    assert made["other_unit"].code not in _codes(reception)

    specialist = desk.desk_rows(world.staff["vl.specialist"], scope="mine")
    assert _codes(specialist, "step") == {made["step"].code}
    assert not _codes(specialist, "accept") and not _codes(specialist, "return")

    assert _codes(desk.desk_rows(world.staff["vl.clerk"], scope="mine")) == set()
    for who in ("ld.reception", "ld.clerk"):
        assert _codes(desk.desk_rows(world.staff[who], scope="mine"), "return") == {made["return"].code}
    assert not _codes(desk.desk_rows(world.staff["ld.specialist"], scope="mine"), "return")

    # Another district's desk sees its own new dossier only.
    other = desk.desk_rows(world.staff["vg.reception"], scope="unit")
    assert _codes(other) == {made["other_unit"].code}
    counts = desk.desk_counts(world.staff["vl.reception"])
    assert (counts["accept"], counts["paid"], counts["forward"], counts["return"]) == (2, 1, 1, 0)

    # The page and /can-bo/ show them, with the counts.
    page = browser(world.staff["vl.reception"]).get(QUEUE).content.decode()
    for key in ("accept", "supplemented", "paid", "forward"):
        assert made[key].code in page
    assert made["other_unit"].code not in page
    home = browser(world.staff["vl.reception"]).get("/can-bo/").content.decode()
    assert "Việc đang chờ" in home and f"{QUEUE}?view=team&amp;kind=accept" in home
    assert "<strong>2</strong> Chờ tiếp nhận" in home
    assert made["return"].code in browser(world.staff["ld.clerk"]).get(QUEUE).content.decode()


def test_a_consultation_to_answer_and_a_dossier_processed_without_a_process(world):
    _offered(world)
    dossier = DossierFactory(
        agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"), processing=True
    )
    processing.step_perform_action(
        actor=world.staff["vl.specialist"],
        dossier=dossier,
        action="consult",
        data={"agency": world.department.code, "question": "Xin ý kiến về hồ sơ", "days": "2"},
    )
    rows = desk.desk_rows(world.dept_specialist, scope="mine")
    assert [(row.kind, row.dossier.code) for row in rows] == [("consult", dossier.code)]
    assert desk.desk_rows(world.staff["vg.specialist"], scope="unit") == []

    # A procedure without an approved process: the specialists of the agency mark it processed.
    bare = DossierFactory(
        agency=world.commune, procedure=world.procedure, officers=_officers(world, "ld"), processing=True
    )
    assert _codes(desk.desk_rows(world.staff["ld.specialist"]), "process") == {bare.code}
    assert bare.code not in _codes(desk.desk_rows(world.staff["vl.specialist"], scope="unit"))


def test_overdue_and_due_soon_are_flagged_and_filtered_and_rows_sort_by_due_time(world):
    _offered(world)
    officers = _officers(world, "vl")
    late = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=True)
    soon = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=True)
    later = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=True)
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - datetime.timedelta(hours=2))
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + datetime.timedelta(minutes=30))
    Dossier.objects.filter(pk=later.pk).update(due_at=now + datetime.timedelta(days=20))
    user = world.staff["vl.reception"]

    rows = desk.desk_rows(user, now=now)
    assert [row.dossier.code for row in rows] == [late.code, soon.code, later.code]
    assert [(row.overdue, row.due_soon) for row in rows] == [(True, False), (False, True), (False, False)]
    assert [row.dossier.code for row in desk.desk_rows(user, sort="-due", now=now)] == [
        later.code,
        soon.code,
        late.code,
    ]
    assert [row.dossier.code for row in desk.desk_rows(user, only="overdue", now=now)] == [late.code]
    assert [row.dossier.code for row in desk.desk_rows(user, only="due_soon", now=now)] == [soon.code]

    page = browser(user).get(QUEUE, {"only": "overdue"}).content.decode()
    assert late.code in page and soon.code not in page and 'class="row-late"' in page


def test_filters_persist_through_a_post_and_a_get_never_writes(world):
    _offered(world)
    officers = _officers(world, "vl")
    new = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers)
    accepted = DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=True)
    client = browser(world.staff["vl.reception"])

    audit_rows, statuses = AuditEntry.objects.count(), set(Dossier.objects.values_list("status", flat=True))
    client.get(QUEUE, {"kind": "forward"})
    assert QUEUE not in str(client.session.get("queue_filters"))  # nothing saved by a GET
    assert "queue_filters" not in client.session
    assert (AuditEntry.objects.count(), set(Dossier.objects.values_list("status", flat=True))) == (
        audit_rows,
        statuses,
    )

    response = client.post(f"{QUEUE}bo-loc/", {"view": "mine", "kind": "forward", "sort": "waiting"})
    assert response.status_code == 302 and "kind=forward" in response["Location"]
    page = client.get(QUEUE).content.decode()  # no parameter: the saved filters apply
    assert accepted.code in page and new.code not in page
    assert '<option value="waiting" selected>' in page
    client.post(f"{QUEUE}bo-loc/", {"reset": "1"})
    page = client.get(QUEUE).content.decode()
    assert accepted.code in page and new.code in page


def test_the_queue_page_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    made = _desk_world(world)
    for _ in range(3):
        DossierFactory(
            agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"), processing=True
        )
    client = browser(world.staff["vl.leader"])
    client.get(QUEUE, {"view": "team"})  # warm the session
    with django_assert_max_num_queries(40):
        page = client.get(QUEUE, {"view": "team"}).content.decode()
    assert made["step"].code in page
    with django_assert_max_num_queries(25):
        rows = desk.desk_rows(world.staff["vl.reception"], scope="unit")
    assert len(rows) == 4  # two to accept, one paid, one to forward


def test_unassigned_steps_of_the_unit_can_be_handed_to_an_officer_from_the_unit_view(world):
    _offered(world)
    dossier = DossierFactory(
        agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"), processing=True
    )
    WorkItem.objects.filter(run__dossier=dossier, completed_at__isnull=True).update(assignee=None)
    page = browser(world.staff["vl.leader"]).get(QUEUE, {"view": "team"}).content.decode()
    assert "Chưa phân công" in page and 'name="items"' in page


# --- Pages of the desk (issue 19: one page of rows, capped counts, constant queries) -----------------------------


def test_the_desk_is_read_a_page_at_a_time_and_every_row_comes_once_in_order(world):
    made = _desk_world(world)
    officer = world.staff["vl.reception"]
    extra = [
        DossierFactory(agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"))
        for _ in range(3)
    ]
    everything = desk.desk_rows(officer, scope="unit")
    for sort in ("due", "-due", "waiting"):
        whole = desk.desk_rows(officer, scope="unit", sort=sort)
        walked, page, more = [], 1, True
        while more:
            rows, more = desk.desk_page(officer, scope="unit", sort=sort, page=page, per_page=2)
            assert len(rows) <= 2
            walked += rows
            page += 1
        assert [(r.kind, r.dossier.code) for r in walked] == [(r.kind, r.dossier.code) for r in whole]
    assert {r.dossier.code for r in everything} >= {made["accept"].code, *(d.code for d in extra)}
    # The page shows a link to the next page when there is one, and page 2 the rest.
    client = browser(officer)
    desk_page_size = desk.PAGE_SIZE
    try:
        desk.PAGE_SIZE = 2
        first = client.get(QUEUE, {"view": "team"}).content.decode()
        assert 'rel="next"' in first and "page=2" in first
        second = client.get(QUEUE, {"view": "team", "page": "2"}).content.decode()
        assert 'rel="prev"' in second
        assert client.get(QUEUE, {"page": "abc"}).status_code == 200
    finally:
        desk.PAGE_SIZE = desk_page_size


def test_the_desk_reads_the_same_number_of_queries_for_few_or_many_dossiers(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _desk_world(world)
    officer = world.staff["vl.reception"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            desk.desk_page(officer, scope="unit", page=1, per_page=3)
            desk.desk_counts(officer)
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(12):
        DossierFactory(agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"))
    assert queries() == few


def test_desk_counts_are_capped(world, monkeypatch):
    from dichvucong.common import pagination

    _desk_world(world)
    for _ in range(3):
        DossierFactory(agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"))
    counts = desk.desk_counts(world.staff["vl.reception"])
    assert counts["accept"] == 5 and counts["exact"] is True
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    capped = desk.desk_counts(world.staff["vl.reception"])
    assert capped["accept"] >= 2 and capped["exact"] is False

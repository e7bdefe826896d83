"""The desk page read from keys (ADR 0026): the same rows, in the same order, on the same pages as the previous
implementation (model rows of every kind merged in Python, `_desk_reference`), in a constant number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dichvucong.dossiers.models import Dossier
from dichvucong.workflows import desk, processing
from dichvucong.workflows.models import WorkItem
from tests.dossiers.factories import DossierFactory

from ._desk_reference import reference_desk_page
from .test_desk import _desk_world, _officers


def _mixed_world(world):
    """Every kind at Văn Lâm, ties on due time, missing due times, an unassigned step, a consultation."""
    made = _desk_world(world)
    officers = _officers(world, "vl")
    now = timezone.now()
    extra = [
        DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, accepted=accepted)
        for accepted in (False, False, True, True)
    ]
    steps = [
        DossierFactory(agency=world.district, procedure=world.procedure, officers=officers, processing=True)
        for _ in range(3)
    ]
    same = now + datetime.timedelta(hours=3)
    Dossier.objects.filter(pk__in=[extra[0].pk, extra[2].pk]).update(due_at=same)  # a tie across kinds
    Dossier.objects.filter(pk=extra[1].pk).update(due_at=None)
    Dossier.objects.filter(pk=extra[3].pk).update(due_at=now - datetime.timedelta(days=1))
    WorkItem.objects.filter(run__dossier=steps[0], completed_at__isnull=True).update(assignee=None, due_at=same)
    WorkItem.objects.filter(run__dossier=steps[1], completed_at__isnull=True).update(
        due_at=now + datetime.timedelta(minutes=20)
    )
    processing.step_perform_action(
        actor=world.staff["vl.specialist"],
        dossier=steps[2],
        action="consult",
        data={"agency": world.department.code, "question": "Xin ý kiến về hồ sơ", "days": "2"},
    )
    return made, now


def _shown(rows):
    return [
        (
            row.kind,
            row.dossier.pk,
            row.dossier.code,
            row.dossier.applicant_name,
            getattr(row.dossier, "procedure_name", None) or row.dossier.procedure.name,
            row.due_at,
            row.since,
            str(row.what),
            list(row.flags),
            row.overdue,
            row.due_soon,
            row.assignee.display_name if row.assignee else None,
            row.item.uuid if row.item else None,
        )
        for row in rows
    ]


def test_the_desk_pages_equal_the_previous_implementation_on_a_mixed_dataset(world):
    _made, now = _mixed_world(world)
    users = [world.staff[name] for name in ("vl.reception", "vl.leader", "vl.specialist", "ld.clerk")]
    users.append(world.dept_specialist)
    compared = 0
    for user in users:
        for scope in desk.SCOPES:
            for sort in desk.SORTS:
                for only in (None, "overdue", "due_soon"):
                    for kind in (None, "accept", "step", "return"):
                        for page, per_page in ((1, 3), (2, 3), (3, 3), (1, 50)):
                            args = dict(scope=scope, kind=kind, sort=sort, only=only, now=now, page=page)
                            new, new_more = desk.desk_page(user, per_page=per_page, **args)
                            old, old_more = reference_desk_page(user, per_page=per_page, **args)
                            assert (_shown(new), new_more) == (_shown(old), old_more), (user, args, per_page)
                            compared += len(new)
    assert compared > 100


def test_the_desk_page_reads_a_constant_number_of_queries(world):
    _mixed_world(world)
    officer = world.staff["vl.leader"]
    reception = world.staff["vl.reception"]

    def queries(user) -> int:
        with CaptureQueriesContext(connection) as ctx:
            desk.desk_page(user, scope="unit", page=1, per_page=50)
        return len(ctx.captured_queries)

    queries(officer), queries(reception)  # their role assignments are cached on the user for the request
    before = (queries(officer), queries(reception))
    officers = _officers(world, "vl")
    for accepted, processing_ in ((False, False), (True, False), (False, True)) * 3:
        DossierFactory(
            agency=world.district,
            procedure=world.procedure,
            officers=officers,
            accepted=accepted,
            processing=processing_,
        )
    assert (queries(officer), queries(reception)) == before
    # Seven kinds' keys, then the page's dossiers, steps and consultations: at most ten, whatever the size.
    assert max(before) <= 10

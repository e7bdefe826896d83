"""The demo: every demo procedure has an approved, active process that fits its legal time."""

from decimal import Decimal

import pytest

from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Procedure
from dichvucong.workflows.demo import standard_steps
from dichvucong.workflows.models import Process, ProcessStatus
from dichvucong.workflows.selectors import process_for
from dichvucong.workflows.services import specs_from_payload
from dichvucong.workflows.validation import validate_definition


@pytest.mark.parametrize("days", ["1", "2", "3", "5", "7", "10", "30"])
def test_the_standard_shape_fits_every_processing_time(days):
    steps = standard_steps(Decimal(days))
    assert validate_definition(specs_from_payload(steps), legal_days=Decimal(days)) == []
    assert [s["role"] for s in steps] == ["reception", "specialist", "division_head", "leader", "clerk"]


def test_seven_days_is_reception_half_specialist_four_head_one_leader_one_clerk_half():
    assert [s["duration_hours"] / 8 for s in standard_steps(Decimal(7))] == [Decimal("0.5"), 4, 1, 1,
                                                                               Decimal("0.5")]


@pytest.mark.django_db
def test_every_demo_procedure_resolves_to_an_active_process_where_it_is_offered(demo):
    vanlam, commune = Agency.objects.get(code="000.00.23.H31"), Agency.objects.get(code="000.02.23.H31")
    procedures = list(Procedure.objects.prefetch_related("offerings"))
    assert procedures
    for procedure in procedures:
        for tier in procedure.tier_list:
            if tier == "district":
                assert process_for(procedure=procedure, agency=vanlam).status == ProcessStatus.ACTIVE
            elif tier == "commune":
                assert process_for(procedure=procedure, agency=commune).tier == "commune"
            else:
                for offering in procedure.offerings.all():
                    if offering.agency_id:
                        assert process_for(procedure=procedure, agency=offering.agency) is not None
    assert Process.objects.filter(status=ProcessStatus.SUBMITTED, owner_agency__code="000.00.04.H31").count() == 1

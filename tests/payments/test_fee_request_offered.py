"""Catalogue honesty (issue 11, item 7): a fee request is not offered for a procedure whose catalogue lists no fee,
neither as the desk's own action nor as the action of a process step; a procedure with fees still offers it."""

import pytest

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.actions import dossier_actions
from dichvucong.workflows.demo import standard_steps
from dichvucong.workflows.processing import current_item, open_run
from tests.accounts.factories import StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.conftest import auth_client
from tests.dossiers.factories import DossierFactory
from tests.workflows.factories import ApprovedProcessFactory

pytestmark = pytest.mark.django_db


def _names(user, dossier) -> set[str]:
    return {option.name for option in dossier_actions(user=user, dossier=dossier)}


def test_no_fee_request_at_the_desk_for_a_free_procedure():
    agency = AgencyFactory.department(name="Sở Tư pháp")
    free = DossierFactory(agency=agency, procedure=ProcedureFactory(agencies=[agency.code], free=True), accepted=True)
    paid = DossierFactory(agency=agency, procedure=ProcedureFactory(agencies=[agency.code]), accepted=True)
    desk = StaffFactory(roles=[(Role.RECEPTION, agency)])

    assert "request_payment" not in _names(desk, free)
    assert "request_payment" in _names(desk, paid)
    listed = auth_client(desk).get(f"/api/v1/dossiers/{free.code}/actions/").json()
    assert "request_payment" not in {action["name"] for action in listed}


def test_no_fee_request_at_a_process_step_for_a_free_procedure():
    agency = AgencyFactory.department(name="Sở Tư pháp")
    procedure = ProcedureFactory(agencies=[agency.code], free=True)
    # a process recorded with a fee step although the catalogue lists no fee (an error of the process author)
    ApprovedProcessFactory(
        procedure=procedure, agency=agency, steps=standard_steps(procedure.processing_days, fees_due=True)
    )
    dossier = DossierFactory(agency=agency, procedure=procedure, processing=True)
    run = open_run(dossier)
    assert run is not None
    item = current_item(run)
    names = _names(item.assignee, dossier)
    assert "request_payment" not in names and "forward" in names

"""The factories of every context, in one import (`from tests.factories import DossierFactory`).

Each context keeps its own in `tests/<context>/factories.py`; all of them write through the services (so invariants,
events and audit rows are real), see docs/adr/0008-test-scaffolding.md."""

from tests.accounts.factories import (  # noqa: F401
    CitizenFactory,
    StaffFactory,
    UserFactory,
    auth_client,
    next_citizen_id,
    staff_of,
)
from tests.agencies.factories import AgencyFactory  # noqa: F401
from tests.catalog.factories import ProcedureFactory, load_records, procedure_record  # noqa: F401
from tests.dossiers.factories import DossierFactory, officers_at, submit_online, upload, walk_process  # noqa: F401
from tests.payments.factories import fees_requested, paid_payment  # noqa: F401
from tests.workflows.factories import ApprovedProcessFactory  # noqa: F401

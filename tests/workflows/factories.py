"""Internal processes through the workflows services: an approved (and active) process recorded with
`process_import_approved`, as the province records the processes approved on paper."""

import datetime

import factory
from django.utils import timezone

from dichvucong.workflows.demo import standard_steps
from dichvucong.workflows.models import Process
from dichvucong.workflows.services import process_import_approved


class ApprovedProcessFactory(factory.Factory):
    """`ApprovedProcessFactory(procedure=p, agency=a)`: the standard five steps (reception → specialist → division
    head → leader signs → clerk releases) fitted into the procedure's days, in force since 1/1/2021 at `agency`
    (or `tier="district"` templates with `agency=None`); `steps=[...]` for another shape."""

    class Meta:
        model = Process

    procedure = None
    agency = None
    owner_agency = factory.LazyAttribute(lambda o: o.agency)
    tier = ""
    steps = factory.LazyAttribute(
        lambda o: standard_steps(o.procedure.processing_days, fees_due=o.procedure.fees.exists())
    )
    active_from = datetime.date(2021, 1, 1)

    @classmethod
    def _create(cls, model_class, *, procedure, agency, owner_agency, tier, steps, active_from):
        return process_import_approved(
            actor="test",
            procedure=procedure,
            owner_agency=owner_agency,
            scope="agency" if agency else "tier",
            agency=agency,
            tier="" if agency else tier,
            steps=steps,
            decision_number="1/QĐ-UBND",
            decision_date=min(active_from, timezone.localdate()) - datetime.timedelta(days=4),
            decision_signer="Chủ tịch UBND tỉnh",
            active_from=active_from,
        )

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("processes are recorded through the services, not built")

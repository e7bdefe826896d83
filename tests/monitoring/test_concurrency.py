"""Concurrent transitions on PostgreSQL: counters of the same (day, agency, procedure) rows add up, never overwrite."""

import threading

import pytest
from django.db import connection, connections

from dichvucong.accounts.roles import Role
from dichvucong.dossiers import services
from dichvucong.monitoring.models import FlowAgencyDay, FlowDay, FlowMonth
from dichvucong.monitoring.rollups import rebuild
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.dossiers.factories import DossierFactory, officers_at


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_keep_the_counters_exact():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency of separate connections is exercised on PostgreSQL")
    dept = AgencyFactory.department(name="Sở Đồng Thời", code="000.00.97.H31")
    procedure = ProcedureFactory(agencies=[dept.code], tiers=("province",), level=4)
    officers = officers_at(dept)
    dossiers = [DossierFactory(agency=dept, procedure=procedure, officers=officers) for _ in range(6)]
    errors = []
    barrier = threading.Barrier(len(dossiers))

    def work(dossier):
        try:
            barrier.wait()
            accepted = services.dossier_accept(actor=officers[Role.RECEPTION], dossier=dossier)
            processing = services.dossier_start_processing(actor=officers[Role.RECEPTION], dossier=accepted)
            services.dossier_mark_processed(actor=officers[Role.SPECIALIST], dossier=processing)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    day = FlowDay.objects.get(agency=dept, procedure=procedure)
    assert day.received_online_full == 6
    assert day.resolved_early + day.resolved_on_time == 6
    assert FlowAgencyDay.objects.get(agency=dept).received_online_full == 6

    def snapshot():
        return sorted(
            tuple(v for k, v in row.items() if k != "id")
            for model in (FlowDay, FlowMonth, FlowAgencyDay)
            for row in model.objects.values()
        )

    kept = snapshot()
    rebuild()
    assert snapshot() == kept

"""Rollups after the transitions of other contexts: an electronic result signed and issued through the process
(results, `result.issued`), the result handed over at the desk; the counters equal a rebuild and the report."""

import pytest
from django.utils import timezone

from dichvucong.dossiers.services import dossier_deliver
from dichvucong.monitoring.access import Scope
from dichvucong.monitoring.models import DossierFact, FlowAgencyDay, FlowDay
from dichvucong.monitoring.reports import dossier_report
from dichvucong.monitoring.rollups import rebuild
from tests.results.factories import issued, results_settings, results_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def keystore_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("monitoring-result-keys")


@pytest.fixture(autouse=True)
def _results_settings(settings, keystore_dir, tmp_path):
    results_settings(settings, keystore_dir=keystore_dir, media_root=tmp_path / "media")


def _rows(model):
    return sorted(tuple(v for k, v in r.items() if k != "id") for r in model.objects.values())


def test_an_issued_electronic_result_is_counted_and_the_rollups_equal_a_rebuild():
    world = results_world()
    dossier = issued(world)
    fact = DossierFact.objects.get(dossier=dossier)
    assert fact.e_result and fact.outcome in ("early", "on_time")
    dossier = dossier_deliver(actor=world.reception, dossier=dossier)
    today = timezone.localdate()
    report = dossier_report(
        scope=Scope(agencies=(world.agency,), province_wide=False), start=today.replace(day=1), end=today
    )
    assert (report.totals["resolved_total"], report.totals["resolved_e_result"]) == (1, 1)
    kept = [sorted(tuple(r.values()) for r in DossierFact.objects.values()), _rows(FlowDay), _rows(FlowAgencyDay)]
    rebuild()
    assert [
        sorted(tuple(r.values()) for r in DossierFact.objects.values()),
        _rows(FlowDay),
        _rows(FlowAgencyDay),
    ] == kept

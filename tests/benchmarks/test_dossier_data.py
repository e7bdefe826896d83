"""The benchmark data generator (benchmarks/_dossier_data.py, ADR 0021) on a small World: the entry points outside
checks use (`World().grow(n)`, the officers `bench.reception` and `bench.monitor`) and, on PostgreSQL, the
server-side copies past `copy_limit` (earlier years of the same dossiers, codes still unique) and the events."""

import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import _dossier_data as data  # noqa: E402

from dichvucong.accounts.models import User  # noqa: E402
from dichvucong.dossiers.models import Dossier, DossierEvent  # noqa: E402

pytestmark = pytest.mark.django_db


def test_a_world_grows_to_n_dossiers_with_its_officers():
    world = data.World(citizens=20)
    world.grow(120, batch=50, analyze=False)
    assert Dossier.objects.count() == 120
    assert set(User.objects.filter(username__startswith="bench.").values_list("username", flat=True)) == {
        "bench.reception",
        "bench.monitor",
    }
    assert Dossier.objects.filter(agency=world.officer_agency).exists()
    assert data.world_size() == 120


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and the server-side copies are PostgreSQL's")
def test_past_the_copy_limit_the_dossiers_are_earlier_years_of_the_generated_ones():
    world = data.World(citizens=20)
    world.grow(300, batch=100, analyze=False, copy_limit=150)
    assert Dossier.objects.count() == 300
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(set(codes)) == 300
    generated = Dossier.objects.order_by("pk")[:150]
    oldest_generated = min(d.created_at for d in generated)
    copies = Dossier.objects.order_by("pk")[150:]
    assert all(d.created_at < oldest_generated for d in copies)
    assert all(d.status in data.CLOSED for d in copies)
    added = data.add_events()
    assert added == DossierEvent.objects.count() > 300  # at least the submission of each, more for finished ones
    assert data.dossiers_without_events() == 0

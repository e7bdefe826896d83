import pytest

from dichvucong.demo.loader import load_demo
from dichvucong.dossiers.models import Dossier, DossierEvent


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_demo_dossiers_in_various_states_and_idempotent():
    load_demo()
    statuses = set(Dossier.objects.values_list("status", flat=True))
    counts = (Dossier.objects.count(), DossierEvent.objects.count())
    load_demo()
    assert (Dossier.objects.count(), DossierEvent.objects.count()) == counts
    assert counts[0] == 6
    assert {"new", "processing", "supplement_requested", "result_returned", "processed", "accepted"} <= statuses
    assert set(Dossier.objects.values_list("owner__username", flat=True)) == {"citizen", "citizen2"}
    assert set(Dossier.objects.values_list("agency__code", flat=True)) == {"000.00.04.H31", "000.00.23.H31"}

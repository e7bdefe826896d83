"""Ratings of finished dossiers: the owner once, editable for 7 days; someone else's or an unfinished dossier is
refused with nothing written; ratings feed the scorecard's satisfaction."""

import datetime

import pytest
from django.utils import timezone

from dichvucong.feedback.models import Rating
from dichvucong.monitoring.access import Scope
from dichvucong.monitoring.scorecard import scorecard
from tests.accounts.factories import CitizenFactory
from tests.dossiers.factories import DossierFactory
from tests.factories import auth_client

pytestmark = pytest.mark.django_db
GOOD = {"overall": 5, "timeliness": 4, "attitude": 5, "visits": 1, "comment": "Nhanh"}


@pytest.fixture
def finished():
    return DossierFactory(processed=True)


def _url(dossier):
    return f"/api/v1/dossiers/{dossier.code}/rating/"


def test_owner_rates_once_and_edits_within_seven_days(finished):
    client = auth_client(finished.owner)
    response = client.put(_url(finished), GOOD, format="json")
    assert response.status_code == 200, response.content
    assert client.put(_url(finished), {**GOOD, "overall": 3}, format="json").status_code == 200
    assert Rating.objects.get(dossier=finished).overall == 3
    assert Rating.objects.count() == 1
    assert client.get(_url(finished)).json()["overall"] == 3
    Rating.objects.filter(dossier=finished).update(created_at=timezone.now() - datetime.timedelta(days=8))
    late = client.put(_url(finished), {**GOOD, "overall": 1}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "rating_locked"
    assert Rating.objects.get(dossier=finished).overall == 3


def test_someone_elses_dossier_is_not_found(finished):
    response = auth_client(CitizenFactory()).put(_url(finished), GOOD, format="json")
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_an_unfinished_dossier_cannot_be_rated():
    dossier = DossierFactory(accepted=True)
    response = auth_client(dossier.owner).put(_url(dossier), GOOD, format="json")
    assert response.status_code == 409 and response.json()["code"] == "dossier_not_finished"
    assert not Rating.objects.exists()


@pytest.mark.parametrize("bad", [{"overall": 0}, {"overall": 6}, {"attitude": None}, {"visits": -1}])
def test_bad_scores_are_refused(finished, bad):
    response = auth_client(finished.owner).put(_url(finished), {**GOOD, **bad}, format="json")
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_ratings_feed_the_scorecard(finished):
    auth_client(finished.owner).put(_url(finished), {**GOOD, "overall": 4}, format="json")
    today = timezone.localdate()
    card = scorecard(scope=Scope(agencies=None, province_wide=True), start=today.replace(day=1), end=today)
    satisfaction = next(i for i in card["indicators"] if i["key"] == "satisfaction")
    assert satisfaction["rate"] == 75.0  # (4 − 1) / 4
    assert satisfaction["points"] == 13.5

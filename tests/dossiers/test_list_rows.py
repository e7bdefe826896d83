"""`GET /api/v1/dossiers/` renders its rows with `dossiers.api.rows.dossier_list_rows` (ADR 0018): byte for byte
what `DossierSerializer(many=True)` renders, on a page of dossiers in every state the factories build."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from dichvucong.dossiers.api.rows import dossier_list_rows
from dichvucong.dossiers.api.serializers import DossierSerializer
from dichvucong.dossiers.models import Dossier
from tests.conftest import auth_client
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(db):
    made = [
        DossierFactory(),
        DossierFactory(draft=True),
        DossierFactory(accepted=True),
        DossierFactory(processing=True, counter=True),
        DossierFactory(overdue=True),
        DossierFactory(supplement_requested=True),
        DossierFactory(returned=True),
    ]
    # One dossier due within the due-soon window, one with a UTC-looking time (rendered in the current zone).
    Dossier.objects.filter(pk=made[2].pk).update(due_at=timezone.now() + datetime.timedelta(hours=3))
    return list(Dossier.objects.filter(pk__in=[d.pk for d in made]).select_related("procedure", "agency"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_rows_equal_the_serializer_byte_for_byte(page, language):
    renderer = JSONRenderer()
    with translation.override(language):
        expected = renderer.render(DossierSerializer(page, many=True, context={}).data)
        assert renderer.render(dossier_list_rows(page)) == expected
    assert dossier_list_rows([]) == []


def test_the_utc_zone_renders_z_like_drf(page):
    renderer = JSONRenderer()
    with timezone.override(datetime.UTC):
        assert renderer.render(dossier_list_rows(page)) == renderer.render(DossierSerializer(page, many=True).data)


def test_the_api_list_renders_the_same_rows(page):
    owner = page[0].owner
    with time_machine.travel(timezone.now(), tick=False):
        body = auth_client(owner).get("/api/v1/dossiers/").json()
        mine = Dossier.objects.filter(owner=owner).select_related("procedure", "agency").order_by("-created_at", "-pk")
        assert body["results"] == [dict(row) for row in DossierSerializer(mine, many=True).data]

"""Dossier pages after the new-user browser test (phone and desktop): wording, labels, layout hooks, lookup."""

import re

import pytest
from django.test import Client

from dichvucong.dossiers import services

from .conftest import submit_online

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_labels_have_no_stray_colon_beside_checkboxes_or_after_the_required_star(world):
    office = client_for(world.reception).get("/mot-cua/ho-so/").content.decode()
    assert re.search(r'<label for="id_due_soon">Sắp đến hạn</label>', office)
    counter = client_for(world.reception).get(f"/mot-cua/tiep-nhan/?procedure={world.procedure.code}").content.decode()
    assert "*:" not in counter and ":</label>" not in counter
    mandatory = world.docs[0].name
    assert f"{mandatory} *</label>" in counter

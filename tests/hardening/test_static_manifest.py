"""Production without `collectstatic` (issue 12, item 5): pages still render (no 500), the deploy check names the
missing manifest; with the manifest, hashed names are used."""

import pytest
from django.core.management import call_command

from dichvucong.common.checks import static_manifest_present

pytestmark = pytest.mark.django_db
FORGIVING = "dichvucong.common.staticfiles.ForgivingManifestStaticFilesStorage"


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": FORGIVING}}
    settings.IS_PRODUCTION = True
    return settings


def test_a_missing_manifest_does_not_turn_pages_into_500(client, production_static):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/static/css/site.css"' in response.content.decode()
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 200


def test_the_deploy_check_names_the_missing_manifest(production_static):
    (warning,) = static_manifest_present()
    assert warning.id == "dichvucong.W001" and "collectstatic" in warning.msg


def test_after_collectstatic_pages_use_hashed_names(client, production_static):
    call_command("collectstatic", "--noinput", verbosity=0)
    assert static_manifest_present() == []
    body = client.get("/").content.decode()
    assert "/static/css/site." in body and 'href="/static/css/site.css"' not in body

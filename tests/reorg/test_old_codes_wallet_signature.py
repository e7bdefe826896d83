"""After a merge, the codes of dossiers handled by the old unit still resolve: the result kept in the citizen's wallet
(listed and downloadable under the old dossier code) and the public signature check of the signed result PDF (page and
API: intact, trusted, the same signers). A result signed before the merge and sealed after it is valid too."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.agencies.selectors import successor_map
from dichvucong.dossiers.models import Dossier
from dichvucong.reorg.services import plan_apply
from dichvucong.results.models import ElectronicResult
from dichvucong.signing.selectors import agency_seal_certificate_for, officer_certificate_for
from dichvucong.wallet.models import WalletItem
from dichvucong.workflows.processing import step_perform_action
from tests.conftest import auth_client
from tests.factories import AgencyFactory
from tests.reorg.factories import approved_plan
from tests.results.factories import issued, results_settings, results_world, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def keystore_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reorg-result-keys")


@pytest.fixture(autouse=True)
def _results_settings(settings, keystore_dir, tmp_path):
    results_settings(settings, keystore_dir=keystore_dir, media_root=tmp_path / "media")


@pytest.fixture
def merged(db):
    """Sở Tư pháp (which issued a result and signed another) merged into Sở Xây dựng today."""
    world = results_world()
    world.province = AgencyFactory.province()
    world.issued = issued(world)
    world.signed = signed(world, world.citizen2)  # signed by the leader, waits for the clerk's seal
    world.result = ElectronicResult.objects.get(dossier=world.issued)
    with world.result.file.open("rb") as handle:
        world.pdf = handle.read()
    plan = approved_plan(
        [{"kind": "merge", "spec": {"sources": [world.agency.code], "target": {"code": world.other.code}}}]
    )
    plan_apply(actor="test", plan=plan)
    return world


def _verify_api(pdf: bytes) -> dict:
    response = Client().post("/api/v1/signatures/verify/", {"file": SimpleUploadedFile("kq.pdf", pdf)})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_merge_happened(merged):
    assert successor_map()[merged.agency.pk] == merged.other.pk
    for dossier in (merged.issued, merged.signed):  # open (the result awaits handover): moved, code kept
        after = Dossier.objects.get(pk=dossier.pk)
        assert (after.agency_id, after.code) == (merged.other.pk, dossier.code)
        assert after.code.startswith(merged.agency.code)


def test_the_old_code_still_resolves_in_the_wallet(merged):
    w = merged
    client = auth_client(w.citizen)

    listed = client.get("/api/v1/wallet/", {"kind": "result"}).json()["results"]
    [item] = [i for i in listed if i["kind"] == "result"]
    assert item["source_dossier"] == w.issued.code and w.issued.code.startswith(w.agency.code)
    stored = WalletItem.objects.get(uuid=item["id"])
    assert stored.sha256 == w.result.sha256 == hashlib.sha256(w.pdf).hexdigest()
    response = client.get(f"/api/v1/wallet/{item['id']}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == w.pdf  # the very file that was signed, untouched
    browser = Client()
    browser.force_login(w.citizen)
    page = browser.get("/kho-du-lieu/").content.decode()
    assert w.issued.code in page
    # The code printed on the result leads to the dossier in the public lookup.
    id_number = Dossier.objects.get(pk=w.issued.pk).applicant_id_number
    lookup = Client().post("/tra-cuu/", {"code": w.issued.code, "id_number": id_number})
    assert lookup.status_code == 200
    assert lookup.context["dossier"].pk == w.issued.pk and w.other.name in lookup.content.decode()
    # Nobody else sees it.
    other = auth_client(w.citizen2).get("/api/v1/wallet/", {"kind": "result"}).json()["results"]
    assert item["id"] not in {i["id"] for i in other}
    assert auth_client(w.citizen2).get(f"/api/v1/wallet/{item['id']}/file/").status_code == 404


def test_the_signed_result_still_verifies_on_the_public_check(merged):
    w = merged
    answer = _verify_api(w.pdf)
    assert (answer["valid"], answer["intact"], answer["trusted"]) == (True, True, True)
    assert [s["serial"] for s in answer["signers"]] == [
        officer_certificate_for(w.leader).serial,
        agency_seal_certificate_for(w.agency).serial,  # the old unit's seal, still recognised
    ]
    html = Client().post("/xac-thuc-chu-ky/", {"file": SimpleUploadedFile("kq.pdf", w.pdf)}).content.decode()
    assert "Chữ ký số hợp lệ" in html and w.leader.full_name in html


def test_a_result_signed_before_the_merge_is_sealed_and_issued_at_the_successor(merged):
    w = merged
    dossier = Dossier.objects.get(pk=w.signed.pk)
    # The old unit's clerk now works at the successor (roles moved with the merge) and keeps the assigned step.
    clerk = type(w.clerk).objects.get(pk=w.clerk.pk)  # a fresh request: roles are cached on the user object
    step_perform_action(actor=clerk, dossier=dossier, action="deliver", data={})

    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.status == "issued"
    with result.file.open("rb") as handle:
        pdf = handle.read()
    answer = _verify_api(pdf)
    assert (answer["valid"], answer["intact"], answer["trusted"]) == (True, True, True)
    assert [s["serial"] for s in answer["signers"]] == [
        officer_certificate_for(w.leader).serial,
        agency_seal_certificate_for(w.other).serial,
    ]
    item = WalletItem.objects.get(owner=w.citizen2, kind="result")
    assert (item.source_code, item.sha256) == (w.signed.code, result.sha256)

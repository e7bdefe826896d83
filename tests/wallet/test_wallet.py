"""Citizen data wallet (NĐ 45/2020): kept automatically, private to its owner, reusable in a new dossier."""

import itertools

import pytest
from django.test import Client

from dichvucong.dossiers.models import Attachment, Dossier, Upload
from dichvucong.integrations import outbox
from dichvucong.integrations.models import Target
from dichvucong.results.models import ElectronicResult
from dichvucong.wallet.models import WalletItem
from tests.conftest import auth_client
from tests.dossiers.conftest import FORM

from ..results.conftest import PDF, issued, upload

pytestmark = pytest.mark.django_db
_files = itertools.count(1)


def _submit_over_api(world, user, attachments, **extra):
    payload = {
        "procedure": world.procedure.code,
        "agency": world.agency.code,
        "form_data": FORM,
        "attachments": attachments,
        **extra,
    }
    return auth_client(user).post("/api/v1/dossiers/", payload, format="json")


def _first_dossier_with_uploads(world, user, django_capture_on_commit_callbacks):
    files = [upload(user, PDF + f"% tai lieu {next(_files)}\n".encode()) for _n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit_over_api(
            world, user, [{"upload": str(f.uuid), "document": d.pk} for f, d in zip(files, world.docs[:2], strict=True)]
        )
    assert response.status_code == 201, response.json()
    outbox.deliver_due(
        targets=[Target.LOCAL]
    )  # the outbox worker keeps the files in the wallet (a deferred effect, ADR 0024)
    return response.json()["code"], files


def test_submitted_documents_are_kept_in_the_owners_wallet_after_submission(world, django_capture_on_commit_callbacks):
    code, files = _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)

    items = WalletItem.objects.filter(owner=world.citizen)
    assert {i.sha256 for i in items} == {f.sha256 for f in files}
    assert {i.kind for i in items} == {"submitted_document"} and {i.source_code for i in items} == {code}
    assert {i.title for i in items} == {d.name for d in world.docs[:2]}


def test_an_issued_result_is_kept_in_the_wallet_and_downloadable(world):
    dossier = issued(world)
    result = ElectronicResult.objects.get(dossier=dossier)

    item = WalletItem.objects.get(owner=world.citizen, kind="result")
    assert (item.sha256, item.file.name, item.source_code) == (result.sha256, result.file.name, dossier.code)
    response = auth_client(world.citizen).get(f"/api/v1/wallet/{item.uuid}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_wallet_reuse_end_to_end_through_the_dossier_submission(world, django_capture_on_commit_callbacks):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    listed = auth_client(world.citizen).get("/api/v1/wallet/").json()["results"]
    assert len(listed) == 2
    uploads_before = Upload.objects.count()

    response = _submit_over_api(
        world, world.citizen, [{"wallet_item": item["id"], "document": item["document"]} for item in listed]
    )

    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    attachments = list(dossier.attachments.order_by("required_document__order"))
    items = {i.sha256: i for i in WalletItem.objects.filter(owner=world.citizen)}
    assert [a.required_document_id for a in attachments] == [d.pk for d in world.docs[:2]]
    for att in attachments:
        assert att.upload_id is None and att.file.name == items[att.sha256].file.name  # the stored file, no copy
    assert Upload.objects.count() == uploads_before
    detail = auth_client(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert len(detail["attachments"]) == 2
    download = auth_client(world.reception).get(f"/api/v1/dossiers/{dossier.code}/attachments/{attachments[0].uuid}/")
    assert download.status_code == 200


def test_someone_elses_wallet_item_is_refused_and_nothing_is_written(world, django_capture_on_commit_callbacks):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    foreign = WalletItem.objects.filter(owner=world.citizen).first()
    own = upload(world.citizen2)
    dossiers_before, attachments_before = Dossier.objects.count(), Attachment.objects.count()

    response = _submit_over_api(
        world,
        world.citizen2,
        [
            {"upload": str(own.uuid), "document": world.docs[0].pk},
            {"wallet_item": str(foreign.uuid), "document": world.docs[1].pk},
        ],
    )

    assert response.status_code == 400 and response.json()["code"] == "wallet_item_not_found"
    assert (Dossier.objects.count(), Attachment.objects.count()) == (dossiers_before, attachments_before)
    assert Upload.objects.get(pk=own.pk).used is False


def test_a_wallet_entry_must_name_a_required_document_of_the_procedure(world, django_capture_on_commit_callbacks):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    item = WalletItem.objects.filter(owner=world.citizen).first()

    missing = _submit_over_api(world, world.citizen, [{"wallet_item": str(item.uuid)}])
    foreign_doc = _submit_over_api(world, world.citizen, [{"wallet_item": str(item.uuid), "document": 999999}])

    assert missing.status_code == 400 and missing.json()["code"] == "wallet_document_required"
    assert foreign_doc.status_code == 400 and foreign_doc.json()["code"] == "unknown_required_document"


def test_wallets_are_isolated_between_citizens(world, django_capture_on_commit_callbacks):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    _first_dossier_with_uploads(world, world.citizen2, django_capture_on_commit_callbacks)
    mine = WalletItem.objects.filter(owner=world.citizen)

    listed = auth_client(world.citizen2).get("/api/v1/wallet/").json()
    assert listed["count"] == 2
    assert not {row["id"] for row in listed["results"]} & {str(i.uuid) for i in mine}
    for user in (world.citizen2, world.reception, world.monitor):
        assert auth_client(user).get(f"/api/v1/wallet/{mine[0].uuid}/file/").status_code == 404
    assert auth_client(world.reception).get("/api/v1/wallet/").json()["count"] == 0
    assert Client().get("/api/v1/wallet/").status_code in (401, 403)
    page = Client()
    page.force_login(world.citizen2)
    html = page.get("/kho-du-lieu/").content.decode()
    assert str(mine[0].uuid) not in html
    assert all(str(i.uuid) in html for i in WalletItem.objects.filter(owner=world.citizen2))


def test_the_wallet_item_survives_the_source_dossier(world, django_capture_on_commit_callbacks):
    code, _files = _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    Dossier.objects.filter(code=code).delete()

    item = WalletItem.objects.filter(owner=world.citizen).first()
    assert item.source_dossier is None and item.source_code == code
    response = auth_client(world.citizen).get(f"/api/v1/wallet/{item.uuid}/file/")
    assert response.status_code == 200


def test_wallet_list_query_count_does_not_grow_with_items(
    world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(3):
        _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    client = auth_client(world.citizen)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/wallet/")
    assert response.json()["count"] == 6

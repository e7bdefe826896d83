"""The citizen's web wizard reuses wallet items: per required document, an upload or one of their own items."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.dossiers.models import Dossier, Upload
from dichvucong.wallet.models import WalletItem

from ..results.conftest import PDF
from .test_wallet import _first_dossier_with_uploads

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _wizard_url(world) -> str:
    return f"/ho-so/nop/{world.procedure.code}/?agency={world.agency.code}"


def _post_wizard(client, world, user, **documents):
    return client.post(
        _wizard_url(world),
        {
            "full_name": user.full_name,
            "id_number": user.id_number,
            "f_child_name": "Nguyễn Văn Bé",
            "f_birth_date": "2021-03-01",
            "f_gender": "Nam",
            **documents,
        },
    )


def _items_by_document(world, user) -> dict[int, WalletItem]:
    return {item.required_document_id: item for item in WalletItem.objects.filter(owner=user)}


def test_a_web_submission_satisfies_the_mandatory_documents_with_wallet_items_and_uploads_nothing(
    world, django_capture_on_commit_callbacks
):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    items = _items_by_document(world, world.citizen)
    client = browser(world.citizen)
    page = client.get(_wizard_url(world)).content.decode()
    assert f'name="wallet_{world.docs[0].pk}"' in page and str(items[world.docs[0].pk].uuid) in page
    assert f"<legend>{world.docs[0].name}" in page  # one fieldset per required document
    uploads_before, dossiers_before = Upload.objects.count(), Dossier.objects.count()

    draft = _post_wizard(
        client, world, world.citizen, **{f"wallet_{doc.pk}": str(items[doc.pk].uuid) for doc in world.docs[:2]}
    )
    assert draft.status_code == 302, draft.content.decode()[:3000]
    review = client.get(draft["Location"]).content.decode()
    assert "còn thiếu thành phần bắt buộc" not in review
    submitted = client.post(draft["Location"])

    dossier = Dossier.objects.exclude(status="draft").order_by("-pk").first()
    assert submitted.status_code == 302 and submitted["Location"] == f"/ho-so/cua-toi/{dossier.code}/"
    assert Dossier.objects.count() == dossiers_before + 1 and dossier.status == "new"
    attachments = {att.required_document_id: att for att in dossier.attachments.all()}
    assert set(attachments) == {doc.pk for doc in world.docs[:2]}
    for doc in world.docs[:2]:
        att = attachments[doc.pk]
        assert att.upload_id is None and att.file.name == items[doc.pk].file.name  # the stored file, no copy
    assert Upload.objects.count() == uploads_before


def test_another_citizens_wallet_item_is_refused_by_the_wizard(world, django_capture_on_commit_callbacks):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    foreign = _items_by_document(world, world.citizen)[world.docs[0].pk]
    client = browser(world.citizen2)
    assert str(foreign.uuid) not in client.get(_wizard_url(world)).content.decode()
    dossiers_before = Dossier.objects.count()

    response = _post_wizard(client, world, world.citizen2, **{f"wallet_{world.docs[0].pk}": str(foreign.uuid)})

    assert response.status_code == 200
    assert "Không tìm thấy giấy tờ trong kho dữ liệu của bạn" in response.content.decode()
    assert Dossier.objects.count() == dossiers_before


def test_an_upload_and_a_wallet_item_for_the_same_document_is_refused(world, django_capture_on_commit_callbacks):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    item = _items_by_document(world, world.citizen)[world.docs[0].pk]
    dossiers_before = Dossier.objects.count()

    response = _post_wizard(
        browser(world.citizen),
        world,
        world.citizen,
        **{
            f"wallet_{world.docs[0].pk}": str(item.uuid),
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
        },
    )

    assert response.status_code == 200 and "Chọn một trong hai" in response.content.decode()
    assert Dossier.objects.count() == dossiers_before


def test_resuming_a_draft_an_upload_replaces_the_wallet_item_of_that_document(
    world, django_capture_on_commit_callbacks
):
    _first_dossier_with_uploads(world, world.citizen, django_capture_on_commit_callbacks)
    items = _items_by_document(world, world.citizen)
    client = browser(world.citizen)
    draft_url = _post_wizard(
        client, world, world.citizen, **{f"wallet_{doc.pk}": str(items[doc.pk].uuid) for doc in world.docs[:2]}
    )["Location"]
    draft = Dossier.objects.get(status="draft")
    assert draft.attachments.count() == 2

    response = client.post(
        f"/ho-so/nhap/{draft.uuid}/",
        {
            "full_name": world.citizen.full_name,
            "id_number": world.citizen.id_number,
            "f_child_name": "Nguyễn Văn Bé",
            "f_birth_date": "2021-03-01",
            f"doc_{world.docs[0].pk}": SimpleUploadedFile("to-khai-moi.pdf", PDF + b"% moi\n"),
        },
    )

    assert response.status_code == 302 and response["Location"] == draft_url
    attachments = {att.required_document_id: att for att in draft.attachments.all()}
    assert len(attachments) == 2 == draft.attachments.count()
    assert attachments[world.docs[0].pk].original_name == "to-khai-moi.pdf"
    assert attachments[world.docs[0].pk].upload_id is not None
    assert attachments[world.docs[1].pk].upload_id is None  # the other wallet item is kept

"""Attachments through S3-compatible object storage (STORAGE_BACKEND=s3): django-storages talking over HTTP to a
local S3 server (moto in server mode), the way production talks to its object store."""

import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dichvucong.dossiers.models import Upload
from dichvucong.dossiers.uploads import uploads_cleanup
from tests.conftest import auth_client

from .conftest import PDF, submit_online

BUCKET = "dichvucong-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3(settings):
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_uploads_and_attachments_live_in_the_bucket(world, s3):
    response = auth_client(world.citizen).post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    stored = Upload.objects.get(uuid=response.json()["id"])
    assert stored.file.name in _keys(s3)
    assert s3.get_object(Bucket=BUCKET, Key=stored.file.name)["Body"].read() == PDF

    dossier = submit_online(world)
    attachment = dossier.attachments.first()
    for user in (world.citizen, world.reception):
        response = auth_client(user).get(f"/api/v1/dossiers/{dossier.code}/attachments/{attachment.uuid}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    response = auth_client(world.citizen2).get(f"/api/v1/dossiers/{dossier.code}/attachments/{attachment.uuid}/")
    assert response.status_code == 404


def test_cleanup_removes_unattached_uploads_from_the_bucket(world, s3, settings):
    settings.UPLOAD_TTL_HOURS = 0
    response = auth_client(world.citizen).post(
        "/api/v1/uploads/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart"
    )
    name = Upload.objects.get(uuid=response.json()["id"]).file.name
    assert name in _keys(s3)
    assert uploads_cleanup() == 1
    assert name not in _keys(s3) and not Upload.objects.exists()

"""POST /api/v1/signatures/verify/ (public), GET /api/v1/signing/ca.pem, GET /api/v1/signing/certificates/."""

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile

from dichvucong.signing import keystore
from dichvucong.signing.pdf_signing import sign_pdf_bytes
from dichvucong.signing.services import pdf_sign
from tests.conftest import auth_client
from tests.factories import CitizenFactory, StaffFactory

from .conftest import RESULT_TEXT, make_pdf

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/signatures/verify/"
CA_PEM = "/api/v1/signing/ca.pem"
CERTIFICATES = "/api/v1/signing/certificates/"


def upload(data: bytes, name: str = "ket-qua.pdf"):
    return {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}


@pytest.fixture
def signed_pdf(demo_pki) -> bytes:
    signed = pdf_sign(
        actor=demo_pki.leader, pdf_bytes=make_pdf(), signer=demo_pki.leader, reason="Phê duyệt", location="Hưng Yên"
    )
    return pdf_sign(
        actor=demo_pki.clerk,
        pdf_bytes=signed,
        signer=demo_pki.clerk,
        reason="Đóng dấu",
        location="Hưng Yên",
        seal_of=demo_pki.justice,
    )


def test_anyone_can_verify_a_signed_result(api_client, signed_pdf):
    response = api_client.post(VERIFY, upload(signed_pdf), format="multipart")

    assert response.status_code == 200
    body = response.json()
    assert (body["valid"], body["intact"], body["trusted"]) == (True, True, True)
    assert [s["name"] for s in body["signers"]] == ["Vũ Đức Thắng", "Sở Tư pháp tỉnh Hưng Yên"]
    assert body["signers"][0]["signed_at"].endswith("+07:00")
    assert body["problems"] == []


def test_tampered_result_is_reported_not_intact(api_client, signed_pdf):
    position = signed_pdf.index(RESULT_TEXT.encode())
    tampered = signed_pdf[:position] + b"X" + signed_pdf[position + 1 :]

    body = api_client.post(VERIFY, upload(tampered), format="multipart").json()

    assert (body["valid"], body["intact"]) == (False, False)


def test_untrusted_signer_is_reported(api_client, demo_pki, foreign_signer):
    forged = sign_pdf_bytes(make_pdf(), foreign_signer, field_name="F", reason="", location="", signer_name="X")

    body = api_client.post(VERIFY, upload(forged), format="multipart").json()

    assert (body["valid"], body["intact"], body["trusted"]) == (False, True, False)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"PK\x03\x04 a zip file, not a pdf", "not_a_pdf"),
        (None, "unsigned_pdf"),
    ],
)
def test_non_pdf_and_unsigned_pdf_are_specific_errors(api_client, demo_pki, data, code):
    response = api_client.post(VERIFY, upload(data or make_pdf()), format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_missing_file_is_an_error(api_client, demo_pki):
    response = api_client.post(VERIFY, {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "file_required"


def test_oversized_upload_is_refused_with_413(api_client, demo_pki, settings, signed_pdf):
    settings.SIGNING_VERIFY_MAX_BYTES = len(signed_pdf) - 1

    response = api_client.post(VERIFY, upload(signed_pdf), format="multipart")

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"


def test_verification_is_rate_limited(api_client, demo_pki):
    codes = [api_client.post(VERIFY, upload(b"x"), format="multipart").status_code for _ in range(61)]

    assert codes[:60] == [400] * 60
    assert codes[60] == 429


def test_trust_anchor_is_served_as_pem(api_client, demo_pki):
    response = api_client.get(CA_PEM)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    certificate = x509.load_pem_x509_certificate(response.content)
    assert certificate == x509.load_pem_x509_certificate(keystore.read(keystore.CA_PEM))
    assert b"PRIVATE KEY" not in response.content


def test_configured_trust_anchors_replace_the_keystore_ca(api_client, demo_pki, settings, tmp_path):
    other = tmp_path / "ban-co-yeu-root.pem"
    other.write_bytes(keystore.read(keystore.CA_PEM))
    settings.SIGNING_TRUST_ANCHORS = [str(other), str(tmp_path / "missing.pem")]

    response = api_client.get(CA_PEM)

    assert response.status_code == 200
    assert response.content == other.read_bytes()


def test_missing_trust_anchor_is_404(api_client, db, settings, tmp_path):
    settings.SIGNING_KEYSTORE_DIR = tmp_path

    response = api_client.get(CA_PEM)

    assert response.status_code == 404
    assert response.json()["code"] == "trust_anchor_missing"


def test_officer_sees_only_own_certificate(demo_pki):
    response = auth_client(demo_pki.leader).get(CERTIFICATES)

    assert response.status_code == 200
    assert [(c["kind"], c["owner"]) for c in response.json()["results"]] == [("officer", "sotp.leader")]


def test_clerk_sees_own_certificate_and_own_agency_seal_only(demo_pki):
    results = auth_client(demo_pki.clerk).get(CERTIFICATES).json()["results"]

    assert sorted((c["kind"], c["owner"], c["agency"]) for c in results) == [
        ("agency_seal", None, demo_pki.justice.code),
        ("officer", "sotp.clerk", demo_pki.justice.code),
    ]


def test_province_admin_sees_all_certificates_in_few_queries(demo_pki, django_assert_max_num_queries):
    admin = StaffFactory(roles=[("province_admin", None)])
    client = auth_client(admin)

    with django_assert_max_num_queries(6):
        response = client.get(CERTIFICATES)

    assert response.json()["count"] == 6


def test_citizen_and_anonymous_cannot_list_certificates(api_client, demo_pki):
    assert auth_client(CitizenFactory()).get(CERTIFICATES).status_code == 403
    assert api_client.get(CERTIFICATES).status_code in (401, 403)


def test_admin_action_retires_a_certificate_with_an_audit_row(demo_pki, client):
    from dichvucong.audit.models import AuditEntry
    from dichvucong.signing.models import SigningCertificate

    superuser = StaffFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    certificate = SigningCertificate.objects.get(owner_user=demo_pki.leader)

    response = client.post(
        "/quan-tri-he-thong/signing/signingcertificate/", {"action": "deactivate", "_selected_action": [certificate.pk]}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.active is False
    assert AuditEntry.objects.filter(action="signing_certificate.deactivate", actor=superuser).exists()
    assert client.get("/quan-tri-he-thong/signing/signingcertificate/").status_code == 200

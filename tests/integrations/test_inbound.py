"""Dossiers submitted on the National Public Service Portal come in (pull with a cursor, signed push), are
deduplicated by national code, their files fetched and sniffed, the applicant matched by CCCD; they follow the
normal process and their updates flow back. Bad input is refused with a reason kept, nothing half-created."""

import base64
import json
import time

import pytest
from django.urls import reverse

from dichvucong.accounts.models import User
from dichvucong.accounts.roles import Role
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services import dossier_accept
from dichvucong.integrations import outbox
from dichvucong.integrations.inbound import national_portal_pull
from dichvucong.integrations.models import InboundDossier, Target
from dichvucong.integrations.transports import sign
from tests.dossiers.factories import PDF
from tests.factories import AgencyFactory, CitizenFactory, ProcedureFactory, next_citizen_id, officers_at


@pytest.fixture
def offering(db):
    agency = AgencyFactory.department()
    procedure = ProcedureFactory(agencies=[agency.code])
    return agency, procedure


def offer(portal, agency, procedure, *, cccd=None, files=None, **extra):
    data = {
        "MaTTHC": procedure.code,
        "MaCoQuan": agency.code,
        "ChuHoSo": "Trần Thị Bình",
        "SoCCCD": cccd or next_citizen_id(),
        "SoDienThoai": "0912345678",
        "Email": "binh@example.vn",
        "DiaChi": "Phường Hiến Nam, Hưng Yên",
        "TrichYeuHoSo": "Nộp trên Cổng DVCQG",
        "files": files
        if files is not None
        else [{"name": "don.pdf", "content_base64": base64.b64encode(PDF).decode()}],
        **extra,
    }
    return portal.app.offer(data)


def test_pull_imports_with_a_cursor_and_matches_the_applicant_by_cccd(portal, offering):
    agency, procedure = offering
    known = CitizenFactory()
    first = offer(portal, agency, procedure, cccd=known.id_number)
    second = offer(portal, agency, procedure)
    assert national_portal_pull() == {"imported": 2, "rejected": 0}
    assert national_portal_pull() == {"imported": 0, "rejected": 0}  # the cursor moved on
    row = InboundDossier.objects.get(national_code=first["MaHoSoQG"])
    dossier = row.dossier
    assert dossier.owner == known and dossier.status == "new" and dossier.channel == "online"
    assert dossier.attachments.count() == 1 and dossier.attachments.get().original_name == "don.pdf"
    other = InboundDossier.objects.get(national_code=second["MaHoSoQG"]).dossier
    assert other.owner.id_number == second["SoCCCD"] and other.owner.username == f"vneid-{second['SoCCCD']}"


def test_an_imported_dossier_follows_the_normal_process_and_its_updates_flow_back(portal, offering):
    agency, procedure = offering
    item = offer(portal, agency, procedure)
    national_portal_pull()
    dossier = InboundDossier.objects.get(national_code=item["MaHoSoQG"]).dossier
    dossier_accept(actor=officers_at(agency)[Role.RECEPTION], dossier=dossier)
    outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])
    statuses = [r["packet"]["TrangThaiHoSo"] for r in portal.app.received if r["packet"]["MaHoSo"] == item["MaHoSoQG"]]
    assert statuses == [1, 2]  # under the portal's own code


def test_signed_push_imports_once_and_a_duplicate_is_refused(transactional_db, portal, offering, live_server):
    agency, procedure = offering
    item = offer(portal, agency, procedure)
    url = live_server.url + reverse("api:integrations-national-portal-push")
    status, body = portal.app.push(item["MaHoSoQG"], url)
    assert status == 201, body
    assert json.loads(body)["status"] == "imported"
    status, body = portal.app.push(item["MaHoSoQG"], url)
    assert status == 409 and json.loads(body)["reason_code"] == "duplicate_national_code"
    assert Dossier.objects.filter(national_inbound__national_code=item["MaHoSoQG"]).count() == 1
    assert InboundDossier.objects.filter(national_code=item["MaHoSoQG"], status="rejected").count() == 1


def _push(client, packet: dict, secret: str, timestamp: str | None = None):
    body = json.dumps(packet).encode()
    timestamp = timestamp or str(int(time.time()))
    return client.post(
        reverse("api:integrations-national-portal-push"),
        data=body,
        content_type="application/json",
        headers={"X-Timestamp": timestamp, "X-Signature": sign(secret, timestamp, body)},
    )


def test_a_forged_or_stale_push_is_refused_and_recorded(portal, offering, client, settings):
    agency, procedure = offering
    item = offer(portal, agency, procedure)
    response = _push(client, item, "not-the-secret")
    assert response.status_code == 403 and response.json()["code"] == "invalid_signature"
    stale = _push(client, item, settings.NATIONAL_PORTAL_PUSH_SECRET, timestamp=str(int(time.time()) - 3600))
    assert stale.status_code == 403
    rows = InboundDossier.objects.filter(national_code=item["MaHoSoQG"])
    assert [r.reason_code for r in rows] == ["forged_push", "forged_push"]
    assert not Dossier.objects.filter(national_inbound__isnull=False).exists()


@pytest.mark.parametrize(
    ("change", "reason_code", "reason_part"),
    [
        ({"MaTTHC": "9.999999"}, "unknown_procedure", ""),
        ({"MaCoQuan": "999.99.99.H99"}, "unknown_agency", ""),
        ({"SoCCCD": None}, "malformed", "SoCCCD: bắt buộc"),
        ({"NgayNop": "hôm nay"}, "malformed", "NgayNop"),
        ({"SoCCCD": "123"}, "invalid_id_number", ""),
    ],
)
def test_bad_inbound_dossiers_are_refused_with_a_reason_and_nothing_half_created(
    portal, offering, client, settings, change, reason_code, reason_part
):
    agency, procedure = offering
    item = offer(portal, agency, procedure)
    packet = {**item, **change}
    packet = {k: v for k, v in packet.items() if v is not None}
    users, dossiers = User.objects.count(), Dossier.objects.count()
    response = _push(client, packet, settings.NATIONAL_PORTAL_PUSH_SECRET)
    assert response.status_code == 400, response.content
    row = InboundDossier.objects.get(national_code=item["MaHoSoQG"])
    assert row.status == "rejected" and row.reason_code.startswith(reason_code.split("_")[0])
    assert reason_code == row.reason_code or reason_code in row.reason_code
    assert reason_part in row.reason
    assert (User.objects.count(), Dossier.objects.count()) == (users, dossiers)


def test_an_attachment_that_fails_sniffing_is_refused(portal, offering):
    agency, procedure = offering
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    item = offer(
        portal, agency, procedure, files=[{"name": "don.pdf", "content_base64": base64.b64encode(exe).decode()}]
    )
    users = User.objects.count()
    assert national_portal_pull() == {"imported": 0, "rejected": 1}
    row = InboundDossier.objects.get(national_code=item["MaHoSoQG"])
    assert row.reason_code == "attachment_rejected" and "don.pdf" in row.reason
    assert User.objects.count() == users and not Dossier.objects.filter(national_inbound__isnull=False).exists()


def test_the_rejections_are_visible_to_the_province_admin(portal, offering, client):
    from tests.factories import StaffFactory, auth_client

    agency, procedure = offering
    offer(portal, agency, procedure, MaTTHC="9.999999")
    national_portal_pull()
    admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    api = auth_client(admin)
    rows = api.get(reverse("api:integrations-inbound")).json()["results"]
    assert rows[0]["status"] == "rejected" and rows[0]["reason_code"] == "unknown_procedure"
    client.force_login(admin)
    page = client.get(reverse("integrations:inbound"))
    assert "unknown_procedure" in page.content.decode()
    officer = officers_at(agency)[Role.RECEPTION]
    assert auth_client(officer).get(reverse("api:integrations-inbound")).status_code == 403


def test_a_pull_answered_out_of_order_imports_each_dossier_once(portal, offering):
    agency, procedure = offering
    items = [offer(portal, agency, procedure) for _ in range(3)]
    portal.app.behaviour.set("out_of_order", 0.01)
    assert national_portal_pull(limit=2) == {"imported": 3, "rejected": 0}
    imported = set(InboundDossier.objects.filter(status="imported").values_list("national_code", flat=True))
    assert imported == {i["MaHoSoQG"] for i in items}


def test_a_pull_while_the_portal_is_down_keeps_the_cursor(portal, offering):
    agency, procedure = offering
    offer(portal, agency, procedure)
    portal.app.behaviour.set("down")
    assert national_portal_pull() == {"imported": 0, "rejected": 0, "error": 1}
    portal.app.behaviour.set("normal")
    assert national_portal_pull() == {"imported": 1, "rejected": 0}


def test_an_imported_dossier_is_counted_online_and_from_the_national_portal(portal, offering):
    """Monitoring counts national-portal dossiers as their own channel, within the online ones (docs/monitoring.md)."""
    from dichvucong.monitoring.models import DossierFact, FlowAgencyDay

    agency, procedure = offering
    item = offer(portal, agency, procedure)
    national_portal_pull()
    dossier = InboundDossier.objects.get(national_code=item["MaHoSoQG"]).dossier
    assert dossier.origin == "national_portal" and dossier.channel == "online"
    fact = DossierFact.objects.get(dossier=dossier)
    assert fact.national_portal and fact.channel in ("online_full", "online_partial")
    day = FlowAgencyDay.objects.get(agency=agency, day=fact.received_on)
    assert day.received_national_portal == 1
    assert day.received_online_full + day.received_online_partial == 1


def test_a_citizen_cannot_claim_a_national_portal_origin(offering):
    """`origin` is never read from a request: only the import sets it; the service refuses it off the online channel."""
    from dichvucong.common.errors import ValidationFailed
    from dichvucong.dossiers.submission import dossier_create
    from tests.dossiers.factories import upload
    from tests.factories import auth_client

    agency, procedure = offering
    citizen = CitizenFactory()
    documents = [d.pk for d in procedure.required_documents.filter(mandatory=True)]
    payload = {
        "procedure": procedure.code,
        "agency": agency.code,
        "form_data": {},
        "attachments": [{"upload": str(upload(citizen).uuid), "document": d} for d in documents],
        "origin": "national_portal",
    }
    response = auth_client(citizen).post("/api/v1/dossiers/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Dossier.objects.get(code=response.json()["code"]).origin == "local"
    with pytest.raises(ValidationFailed) as exc:
        dossier_create(
            actor=officers_at(agency)[Role.RECEPTION],
            procedure_code=procedure.code,
            agency_code=agency.code,
            channel="counter",
            origin="national_portal",
            applicant={"full_name": "Trần Văn Cường", "id_number": next_citizen_id()},
        )
    assert exc.value.code == "invalid_origin"

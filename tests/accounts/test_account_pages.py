"""The account's own page (profile, API tokens) and officer creation by an agency administrator only."""

import re

import pytest
from django.test import Client

from dichvucong.accounts.models import ApiToken, RoleAssignment, User, UserKind
from dichvucong.accounts.services import api_token_issue
from dichvucong.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
OFFICE = "000.00.01.H31"  # Văn phòng UBND tỉnh: vpubnd.agencyadmin is its agency administrator


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


class TestProfile:
    def test_citizen_sees_their_data_and_links_to_dossiers_and_wallet(self, demo):
        page = _as("citizen").get("/tai-khoan/ho-so/").content.decode()
        assert "033090001234" in page and "Nguyễn Văn An" in page
        assert 'href="/ho-so/cua-toi/"' in page and 'href="/kho-du-lieu/"' in page

    def test_updates_contact_details_with_an_audit_row(self, demo):
        client = _as("citizen")
        response = client.post("/tai-khoan/ho-so/", {"phone": "0900000001", "address": "xã Tân Quang"})
        assert response.status_code == 302
        citizen = User.objects.get(username="citizen")
        assert (citizen.phone, citizen.address) == ("0900000001", "xã Tân Quang")
        assert AuditEntry.objects.filter(action="user.profile_update", object_id=str(citizen.uuid)).exists()

    def test_anonymous_is_sent_to_login(self, db, client):
        response = client.get("/tai-khoan/ho-so/")
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")

    def test_lists_and_revokes_own_tokens_only(self, demo):
        citizen = User.objects.get(username="citizen")
        token, key = api_token_issue(user=citizen, name="ứng dụng")
        theirs, _ = api_token_issue(user=User.objects.get(username="citizen2"))
        client = _as("citizen")
        page = client.get("/tai-khoan/ho-so/").content.decode()
        assert token.prefix in page and key not in page and theirs.prefix not in page
        assert client.post(f"/tai-khoan/ma-truy-cap/{theirs.uuid}/thu-hoi/").status_code == 404
        theirs.refresh_from_db()
        assert theirs.revoked_at is None
        assert client.post(f"/tai-khoan/ma-truy-cap/{token.uuid}/thu-hoi/").status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert client.get(f"/tai-khoan/ma-truy-cap/{token.uuid}/thu-hoi/").status_code == 405


class TestOfficerCreation:
    DATA = {
        "agency": OFFICE,
        "username": "vp.moi",
        "full_name": "Lý Văn Mới",
        "email": "moi@example.vn",
        "job_title": "Chuyên viên",
        "roles": ["reception", "specialist"],
    }

    def test_agency_admin_creates_an_officer_who_sets_a_password_from_the_e_mail(self, demo, smtp_server):
        response = _as("vpubnd.agencyadmin").post("/tai-khoan/can-bo/tao-moi/", self.DATA)
        assert response.status_code == 302
        officer = User.objects.get(username="vp.moi")
        assert officer.kind == UserKind.STAFF and not officer.has_usable_password()
        assert set(RoleAssignment.objects.filter(user=officer, agency__code=OFFICE).values_list("role", flat=True)) == {
            "reception",
            "specialist",
        }
        [message] = smtp_server.messages
        link = re.search(r"http://testserver(/\S+)", message.get_body(("plain",)).get_content()).group(1)
        browser = Client()
        page = browser.get(link, follow=True)
        assert page.context["validlink"]
        browser.post(
            page.redirect_chain[-1][0],
            {"new_password1": "Can-bo-moi-mat-khau-7", "new_password2": "Can-bo-moi-mat-khau-7"},
        )
        assert Client().login(username="vp.moi", password="Can-bo-moi-mat-khau-7")

    @pytest.mark.parametrize("who", ["vanlam.leader", "vanlam.reception", "sotttt.monitor"])
    def test_officers_who_are_not_agency_admins_are_refused(self, demo, who):
        client = _as(who)
        assert client.get("/tai-khoan/can-bo/tao-moi/").status_code == 403
        assert client.post("/tai-khoan/can-bo/tao-moi/", self.DATA).status_code == 403
        assert not User.objects.filter(username="vp.moi").exists()

    def test_citizens_are_refused(self, demo):
        assert _as("citizen").get("/tai-khoan/can-bo/tao-moi/").status_code == 403

    def test_an_agency_admin_cannot_create_officers_of_another_agency(self, demo):
        client = _as("vpubnd.agencyadmin")
        response = client.post("/tai-khoan/can-bo/tao-moi/", {**self.DATA, "agency": "000.00.23.H31"})
        assert response.status_code == 200 and response.context["form"].errors["agency"]
        assert not User.objects.filter(username="vp.moi").exists()

    def test_service_refuses_another_agency_too(self, demo):
        from dichvucong.accounts.services import officer_create
        from dichvucong.agencies.models import Agency
        from dichvucong.common.errors import PermissionDeniedError

        with pytest.raises(PermissionDeniedError):
            officer_create(
                actor=User.objects.get(username="vpubnd.agencyadmin"),
                agency=Agency.objects.get(code="000.00.23.H31"),
                username="x.y",
                full_name="X",
                email="x@example.vn",
                roles=["reception"],
            )

    def test_province_admin_may_create_for_any_agency(self, demo, smtp_server):
        response = _as("vpubnd.admin").post("/tai-khoan/can-bo/tao-moi/", {**self.DATA, "agency": "000.00.23.H31"})
        assert response.status_code == 302
        assert RoleAssignment.objects.filter(user__username="vp.moi", agency__code="000.00.23.H31").count() == 2


def test_self_registration_never_creates_staff(db, client, smtp_server):
    client.post(
        "/tai-khoan/dang-ky/",
        {
            "full_name": "A",
            "id_number": "033196001122",
            "username": "a.b",
            "email": "a@example.vn",
            "password1": "Mot-mat-khau-dai-2024",
            "password2": "Mot-mat-khau-dai-2024",
            "kind": "staff",
        },
    )
    assert User.objects.get(username="a.b").kind == UserKind.CITIZEN
    assert not ApiToken.objects.exists()

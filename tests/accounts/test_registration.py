"""Self-registration with e-mail verification, password reset by e-mail: the e-mails are actually received over SMTP
(the `smtp_server` fixture), and their links are followed."""

import re

import pytest
from django.test import Client

from dichvucong.accounts.models import User, UserKind
from dichvucong.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CITIZEN = {
    "full_name": "Vũ Thị Mai",
    "id_number": "033196001122",
    "username": "vu.mai",
    "email": "mai@example.vn",
    "phone": "0911222333",
    "address": "xã Lạc Đạo, huyện Văn Lâm",
    "password1": "Mot-mat-khau-dai-2024",
    "password2": "Mot-mat-khau-dai-2024",
}


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver(/\S+)", body).group(1)


def test_citizen_registers_receives_the_e_mail_and_activates(client, smtp_server):
    response = client.post("/tai-khoan/dang-ky/", CITIZEN)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-ky/da-gui-thu/"
    user = User.objects.get(username="vu.mai")
    assert user.kind == UserKind.CITIZEN and not user.is_active and user.email_verified_at is None
    # Not active yet: the password does not open a session.
    assert not client.login(username="vu.mai", password=CITIZEN["password1"])
    [message] = smtp_server.messages
    assert message["To"] == "mai@example.vn"
    assert "Xác minh tài khoản" in message["Subject"]
    link = _link(message)
    # Opening the link (a mail scanner would too) changes nothing; confirming does.
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    page = client.post(link)
    assert page.status_code == 200 and "Tài khoản đã được kích hoạt" in page.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None
    assert AuditEntry.objects.filter(action="user.email_verify", object_id=str(user.uuid)).exists()
    assert client.login(username="vu.mai", password=CITIZEN["password1"])


def test_business_registers_by_tax_code(client, smtp_server):
    data = {
        "organisation_name": "Công ty TNHH Lúa Vàng",
        "tax_code": "0900300503",
        "full_name": "Đỗ Văn Hải",
        "username": "luavang",
        "email": "lv@example.vn",
        "password1": "Mot-mat-khau-dai-2024",
        "password2": "Mot-mat-khau-dai-2024",
    }
    response = client.post("/tai-khoan/dang-ky/doanh-nghiep/", data)
    page = response.content.decode() if response.status_code == 200 else ""
    assert response.status_code == 302, page
    user = User.objects.get(username="luavang")
    assert user.kind == UserKind.BUSINESS and user.tax_code == "0900300503" and not user.is_active
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": "999090001234"}, "id_number", "mã tỉnh"),
        ({"id_number": "03309000123"}, "id_number", "12"),
        ({"password2": "khac"}, "password2", "không khớp"),
        ({"password1": "123", "password2": "123"}, "password1", ""),
    ],
)
def test_bad_input_creates_nothing_and_sends_nothing(client, smtp_server, change, field, message):
    response = client.post("/tai-khoan/dang-ky/", {**CITIZEN, **change})
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(username="vu.mai").exists()
    assert smtp_server.messages == []


def test_a_second_account_with_the_same_cccd_is_refused(demo, client, smtp_server):
    response = client.post("/tai-khoan/dang-ky/", {**CITIZEN, "id_number": "033090001234"})
    assert response.status_code == 200
    assert "Số CCCD đã có tài khoản" in " ".join(response.context["form"].errors["id_number"])
    assert User.objects.filter(id_number="033090001234").count() == 1
    assert smtp_server.messages == []


def test_a_forged_or_expired_verification_link_activates_nothing(client, smtp_server, settings):
    client.post("/tai-khoan/dang-ky/", CITIZEN)
    link = _link(smtp_server.messages[0])
    forged = link[:-3] + ("AAA" if not link.endswith("AAA/") else "BBB") + "/"
    assert client.post(forged.replace("//", "/")).status_code in (400, 404)
    settings.ACCOUNT_VERIFICATION_MAX_AGE_HOURS = -1
    response = client.post(link)
    assert response.status_code == 400 and "hết hạn" in response.content.decode()
    assert not User.objects.get(username="vu.mai").is_active


class TestPasswordReset:
    def test_reset_by_e_mail_ends_every_session(self, demo, smtp_server):
        other_device = Client()
        assert other_device.login(username="citizen", password="demo")
        client = Client()
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": "citizen@example.vn"})
        assert response.status_code == 302
        [message] = smtp_server.messages
        assert message["To"] == "citizen@example.vn"
        link = _link(message)
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200 and form_page.context["validlink"]
        done = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "Mat-khau-moi-an-toan-9", "new_password2": "Mat-khau-moi-an-toan-9"},
        )
        assert done.status_code == 302 and done["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
        citizen = User.objects.get(username="citizen")
        assert citizen.check_password("Mat-khau-moi-an-toan-9")
        assert AuditEntry.objects.filter(action="user.password_set", object_id=str(citizen.uuid)).exists()
        assert other_device.get("/api/v1/me/").status_code in (401, 403)
        # The link works once.
        assert not client.get(link, follow=True).context["validlink"]

    def test_unknown_address_says_the_same_and_sends_nothing(self, demo, client, smtp_server):
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": "khong-co@example.vn"})
        assert response.status_code == 302
        assert smtp_server.messages == []


def test_registration_and_reset_mails_are_rate_limited_per_address(demo, client, smtp_server, settings):
    settings.ACCOUNT_MAIL_THROTTLE_RATE = "2/hour"
    for _ in range(2):
        client.post("/tai-khoan/quen-mat-khau/", {"email": "citizen@example.vn"})
    assert len(smtp_server.messages) == 2
    refused = client.post("/tai-khoan/dang-ky/", {**CITIZEN, "username": "khac"})
    assert refused.status_code == 200 and "Quá nhiều yêu cầu" in refused.content.decode()
    assert client.post("/tai-khoan/quen-mat-khau/", {"email": "citizen@example.vn"}).status_code == 429
    assert len(smtp_server.messages) == 2
    assert not User.objects.filter(username="khac").exists()

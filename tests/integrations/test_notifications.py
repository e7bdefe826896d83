"""Notifications to applicants: real e-mail at an SMTP server, SMS at the gateway simulator, Vietnamese templates the
province admin edits (with a preview), the applicant's channel choice, never sent for a change that did not commit."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.services import (
    dossier_accept,
    dossier_apologize,
    dossier_deliver,
    dossier_refuse,
    dossier_request_supplement,
)
from dichvucong.integrations import outbox
from dichvucong.integrations.models import NotificationEvent, OutboxMessage, Target
from dichvucong.integrations.services import notification_preference_set
from dichvucong.workdays.calendar import add_working_days
from tests.factories import CitizenFactory, DossierFactory, StaffFactory, auth_client, officers_at

pytestmark = pytest.mark.django_db

EMAIL_AND_SMS = [Target.EMAIL, Target.SMS]


def send():
    return outbox.deliver_due(targets=EMAIL_AND_SMS)


def applicant(**kwargs):
    return CitizenFactory(email="an.nguyen@example.vn", phone="0987654321", **kwargs)


def test_receipt_and_acceptance_emails_arrive_with_the_vietnamese_text(smtp_server, sms_gateway):
    owner = applicant()
    dossier = DossierFactory(owner=owner)
    dossier_accept(actor=officers_at(dossier.agency)[Role.RECEPTION], dossier=dossier)
    assert send() == {"delivered": 4}
    subjects = [str(m["Subject"]).strip() for m in smtp_server.messages]
    assert subjects == [f"Hồ sơ {dossier.code} đã được tiếp nhận", subjects[1]]
    dossier.refresh_from_db()
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    assert subjects[1] == f"Hồ sơ {dossier.code} hợp lệ — hẹn trả kết quả ngày {due}"
    accepted = smtp_server.messages[1]
    assert accepted["To"] == "an.nguyen@example.vn"
    body = accepted.get_content()
    assert f"Ngày hẹn trả kết quả: {due}." in body and dossier.procedure.name in body
    assert "Kính gửi" in body and "Trung tâm Phục vụ hành chính công tỉnh Hưng Yên" in body
    texts = [m["text"] for m in sms_gateway.app.messages]
    assert texts[1] == f"DVC Hung Yen: Ho so {dossier.code} hop le, hen tra ket qua ngay {due}."
    assert {m["to"] for m in sms_gateway.app.messages} == {"0987654321"}


def test_every_event_of_the_issue_notifies(smtp_server, sms_gateway):
    owner = applicant()
    dossier = DossierFactory(owner=owner, accepted=True)
    officers = officers_at(dossier.agency)
    dossier_request_supplement(actor=officers[Role.RECEPTION], dossier=dossier, items=["Bản vẽ mặt bằng"])
    processed = DossierFactory(owner=owner, processed=True)
    dossier_apologize(
        actor=officers_at(processed.agency)[Role.LEADER], dossier=processed, reason="Chờ ý kiến cơ quan phối hợp",
        new_due_date=add_working_days(timezone.localdate(processed.due_at), 3),
    )  # fmt: skip
    dossier_deliver(actor=officers_at(processed.agency)[Role.RECEPTION], dossier=processed)
    refused = DossierFactory(owner=owner)
    dossier_refuse(actor=officers_at(refused.agency)[Role.RECEPTION], dossier=refused, reason="Không thuộc thẩm quyền")
    outbox.deliver_due(targets=[Target.FANOUT])  # the worker writes the e-mails and SMS (ADR 0024)
    kinds = set(OutboxMessage.objects.filter(target=Target.EMAIL).values_list("kind", flat=True))
    expected = {f"notification.{e}" for e in NotificationEvent.values} - {"notification.payment"}
    assert expected <= kinds  # payment: tests/integrations/test_notifications.py::test_payment_request_notifies
    send()
    bodies = {str(m["Subject"]).strip(): m.get_content() for m in smtp_server.messages}
    assert any("Bản vẽ mặt bằng" in b for b in bodies.values())
    assert any("Chờ ý kiến cơ quan phối hợp" in b and "Ngày hẹn trả kết quả mới" in b for b in bodies.values())
    assert f"Hồ sơ {refused.code} bị từ chối" in bodies
    assert "Không thuộc thẩm quyền" in bodies[f"Hồ sơ {refused.code} bị từ chối"]


def test_payment_request_notifies(smtp_server, sms_gateway):
    from tests.factories import fees_requested

    owner = applicant()
    dossier = DossierFactory(owner=owner, accepted=True)
    fees_requested(dossier, officer=officers_at(dossier.agency)[Role.SPECIALIST])
    outbox.deliver_due(targets=[Target.FANOUT])
    message = OutboxMessage.objects.get(target=Target.EMAIL, kind="notification.payment")
    assert "đ" in message.payload["subject"] and dossier.code in message.payload["subject"]


def test_nothing_is_sent_for_a_change_that_rolled_back(smtp_server, sms_gateway):
    dossier = DossierFactory(owner=applicant())
    send()
    before = len(smtp_server.messages)
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_accept(actor=officers_at(dossier.agency)[Role.RECEPTION], dossier=dossier)
        raise RuntimeError
    assert send() == {}
    assert len(smtp_server.messages) == before


def test_the_applicants_choice_of_channel(smtp_server, sms_gateway, client):
    owner = applicant()
    client.force_login(owner)
    response = client.post(reverse("integrations:preference"), {"sms": "1"})
    assert response.status_code == 302
    DossierFactory(owner=owner)
    assert send() == {"delivered": 1}
    assert smtp_server.messages == [] and len(sms_gateway.app.messages) == 1
    notification_preference_set(actor=owner, email=True, sms=False)
    DossierFactory(owner=owner)
    send()
    assert len(smtp_server.messages) == 1 and len(sms_gateway.app.messages) == 1


def test_a_mail_server_outage_is_retried_through_the_outbox(settings, sms_gateway):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 60
    DossierFactory(owner=applicant())
    assert send() == {"retry": 1, "delivered": 1}
    email = OutboxMessage.objects.get(target=Target.EMAIL)
    assert email.status == "pending" and "máy chủ thư" in email.last_error


def test_the_province_admin_edits_a_template_with_a_preview(smtp_server, sms_gateway, client):
    admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    client.force_login(admin)
    url = reverse("integrations:template-edit", kwargs={"event": "received", "channel": "email"})
    page = client.get(url)
    assert page.status_code == 200 and "đã được tiếp nhận" in page.content.decode()
    preview = client.post(url, {"subject": "Đã nhận {{ ma_ho_so }}", "body": "Chào {{ nguoi_nop }}!", "preview": "1"})
    assert "Chào Nguyễn Văn An!" in preview.content.decode()
    broken = client.post(url, {"subject": "x", "body": "{% if %}", "save": "1"})
    assert broken.status_code == 400 and "lỗi cú pháp" in broken.content.decode()
    saved = client.post(url, {"subject": "Đã nhận {{ ma_ho_so }}", "body": "Chào {{ nguoi_nop }}!", "save": "1"})
    assert saved.status_code == 302
    owner = applicant(full_name="Lê Văn Cường")
    dossier = DossierFactory(owner=owner)
    send()
    assert str(smtp_server.messages[-1]["Subject"]).strip() == f"Đã nhận {dossier.code}"
    assert smtp_server.messages[-1].get_content().strip() == "Chào Lê Văn Cường!"


def test_only_the_province_admin_edits_templates(client):
    url = reverse("integrations:template-edit", kwargs={"event": "received", "channel": "email"})
    dossier = DossierFactory()
    agency_admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, dossier.agency)])
    for user in (agency_admin, dossier.owner):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"subject": "x", "body": "y", "save": "1"}).status_code == 403
    client.force_login(StaffFactory(roles=[(Role.MONITOR, None)]))
    assert client.get(reverse("integrations:templates")).status_code == 403
    assert auth_client(dossier.owner).get(reverse("api:integrations-outbox")).status_code == 403

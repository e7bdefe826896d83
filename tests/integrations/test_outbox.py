"""The outbox: written in the transaction of the change, delivered after it by a worker, in order per dossier, with
retries (exponential backoff, ceiling), a dead letter and re-drive; the national portal's packets round trip."""

import pytest
from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.services import dossier_accept, dossier_start_processing
from dichvucong.integrations import outbox
from dichvucong.integrations.models import MessageStatus, OutboxAttempt, OutboxMessage, Target
from dichvucong.integrations.services import outbox_redrive
from tests.factories import DossierFactory, officers_at

pytestmark = pytest.mark.django_db


def portal_due():
    return outbox.deliver_due(targets=[Target.NATIONAL_PORTAL])


def portal_messages(dossier):
    return OutboxMessage.objects.filter(dossier=dossier, target=Target.NATIONAL_PORTAL).order_by("pk")


def test_a_change_writes_its_packet_in_its_own_transaction_and_a_rollback_writes_none(portal):
    dossier = DossierFactory()
    assert [m.kind for m in portal_messages(dossier)] == ["DongBoHoSoMC"]
    reception = officers_at(dossier.agency)[Role.RECEPTION]
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_accept(actor=reception, dossier=dossier)
        assert portal_messages(dossier).count() == 2  # written with the change...
        raise RuntimeError("the change fails after its effects")
    assert portal_messages(dossier).count() == 1  # ...and gone with it


def test_workers_are_told_only_after_commit(portal, django_capture_on_commit_callbacks, settings, monkeypatch):
    dispatched = []
    monkeypatch.setattr(outbox, "dispatch", lambda pks: dispatched.extend(pks))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = DossierFactory()
    assert dispatched == []  # nothing left the transaction
    for callback in callbacks:
        callback()
    written = list(OutboxMessage.objects.filter(dossier=dossier).order_by("pk").values_list("pk", flat=True))
    assert dispatched == written and len(written) == 3  # the packet, the e-mail and the SMS of the receipt


def test_status_changes_reach_the_portal_in_order_with_national_codes(portal):
    dossier = DossierFactory(accepted=True)
    officers = officers_at(dossier.agency)
    dossier_start_processing(actor=officers[Role.RECEPTION], dossier=dossier)
    counts = portal_due()
    assert counts == {"delivered": 3}
    received = [r["packet"] for r in portal.app.received if r["packet"]["MaHoSo"] == dossier.code]
    assert [p["TrangThaiHoSo"] for p in received] == [1, 2, 4]  # new, accepted, processing
    assert received[-1]["HinhThuc"] == 2 and received[-1]["MaTTHC"] == dossier.procedure.code
    assert received[1]["NgayHenTra"]  # the appointment date once accepted
    assert portal.app.rejected == [] and portal.app.out_of_order == 0
    assert set(portal_messages(dossier).values_list("status", flat=True)) == {MessageStatus.DELIVERED}
    assert all(m.attempts == 1 and m.delivered_at for m in portal_messages(dossier))


def test_a_later_message_waits_for_the_earlier_one_of_its_dossier(portal):
    dossier = DossierFactory(accepted=True)
    first, second = portal_messages(dossier)
    assert outbox.deliver_message(second.pk) == outbox.BLOCKED
    assert outbox.deliver_message(first.pk) == outbox.DELIVERED
    assert outbox.deliver_message(second.pk) == outbox.DELIVERED
    assert [r["packet"]["TrangThaiHoSo"] for r in portal.app.received] == [1, 2]


def test_failures_back_off_exponentially_up_to_the_ceiling(settings):
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 10
    settings.INTEGRATIONS_RETRY_CEILING_SECONDS = 300
    delays = [outbox.backoff_seconds(n) for n in range(1, 10)]
    assert 9 <= delays[0] <= 11 and 18 <= delays[1] <= 22 and 36 <= delays[2] <= 44
    assert all(d <= 330 for d in delays) and delays[-1] >= 270


def test_an_unreachable_portal_is_retried_later_then_delivered(portal, settings):
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 60
    settings.INTEGRATIONS_RETRY_CEILING_SECONDS = 600
    dossier = DossierFactory()
    portal.app.behaviour.set("down")
    assert portal_due() == {"retry": 1}
    message = portal_messages(dossier).get()
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "không kết nối được" in message.last_error
    assert 50 <= (message.next_attempt_at - timezone.now()).total_seconds() <= 70
    assert portal_due() == {}  # not due yet
    portal.app.behaviour.set("failing")
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert portal_due() == {"retry": 1}
    message.refresh_from_db()
    assert "HTTP 503" in message.last_error and message.attempts == 2
    assert 100 <= (message.next_attempt_at - timezone.now()).total_seconds() <= 140  # doubled
    portal.app.behaviour.set("normal")
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert portal_due() == {"delivered": 1}
    assert list(OutboxAttempt.objects.filter(message=message).values_list("ok", flat=True)) == [False, False, True]


def test_a_packet_the_portal_refuses_is_dead_with_the_reasons_and_does_not_block_the_next(portal):
    dossier = DossierFactory(accepted=True)
    first, second = portal_messages(dossier)
    first.payload["TrangThaiHoSo"] = 11
    first.payload["NgayTiepNhan"] = "03/12/2026"
    first.save()
    assert portal_due() == {"dead": 1, "delivered": 1}
    first.refresh_from_db()
    assert first.status == MessageStatus.DEAD and first.attempts == 1
    assert "TrangThaiHoSo" in first.last_error and "yyyyMMddHHmmss" in first.last_error
    assert portal.app.rejected[0]["errors"]
    # Re-driven (after the cause is fixed), it goes again under the same idempotency key.
    first.payload["TrangThaiHoSo"] = 1
    first.payload["NgayTiepNhan"] = second.payload["NgayTiepNhan"]
    first.save()
    admin = _province_admin()
    outbox_redrive(actor=admin, message=first)
    assert portal_due() == {"delivered": 1}


def test_too_many_attempts_make_a_dead_letter(portal, settings):
    settings.INTEGRATIONS_MAX_ATTEMPTS = 3
    DossierFactory()
    portal.app.behaviour.set("failing")
    for _ in range(3):
        portal_due()
    message = OutboxMessage.objects.get(target=Target.NATIONAL_PORTAL)
    assert message.status == MessageStatus.DEAD and message.attempts == 3 and "503" in message.last_error


def test_a_replayed_message_is_stored_once_by_the_receiver(portal):
    dossier = DossierFactory()
    message = portal_messages(dossier).get()
    assert outbox.deliver_message(message.pk) == outbox.DELIVERED
    # A worker that died after sending but before recording sends it again: same idempotency key.
    OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.PENDING)
    assert outbox.deliver_message(message.pk) == outbox.DELIVERED
    assert len(portal.app.received) == 1 and portal.app.duplicates == 1


def test_a_leased_message_is_not_sent_twice_at_once(portal):
    dossier = DossierFactory()
    message = portal_messages(dossier).get()
    OutboxMessage.objects.filter(pk=message.pk).update(locked_until=timezone.now() + timezone.timedelta(seconds=60))
    assert outbox.deliver_message(message.pk) == outbox.LOCKED
    assert portal_due() == {}
    assert portal.app.received == []


def _province_admin():
    from tests.factories import StaffFactory

    return StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])

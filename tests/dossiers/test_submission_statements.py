"""How many SQL statements a submission costs (docs/adr/0020-submission-statements.md), counted on the real API with
token authentication and real transactions (BEGIN/COMMIT included), constant in the number of dossiers already
stored and of files attached; and the guarantees the fewer statements keep: one code number per dossier, the audit
chain intact, an idempotent retry answered with the first dossier, a failure late in the transaction leaving nothing
behind; the work moved to the outbox worker (docs/adr/0024-submission-in-twelve.md): the wallet filled at delivery,
once, a failing wallet refusing nothing, the notifications and webhooks resolved at delivery."""

import datetime
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from dichvucong.accounts.services import api_token_issue
from dichvucong.audit.models import AuditChainHead, AuditEntry
from dichvucong.audit.selectors import audit_chain_verify
from dichvucong.common.models import Sequence
from dichvucong.dossiers import dossier_deadlines
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent, Upload
from dichvucong.integrations import fanout, outbox
from dichvucong.integrations.models import (
    NotificationPreference,
    NotificationTemplate,
    OutboxMessage,
    Target,
    WebhookSubscription,
)
from dichvucong.monitoring.models import DossierFact
from dichvucong.wallet.models import WalletItem

from .conftest import FORM, PDF, submit_online, upload

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/dossiers/"

#: Statements of one submission, everything counted: token look-up, BEGIN, the agency with the procedure, its
#: offerings and required documents (one statement on PostgreSQL), the code, the dossier, the uploads claimed with the
#: attachments written (one on PostgreSQL), history, audit (head + row), the outbox (packet + fan-out + the wallet's
#: deferred effect in one INSERT), the rollups with the fact (one on PostgreSQL), COMMIT. Before ADR 0024: 25 / 30;
#: before issue 19: 74 (online, two files) and 56 (counter) on SQLite.
ONLINE = {"postgresql": 12, "sqlite": 20}
COUNTER = {"postgresql": 14, "sqlite": 20}


@pytest.fixture(autouse=True)
def office_morning():
    """09:30 of a working day: the receipt time (ADR 0011) does not depend on when the suite runs."""
    day = timezone.localdate()
    while not dossier_deadlines.is_working_day(day):
        day -= datetime.timedelta(days=1)
    morning = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(morning, tick=True):
        yield


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, name='test')[1]}")
    return client


_serial = itertools.count()


def fresh_upload(user):
    """An upload with content of its own (the wallet keeps a content once: same content, fewer writes)."""
    return upload(user, content=PDF + f"% {next(_serial)}\n".encode())


def online_body(world, user, files: int) -> dict:
    """`files` attachments: the two mandatory documents, then optional ones."""
    documents = [world.docs[0].pk, world.docs[1].pk, world.docs[2].pk]
    attachments = [{"upload": str(fresh_upload(user).uuid), "document": documents[min(i, 2)]} for i in range(files)]
    return {
        "procedure": world.procedure.code,
        "agency": world.agency.code,
        "form_data": FORM,
        "attachments": attachments,
    }


def counter_body(world, citizen, documents: int) -> dict:
    return {
        "procedure": world.procedure.code,
        "channel": "counter",
        "form_data": FORM,
        "applicant": {"full_name": "Lê Văn Cường", "id_number": citizen.id_number},
        "received_documents": [doc.pk for doc in world.docs[:documents]],
    }


def count(client, body) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return len(ctx.captured_queries)


def stored(world, n: int) -> None:
    for _ in range(n - Dossier.objects.count()):
        submit_online(world, user=world.citizen2)


def test_online_submission_statements_are_few_and_constant(world):
    client = token_client(world.citizen)
    count(client, online_body(world, world.citizen, 2))  # warm: the year's calendar is read once per process
    stored(world, 3)
    small = count(client, online_body(world, world.citizen, 2))
    stored(world, 30)
    large = count(client, online_body(world, world.citizen, 3))
    assert small == large <= ONLINE[connection.vendor]
    assert audit_chain_verify() == []


def test_counter_submission_statements_are_few_and_constant(world):
    client = token_client(world.reception)
    count(client, counter_body(world, world.citizen2, 2))
    stored(world, 3)
    small = count(client, counter_body(world, world.citizen2, 2))
    stored(world, 30)
    large = count(client, counter_body(world, world.citizen2, 3))
    assert small == large <= COUNTER[connection.vendor]
    assert audit_chain_verify() == []


def test_the_answer_built_from_what_was_written_equals_the_stored_dossier(world):
    client = token_client(world.citizen)
    created = client.post(URL, online_body(world, world.citizen, 3), format="json").json()
    assert client.get(f"{URL}{created['code']}/").json() == created


def test_an_idempotent_retry_answers_the_first_dossier_and_takes_no_number(world):
    client = token_client(world.citizen)
    body = online_body(world, world.citizen, 2)
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    audit_rows = AuditEntry.objects.count()
    second = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and second.json() == first.json()
    assert Dossier.objects.count() == 1 and first.json()["code"].endswith("-0001")
    assert Sequence.objects.get().value == 1  # the retry's number went back with its rolled-back transaction
    assert AuditEntry.objects.count() == audit_rows and audit_chain_verify() == []
    assert OutboxMessage.objects.filter(kind="DongBoHoSoMC").count() == 1


def test_a_failure_in_the_last_effect_leaves_nothing(world, monkeypatch):
    """The outbox is written after the code, the dossier, the claimed uploads, the history and the audit row: an
    error there rolls all of them back (the uploads stay unused, the number is given again)."""

    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(fanout, "fanout_message", broken)
    client = token_client(world.citizen)
    client.raise_request_exception = False
    body = online_body(world, world.citizen, 2)  # the uploads are audited: read the head after them
    head = AuditChainHead.objects.filter(pk=1).values_list("length", "last_hash").first()
    response = client.post(URL, body, format="json")
    assert response.status_code == 500
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists() and not Attachment.objects.exists()
    assert not Upload.objects.filter(used=True).exists() and not Sequence.objects.exists()
    assert not OutboxMessage.objects.exists() and not DossierFact.objects.exists()
    assert not WalletItem.objects.exists()
    assert AuditChainHead.objects.filter(pk=1).values_list("length", "last_hash").first() == head
    monkeypatch.undo()
    again = client.post(URL, online_body(world, world.citizen, 2), format="json")
    assert again.status_code == 201 and again.json()["code"].endswith("-0001")
    assert audit_chain_verify() == []


def test_the_wallet_keeps_each_file_once_with_an_audit_row_each(world):
    client = token_client(world.citizen)

    def body():
        contents = [PDF + b"% a\n", PDF + b"% b\n", PDF + b"% c\n"]
        return {
            **online_body(world, world.citizen, 0),
            "attachments": [
                {"upload": str(upload(world.citizen, content=content).uuid), "document": doc.pk}
                for content, doc in zip(contents, world.docs, strict=True)
            ],
        }

    assert client.post(URL, body(), format="json").status_code == 201
    items = WalletItem.objects.filter(owner=world.citizen)
    assert items.count() == 0  # not in the request: the outbox worker keeps them
    assert outbox.deliver_due(targets=[Target.LOCAL]) == {"delivered": 1}
    assert items.count() == 3
    rows = AuditEntry.objects.filter(action="wallet_item.keep")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(str(i.uuid) for i in items)
    assert client.post(URL, body(), format="json").status_code == 201  # the same contents again
    outbox.deliver_due(targets=[Target.LOCAL])
    assert items.count() == 3 and rows.count() == 3
    assert audit_chain_verify() == []


#: The acceptance by the one-stop officer (`POST …/actions/ {"action": "accept"}`): token, BEGIN, the dossier locked
#: once (it was locked twice), the visibility and role checks, the deadline, the UPDATE, history, audit, the outbox
#: (packet + notifications in one INSERT), the rollups (with the dossier's paid fee since the online-payment share,
#: issue 13), COMMIT, and the answer read back.
ACCEPT = {"postgresql": 36, "sqlite": 37}


def test_acceptance_statements_are_constant(world):
    citizen, officer = token_client(world.citizen), token_client(world.reception)

    def accept() -> int:
        code = citizen.post(URL, online_body(world, world.citizen, 2), format="json").json()["code"]
        with CaptureQueriesContext(connection) as ctx:
            response = officer.post(f"{URL}{code}/actions/", {"action": "accept"}, format="json")
        assert response.status_code == 200, response.json()
        return len(ctx.captured_queries)

    accept()
    stored(world, 3)
    small = accept()
    stored(world, 30)
    large = accept()
    assert small == large <= ACCEPT[connection.vendor]
    assert audit_chain_verify() == []


def test_a_failing_wallet_refuses_nothing_and_a_retried_delivery_keeps_each_file_once(world, monkeypatch):
    from dichvucong.wallet import services as wallet_services

    real = wallet_services._keep_in_bulk
    calls = []

    def down(**kwargs):
        calls.append(1)
        raise RuntimeError("wallet storage down")

    monkeypatch.setattr(wallet_services, "_keep_in_bulk", down)
    client = token_client(world.citizen)
    response = client.post(URL, online_body(world, world.citizen, 2), format="json")
    assert response.status_code == 201 and not calls  # the request does not touch the wallet
    assert outbox.deliver_due(targets=[Target.LOCAL]) == {"retry": 1}
    message = OutboxMessage.objects.get(target=Target.LOCAL)
    assert message.kind == "wallet.keep_submitted_documents" and "wallet storage down" in message.last_error
    assert not WalletItem.objects.exists()
    monkeypatch.setattr(wallet_services, "_keep_in_bulk", real)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver_due(targets=[Target.LOCAL]) == {"delivered": 1}
    assert WalletItem.objects.filter(owner=world.citizen).count() == 2
    # delivered again (a lease expired after the handler ran): the unique owner + content keeps each file once
    OutboxMessage.objects.filter(pk=message.pk).update(status="pending", next_attempt_at=timezone.now())
    assert outbox.deliver_due(targets=[Target.LOCAL]) == {"delivered": 1}
    assert WalletItem.objects.filter(owner=world.citizen).count() == 2
    assert AuditEntry.objects.filter(action="wallet_item.keep").count() == 2 and audit_chain_verify() == []


def test_notifications_and_webhooks_are_resolved_by_the_worker_once(world):
    """One fan-out message in the transaction; the worker reads the preference, the edited template and the
    subscriptions at delivery, and a second delivery of the fan-out writes nothing twice."""
    NotificationPreference.objects.create(user=world.citizen, email=True, sms=False)
    NotificationTemplate.objects.create(
        event="received", channel="email", subject="Đã nhận {{ ma_ho_so }}", body="Chào {{ nguoi_nop }}"
    )
    WebhookSubscription.objects.create(agency=world.agency, name="Hệ thống A", url="https://a.example/hook")
    WebhookSubscription.objects.create(
        agency=world.agency, name="Hệ thống B", url="https://b.example/hook", events=["dossier.accept"]
    )
    client = token_client(world.citizen)
    code = client.post(URL, online_body(world, world.citizen, 2), format="json").json()["code"]
    written = list(OutboxMessage.objects.order_by("pk").values_list("target", flat=True))
    assert written == [Target.NATIONAL_PORTAL, Target.FANOUT, Target.LOCAL]
    assert outbox.deliver_due(targets=[Target.FANOUT]) == {"delivered": 1}
    children = OutboxMessage.objects.filter(target__in=[Target.EMAIL, Target.SMS, Target.WEBHOOK]).order_by("pk")
    assert [m.target for m in children] == [Target.EMAIL, Target.WEBHOOK]  # no SMS: the preference
    email, hook = children
    assert email.payload["subject"] == f"Đã nhận {code}" and email.destination
    assert hook.destination == "https://a.example/hook" and hook.payload["dossier"] == code
    assert hook.ordering_key == f"webhook:s{hook.subscription_id}:d{hook.dossier_id}"
    parent = OutboxMessage.objects.get(target=Target.FANOUT)
    OutboxMessage.objects.filter(pk=parent.pk).update(status="pending")
    assert outbox.deliver_due(targets=[Target.FANOUT]) == {"delivered": 1}
    assert children.count() == 2

"""Fixtures of the security tests: the Hưng Yên demo (the `demo` fixture's loader) loaded ONCE per module.

The matrices here make hundreds of requests against the same demo objects. Loading the demo for each of them (as
the function-scoped `demo` fixture does, ~4 s) would make the suite crawl, so `sec_world` loads it once per test
module inside an outer transaction that is rolled back at the end of the module. Each test still runs in its own
savepoint (pytest-django's `db`), so what one test changes never leaks into the next, nor into other modules.

`sec_world.ids` holds the values used to fill URLs (`"/api/v1/dossiers/{d_sotp_new}/"`):

- `d_sotp_new`, `d_sotp_proc`, `d_sotp_supp`: dossiers of `citizen` at Sở Tư pháp (000.00.04.H31): new,
  processing (with an internal process run, a fee assessment, a paid payment and its receipt), supplement requested;
- `d_vanlam_counter`: `citizen`'s counter dossier at UBND huyện Văn Lâm (000.00.23.H31), accepted;
- `d_vanlam_c2`, `d_vanlam_c2_done`: `citizen2`'s dossiers at Văn Lâm (processed / result returned);
- `draft`: a draft (UUID) of `citizen`; `attachment`: a file of `d_sotp_new`;
- `payment`, `receipt`, `reconciliation` (Sở Tư pháp, today) UUIDs;
- `process_sotp` (a decided process that applies at Sở Tư pháp), `process_draft` (a draft owned by Sở Tư pháp);
- `wallet_item`: a wallet item of `citizen`; `missing_uuid`: a UUID that names nothing;
- `work_item`: the open step of `d_sotp_proc` in Sở Tư pháp's process (the specialist's).
"""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

SOTP, VANLAM, VANGIANG = "000.00.04.H31", "000.00.23.H31", "000.00.24.H31"


def _dossier(key: str):
    from dichvucong.dossiers.models import Dossier

    return Dossier.objects.select_related("owner", "agency").get(idempotency_key=key)


def _wallet_item(owner, dossier) -> str:
    """A wallet item of `owner` (the wallet app keeps submitted files): the demo's, or one made here."""
    from dichvucong.wallet.models import WalletItem, WalletItemKind

    item = WalletItem.objects.filter(owner=owner).first()
    if item is None:
        attachment = dossier.attachments.first()
        item = WalletItem.objects.create(
            owner=owner,
            kind=WalletItemKind.SUBMITTED_DOCUMENT,
            title=attachment.original_name,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            source_dossier=dossier,
            source_code=dossier.code,
        )
    return str(item.uuid)


def _build_world() -> SimpleNamespace:
    from dichvucong.accounts.models import User
    from dichvucong.demo.loader import load_demo
    from dichvucong.dossiers.submission import dossier_create
    from dichvucong.payments.models import FeeAssessment, Payment, PaymentStatus
    from dichvucong.payments.receipts import receipt_issue
    from dichvucong.payments.reconciliation import _record
    from dichvucong.workflows.models import Process, ProcessScope, ProcessStatus, WorkItem
    from dichvucong.workflows.services import process_new_version

    agencies = load_demo()
    users = {user.username: user for user in User.objects.all()}
    citizen = users["citizen"]
    sotp = agencies[SOTP]

    d_new, d_proc, d_supp = _dossier("demo-1"), _dossier("demo-2"), _dossier("demo-3")
    d_c2_done, d_c2 = _dossier("demo-4"), _dossier("demo-5")
    counter = _dossier("demo-6")

    draft = dossier_create(
        actor=citizen, procedure_code=d_new.procedure.code, agency_code=SOTP, draft=True, form_data={}
    ).dossier

    # the payments demo pays demo-2; without it (no fees in the catalogue), a paid payment is recorded here
    payment = Payment.objects.filter(dossier=d_proc, status=PaymentStatus.PAID).first()
    if payment is None:
        assessment = FeeAssessment.objects.filter(dossier=d_proc).first() or FeeAssessment.objects.create(
            dossier=d_proc, total=20000, assessed_by=users["sotp.specialist"]
        )
        payment = Payment.objects.create(
            dossier=d_proc,
            assessment=assessment,
            agency=sotp,
            payer=citizen,
            amount=assessment.total,
            status=PaymentStatus.PAID,
            gateway_txn_id="SEC-TXN-1",
            paid_at=timezone.now(),
            resolved_at=timezone.now(),
        )
    receipt = receipt_issue(actor="security-tests", payment=payment)
    reconciliation = _record(actor=users["sotp.reception"], agency=sotp, day=timezone.localdate(), rows=[])

    decided = (
        Process.objects.filter(status__in=[ProcessStatus.ACTIVE, ProcessStatus.APPROVED])
        .filter(scope=ProcessScope.AGENCY, agency=sotp)
        .order_by("-version")
        .first()
        or Process.objects.filter(status=ProcessStatus.ACTIVE).order_by("pk").first()
    )
    sotp_drafter = users["sotp.leader"]
    own_decided = Process.objects.filter(owner_agency=sotp, status=ProcessStatus.ACTIVE).order_by("pk").first()
    process_draft = Process.objects.filter(
        owner_agency=sotp, status__in=[ProcessStatus.DRAFT, ProcessStatus.SUBMITTED]
    ).first() or process_new_version(actor=sotp_drafter, process=own_decided)

    wallet_item = _wallet_item(citizen, d_new)
    work_item = WorkItem.objects.filter(run__dossier=d_proc, completed_at__isnull=True).first()

    ids = {
        "sotp": SOTP,
        "vanlam": VANLAM,
        "vangiang": VANGIANG,
        "d_sotp_new": d_new.code,
        "d_sotp_proc": d_proc.code,
        "d_sotp_supp": d_supp.code,
        "d_vanlam_counter": counter.code,
        "d_vanlam_c2": d_c2.code,
        "d_vanlam_c2_done": d_c2_done.code,
        "draft": str(draft.uuid),
        "attachment": str(d_new.attachments.first().uuid),
        "payment": str(payment.uuid),
        "receipt": str(receipt.uuid),
        "reconciliation": str(reconciliation.uuid),
        "process_sotp": str(decided.uuid),
        "process_draft": str(process_draft.uuid),
        "procedure": d_new.procedure.code,
        "wallet_item": wallet_item,
        "missing_uuid": str(uuid.UUID(int=7)),
        "work_item": str(work_item.uuid) if work_item else str(uuid.UUID(int=8)),
        "today": timezone.localdate().isoformat(),
        "year": str(timezone.localdate().year),
        "yesterday": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    }
    return SimpleNamespace(
        agencies=agencies,
        ids=ids,
        draft=draft,
        process_draft=process_draft,
        dossiers={
            "d_sotp_new": d_new,
            "d_sotp_proc": d_proc,
            "d_sotp_supp": d_supp,
            "d_vanlam_counter": counter,
            "d_vanlam_c2": d_c2,
            "d_vanlam_c2_done": d_c2_done,
        },
    )


@pytest.fixture(scope="module")
def sec_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo world of this module (see the module docstring), rolled back when the module ends."""
    from django.test import override_settings

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("security-media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


@pytest.fixture
def world(sec_world, db):
    """`sec_world` inside the test's own savepoint; files go to the module's temporary media folder."""
    return sec_world


def user(username: str):
    """A fresh user object (no role cache carried over from another test)."""
    from dichvucong.accounts.models import User

    return User.objects.get(username=username)

"""Property test of the access policy (ADR 0003): every endpoint agrees with `dossier_access`.

Over a small world (the Hưng Yên demo of conftest.py, plus a dossier transferred from Văn Lâm to Văn Giang, one
under consultation of Sở Kế hoạch và Đầu tư, one submitted by a Văn Lâm officer on a citizen's behalf at Sở Tư pháp,
a refused, a withdrawn one and drafts), for users × dossiers drawn with `random.Random(seed)` (reproducible: the
failing seed and pair are in the message; one pair of each distinct access profile per seed, then a few more),
every list, detail, file, PDF form, payments, result and processing endpoint gives what `dossier_access(user,
dossier)` says:

- lists (`/api/v1/dossiers/`, the officer list page, "my dossiers"): listed ⇔ `see` (officer list: submitted only;
  my dossiers: `own`);
- detail (API, the officer's page; the citizen's page ⇔ `own`), PDF forms: 200 (or a 404 naming the form) ⇔ `see`,
  else 404 `dossier_not_found`;
- attachment download, payments, the result page and its API: ⇔ `open_files`; paying: ⇔ `pay`;
- the processing endpoint: ⇔ `follow_process` (citizens: 403, staff only).
"""

import random
import re
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dichvucong.dossiers.access import dossier_access
from tests.conftest import auth_client

from .conftest import SOTP, VANGIANG, VANLAM, user

SOKHDT = "000.00.05.H31"  # Sở Kế hoạch và Đầu tư (staffed in the demo): the consulted agency
SEEDS = [11, 23]
EXTRA_PAIRS = 4  # random pairs drawn after one of each access profile


def _submit(actor, owner, procedure_code: str, agency_code: str, **kwargs):
    from dichvucong.catalog.models import Procedure
    from dichvucong.dossiers.demo import DEMO_PDF, _sample_form
    from dichvucong.dossiers.submission import dossier_create
    from dichvucong.dossiers.uploads import upload_create

    procedure = Procedure.objects.get(code=procedure_code)
    attachments = [
        {
            "upload": str(
                upload_create(
                    actor=actor, file=SimpleUploadedFile("giay-to.pdf", DEMO_PDF, content_type="application/pdf")
                ).uuid
            ),
            "document": document.pk,
        }
        for document in procedure.required_documents.filter(mandatory=True)
    ]
    return dossier_create(
        actor=actor,
        procedure_code=procedure_code,
        agency_code=agency_code,
        form_data=_sample_form(procedure, owner),
        attachments=attachments,
        **kwargs,
    ).dossier


def _step(dossier, action: str, **data):
    from dichvucong.workflows.processing import current_item, open_run, step_perform_action

    item = current_item(open_run(dossier))
    assert action in item.step.actions, f"the demo process offers no {action} at {item.step.key}"
    step_perform_action(actor=item.assignee, dossier=dossier, action=action, data=data)


def _extend(world):
    """The demo world plus the dossiers that exercise the process rules (inside the module's transaction)."""
    from dichvucong.accounts.models import User
    from dichvucong.dossiers import services
    from dichvucong.dossiers.models import Dossier
    from dichvucong.workflows.models import Consultation, ProcessRun

    users = {u.username: u for u in User.objects.all()}
    citizen, citizen2 = users["citizen"], users["citizen2"]
    lltp, extract = world.dossiers["d_sotp_new"].procedure.code, world.dossiers["d_vanlam_c2"].procedure.code

    transferred = _submit(citizen2, citizen2, extract, VANLAM)
    transferred = services.dossier_accept(actor=users["vanlam.reception"], dossier=transferred)
    transferred = services.dossier_start_processing(actor=users["vanlam.reception"], dossier=transferred)
    _step(transferred, "transfer", agency=VANGIANG, note="Liên thông")
    assert ProcessRun.objects.filter(dossier=transferred, agency__code=VANGIANG).exists()

    consulted = _submit(citizen, citizen, lltp, SOTP)
    consulted = services.dossier_accept(actor=users["sotp.reception"], dossier=consulted)
    consulted = services.dossier_start_processing(actor=users["sotp.reception"], dossier=consulted)
    _step(consulted, "consult", agency=SOKHDT, question="Xin ý kiến", days="1")
    assert Consultation.objects.filter(run__dossier=consulted, agency__code=SOKHDT).exists()

    _submit(users["vanlam.reception"], citizen, lltp, SOTP, on_behalf_of=citizen.id_number)
    services.dossier_refuse(
        actor=users["sotp.reception"], dossier=_submit(citizen2, citizen2, lltp, SOTP), reason="Không thuộc thẩm quyền"
    )
    services.dossier_withdraw(actor=citizen, dossier=_submit(citizen, citizen, extract, VANLAM), reason="Rút")
    _submit(citizen2, citizen2, extract, VANLAM, draft=True)
    dossiers = list(Dossier.objects.select_related("agency", "owner").order_by("pk"))
    table = {}
    for username in sorted(users):
        account = user(username)
        for dossier in dossiers:
            table[username, dossier.pk] = dossier_access(account, dossier)
    return SimpleNamespace(dossiers={d.pk: d for d in dossiers}, usernames=sorted(users), table=table)


@pytest.fixture(scope="module")
def access_world(sec_world, django_db_blocker):
    """The world and its policy table: `table[username, dossier pk] = dossier_access(user, dossier)`."""
    with django_db_blocker.unblock():
        return _extend(sec_world)


def _one_of_each(rng: random.Random, items: dict) -> list:
    """One random member of each group (`items`: key -> group), in a stable order: every kind of case is met."""
    groups = defaultdict(list)
    for item, key in items.items():
        groups[repr(key)].append(item)
    return [rng.choice(sorted(groups[key])) for key in sorted(groups)]


def _is_staff(account) -> bool:
    return account.kind == "staff"


class Caller:
    """One user's API and page clients (pages: a real session)."""

    def __init__(self, username):
        self.account = user(username)
        self.api = auth_client(self.account)
        self.page = Client()
        self.page.force_login(self.account)


def _status(response, *allowed_codes):
    """The status, and the error code of a JSON 404 (`dossier_not_found`, `form_not_available`...)."""
    code = None
    if response.status_code == 404 and response.get("Content-Type", "").startswith("application/json"):
        code = response.json().get("code")
    return response.status_code, code


def check_pair(caller: Caller, dossier, access, why: str) -> None:
    ref, code = dossier.reference, dossier.code
    staff = _is_staff(caller.account)

    def expect(response, ok: bool, *, ok_status=200, refused=404, label=""):
        expected = ok_status if ok else refused
        assert response.status_code == expected, f"{why}: {label} gave {response.status_code}, the policy says {access}"

    expect(caller.api.get(f"/api/v1/dossiers/{ref}/"), access.see, label="API detail")
    expect(caller.page.get(f"/ho-so/cua-toi/{ref}/"), access.own, label="my-dossier page")
    office = caller.page.get(f"/mot-cua/ho-so/{ref}/")
    expect(office, access.see, refused=404 if staff else 403, ok_status=200 if staff else 403, label="office page")
    form = caller.api.get(f"/api/v1/dossiers/{ref}/forms/receipt.pdf")
    status = _status(form)
    assert status[0] in (200, 404) and (status != (404, "dossier_not_found")) == access.see, (
        f"{why}: PDF form {status} {access}"
    )
    if not access.open_files:  # generated forms are files: never to those who only see the dossier
        assert status[0] == 404, f"{why}: PDF form {status} {access}"
    attachment = dossier.attachments.first()
    if attachment is not None:
        expect(
            caller.api.get(f"/api/v1/dossiers/{ref}/attachments/{attachment.uuid}/"),
            access.open_files,
            label="attachment",
        )
    if not code:
        return  # a draft: nothing below exists for it
    expect(caller.api.get(f"/api/v1/dossiers/{code}/payments/"), access.open_files, label="payments")
    expect(caller.page.get(f"/ho-so/{code}/thanh-toan/"), access.pay, label="payment page")
    expect(caller.page.get(f"/ho-so/{code}/ket-qua/"), access.open_files, label="result page")
    result = _status(caller.api.get(f"/api/v1/dossiers/{code}/result/"))
    assert (result != (404, "dossier_not_found")) == access.open_files, f"{why}: result API {result} {access}"
    processing = caller.api.get(f"/api/v1/processing/{code}/")
    expect(
        processing,
        access.follow_process,
        refused=404 if staff else 403,
        ok_status=200 if staff else 403,
        label="processing",
    )


CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _listed(caller: Caller) -> dict[str, set | None]:
    """What each list shows the caller: API ids (UUIDs), the officer page's codes (None: refused), "my dossiers"
    codes and draft UUIDs."""
    api = caller.api.get("/api/v1/dossiers/?page_size=200").json()
    assert api["next"] is None
    office = caller.page.get("/mot-cua/ho-so/")
    mine = caller.page.get("/ho-so/cua-toi/").content.decode()
    return {
        "api": {row["id"] for row in api["results"]},
        "office": set(CODE.findall(office.content.decode())) if office.status_code == 200 else None,
        "mine": set(CODE.findall(mine)) | set(UUID.findall(mine)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_lists_agree_with_the_policy(access_world, world, seed):
    """A random user of each visibility profile (the set of dossiers the policy lets them see)."""
    dossiers = list(access_world.dossiers.values())
    profiles = {
        username: frozenset(pk for pk in access_world.dossiers if access_world.table[username, pk].see)
        for username in access_world.usernames
    }
    for username in _one_of_each(random.Random(seed), {u: sorted(p) for u, p in profiles.items()}):
        account = user(username)
        access = {d.pk: access_world.table[username, d.pk] for d in dossiers}
        listed = _listed(Caller(username))
        why = f"seed {seed}, {username}"
        assert listed["api"] == {str(d.uuid) for d in dossiers if access[d.pk].see}, why
        if _is_staff(account):
            assert listed["office"] == {d.code for d in dossiers if d.code and access[d.pk].see}, why
        else:
            assert listed["office"] is None, why
        assert listed["mine"] == {d.code or str(d.uuid) for d in dossiers if access[d.pk].own}, why


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_details_files_forms_payments_results_and_processing_agree_with_the_policy(access_world, world, seed):
    """A random pair (user, dossier) of each access profile (each distinct `DossierAccess`), and a few more."""
    rng = random.Random(seed)
    pairs = _one_of_each(rng, access_world.table)
    pairs += [rng.choice(sorted(access_world.table)) for _ in range(EXTRA_PAIRS)]
    callers: dict[str, Caller] = {}
    for username, pk in pairs:
        caller = callers.setdefault(username, Caller(username))
        dossier = access_world.dossiers[pk]
        check_pair(
            caller,
            dossier,
            access_world.table[username, pk],
            f"seed {seed}, {username} × {dossier.reference} ({dossier.status})",
        )


@pytest.mark.django_db
def test_the_world_exercises_every_rule(access_world, world):
    """The property is only worth the cases it meets: each rule of the policy decides some pair of this world."""
    cases = set()
    for (username, pk), access in access_world.table.items():
        dossier = access_world.dossiers[pk]
        if access.see and not (access.own or access.handle or access.follow_process):
            cases.add("on_behalf")
        if access.follow_process and not access.handle and username.startswith("sokhdt."):
            cases.add("consulted")
        if access.handle and dossier.agency.code == VANLAM and username.startswith("vangiang."):
            cases.add("transferred")
        if access.see and not access.open_files and username in ("sotttt.monitor", "vpubnd.admin"):
            cases.add("province")
        if access.own and dossier.status == "draft":
            cases.add("draft")
        if access.rate:
            cases.add("rate")
        if (
            not access.see
            and dossier.status == "draft"
            and dossier.agency.code == SOTP
            and username == "sotp.reception"
        ):
            cases.add("a draft at one's agency")
        if (
            not access.see
            and dossier.status != "draft"
            and dossier.agency.code == SOTP
            and username.startswith("vanlam.")
        ):
            cases.add("another agency")
        if not access.see and username == "citizen2" and dossier.owner.username == "citizen":
            cases.add("another citizen")
    assert cases == {
        "on_behalf",
        "consulted",
        "transferred",
        "province",
        "draft",
        "rate",
        "a draft at one's agency",
        "another agency",
        "another citizen",
    }


def _previous_involved_q(agency_ids):
    """The "involved" branch before ADR 0026: every run, step and consultation of the agencies."""
    from django.db.models import Q

    from dichvucong.workflows.models import Consultation, ProcessRun, WorkItem

    return (
        Q(pk__in=ProcessRun.objects.filter(agency_id__in=agency_ids).values("dossier_id"))
        | Q(pk__in=WorkItem.objects.filter(agency_id__in=agency_ids).values("run__dossier_id"))
        | Q(pk__in=Consultation.objects.filter(agency_id__in=agency_ids).values("run__dossier_id"))
    )


@pytest.mark.django_db
def test_the_involved_branch_sees_what_it_saw_before_adr_0026(access_world, world):
    """Involvement restricted to work away from the receiving agency (transferred runs, inter-agency steps,
    consultations) leaves every user's visible set as it was: the rest is the agency branch's; another agency's
    officer is still refused, in the list and in a single read."""
    from django.db.models import Q

    from dichvucong.accounts.selectors import user_agencies
    from dichvucong.dossiers.models import Dossier
    from dichvucong.dossiers.state_machine import Status

    for username in access_world.usernames:
        account = user(username)
        ids = sorted(a.pk for a in user_agencies(account))
        visible = set(Dossier.objects.visible_to(account).values_list("pk", flat=True))
        assert visible == {pk for pk in access_world.dossiers if access_world.table[username, pk].see}, username
        if not ids or account.role_assignments.filter(agency__isnull=True).exists():
            continue  # citizens and province roles have no involved branch
        submitted = ~Q(status=Status.DRAFT)
        before = Q(owner=account) | (
            (Q(agency_id__in=ids) | Q(created_by=account) | _previous_involved_q(ids)) & submitted
        )
        assert visible == set(Dossier.objects.filter(before).values_list("pk", flat=True)), username
    transferred = next(
        d for d in access_world.dossiers.values() if d.process_runs.filter(transferred_from__isnull=False).exists()
    )
    assert access_world.table["vangiang.reception", transferred.pk].see
    assert not access_world.table["sotp.reception", transferred.pk].see
    assert transferred.pk not in set(Dossier.objects.visible_to(user("sotp.reception")).values_list("pk", flat=True))
    assert Caller("sotp.reception").api.get(f"/api/v1/dossiers/{transferred.reference}/").status_code == 404


def test_may_see_decides_one_dossier_as_visible_to_does(access_world):
    """`access.may_see` (the status read decides on the row it read, docs/adr/0025) gives, for every user and
    dossier of the world, what `Dossier.objects.visible_to` gives in SQL, with and without `include_own`."""
    from dichvucong.dossiers.access import may_see
    from dichvucong.dossiers.models import Dossier

    checked = 0
    for username in access_world.usernames:
        account = user(username)
        for include_own in (False, True):
            visible = set(Dossier.objects.visible_to(account, include_own=include_own).values_list("pk", flat=True))
            for pk, dossier in access_world.dossiers.items():
                assert may_see(account, dossier, include_own=include_own) == (pk in visible), (
                    f"{username} × {dossier.reference} (include_own={include_own})"
                )
                checked += 1
    assert checked >= 100

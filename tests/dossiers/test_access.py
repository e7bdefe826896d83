"""The access policy of dossiers (`dossiers/access.py`, ADR 0003): `Dossier.objects.visible_to` and `dossier_access`.

The process engine is replaced here by a stub (`involved`: dossier -> {agency id: handling?}), so the policy is
tested on its own; tests/security/test_access_property.py checks it against the real workflow engine and every
endpoint.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from dichvucong.accounts.selectors import is_province_wide
from dichvucong.dossiers import services
from dichvucong.dossiers.access import NO_ACCESS, DossierAccess, dossier_access
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.registry import registry
from dichvucong.dossiers.submission import dossier_create
from tests.factories import DossierFactory, StaffFactory

from .conftest import FORM, submit_online, upload

pytestmark = pytest.mark.django_db


class StubEngine:
    """The process engine as dossiers see it: `involved[dossier pk] = {agency pk: handling}`."""

    def __init__(self):
        self.involved: dict[int, dict[int, bool]] = {}

    def involved_agency_ids(self, dossier, *, handling):
        return {agency for agency, h in self.involved.get(dossier.pk, {}).items() if h or not handling}

    def involved_agencies_q(self, agency_ids, *, handling):
        ids = set(agency_ids)
        pks = [
            pk
            for pk, agencies in self.involved.items()
            if any(a in ids and (h or not handling) for a, h in agencies.items())
        ]
        return Q(pk__in=pks)


@pytest.fixture
def engine(monkeypatch):
    stub = StubEngine()
    monkeypatch.setattr(registry, "engine", stub)
    return stub


def fresh(user):
    """The user without its cached roles (as in a new request)."""
    return type(user).objects.get(pk=user.pk)


def test_is_province_wide(world):
    admin = StaffFactory(roles=[("province_admin", None)])
    assert is_province_wide(world.monitor) and is_province_wide(admin)
    assert not is_province_wide(world.reception) and not is_province_wide(world.citizen)
    assert not is_province_wide(AnonymousUser())


def test_an_anonymous_visitor_sees_nothing_without_a_query(world, django_assert_num_queries):
    dossier = submit_online(world)
    with django_assert_num_queries(0):
        assert list(Dossier.objects.visible_to(AnonymousUser())) == []
        assert dossier_access(AnonymousUser(), dossier) == NO_ACCESS


def test_the_owner_of_a_draft_alone_sees_it(world):
    draft = dossier_create(
        actor=world.citizen,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        draft=True,
        form_data={},
    ).dossier
    mine = dossier_access(world.citizen, draft)
    assert mine.see and mine.own and mine.open_files and not mine.handle and not mine.follow_process
    assert not mine.rate
    for other in (world.citizen2, world.reception, world.monitor, world.other_reception):
        assert dossier_access(other, draft) == NO_ACCESS
        assert draft not in Dossier.objects.visible_to(other)


def test_the_receiving_agency_handles_a_submitted_dossier(world):
    dossier = submit_online(world)
    access = dossier_access(world.specialist, dossier)
    assert access == DossierAccess(see=True, handle=True, open_files=True, follow_process=True, see_signed_result=True)
    owner = dossier_access(world.citizen, dossier)
    assert owner == DossierAccess(see=True, own=True, open_files=True, pay=True)


def test_province_roles_see_submitted_dossiers_without_files(world):
    dossier = submit_online(world)
    admin = StaffFactory(roles=[("province_admin", None)])
    for user in (world.monitor, admin):
        assert dossier_access(user, dossier) == DossierAccess(see=True, follow_process=True)


def test_another_citizen_and_another_agency_get_nothing(world):
    dossier = submit_online(world)
    for user in (world.citizen2, world.other_reception):
        assert dossier_access(user, dossier) == NO_ACCESS
        assert not Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


def test_an_officer_sees_what_they_submitted_on_a_citizens_behalf_elsewhere(world):
    params = {
        "procedure_code": world.procedure.code,
        "agency_code": world.agency.code,
        "form_data": FORM,
        "attachments": [
            {"upload": str(upload(world.other_reception).uuid), "document": doc.pk} for doc in world.docs[:2]
        ],
    }
    dossier = dossier_create(actor=world.other_reception, on_behalf_of=world.citizen.id_number, **params).dossier
    assert (dossier.owner, dossier.created_by) == (world.citizen, world.other_reception)
    assert dossier_access(world.other_reception, dossier) == DossierAccess(see=True)
    assert Dossier.objects.visible_to(world.other_reception).filter(pk=dossier.pk).exists()


def test_an_agency_in_the_process_handles_it_a_consulted_one_only_sees_it(world, engine):
    dossier = submit_online(world)
    third = StaffFactory(roles=[("specialist", world.other)])
    engine.involved[dossier.pk] = {world.other.pk: False}  # a consultation addressed to Sở Xây dựng
    assert dossier_access(third, dossier) == DossierAccess(see=True, follow_process=True)
    assert Dossier.objects.visible_to(third).filter(pk=dossier.pk).exists()
    engine.involved[dossier.pk] = {world.other.pk: True}  # a transfer to it, or a step it holds
    assert dossier_access(third, dossier) == DossierAccess(
        see=True, handle=True, open_files=True, follow_process=True, see_signed_result=True
    )
    engine.involved.clear()
    assert dossier_access(third, dossier) == NO_ACCESS
    assert not Dossier.objects.visible_to(third).filter(pk=dossier.pk).exists()


def test_the_owner_rates_a_finished_dossier(world):
    withdrawn = services.dossier_withdraw(actor=world.citizen, dossier=submit_online(world), reason="Không cần nữa")
    refused = services.dossier_refuse(actor=world.reception, dossier=submit_online(world), reason="Sai thẩm quyền")
    open_one = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    assert dossier_access(world.citizen, withdrawn).rate and dossier_access(world.citizen, refused).rate
    assert not dossier_access(world.citizen, open_one).rate
    assert not dossier_access(world.reception, refused).rate


def test_every_capability_implies_seeing(world, engine):
    dossiers = [
        submit_online(world),
        submit_online(world, user=world.citizen2),
        submit_online(world, agency_code=world.other.code),
        dossier_create(
            actor=world.citizen,
            procedure_code=world.procedure.code,
            agency_code=world.agency.code,
            draft=True,
            form_data={},
        ).dossier,
    ]
    engine.involved[dossiers[0].pk] = {world.other.pk: False}
    users = [
        world.citizen,
        world.citizen2,
        world.reception,
        world.specialist,
        world.other_reception,
        world.monitor,
        AnonymousUser(),
    ]
    for user in users:
        visible = (
            set(Dossier.objects.visible_to(user, include_own=True).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
        for dossier in dossiers:
            access = dossier_access(user, dossier)
            assert access.see == (dossier.pk in visible), (user, dossier, access)
            if not access.see:
                assert access == NO_ACCESS, (user, dossier, access)
            assert access.open_files == (access.own or access.handle)
            assert not access.handle or access.follow_process


def test_lists_filtered_on_submitted_statuses_need_no_condition_for_province_roles(world):
    """docs/benchmarks.md: the province's COUNT stays an index-only scan (no `owner OR not draft` condition)."""

    def where(user, statuses):
        return str(Dossier.objects.visible_to(fresh(user), statuses=statuses).query).split(" WHERE ", 1)[1]

    monitor = where(world.monitor, ["new", "accepted"])
    assert "owner_id" not in monitor and "status" in monitor
    assert "agency_id" in where(world.reception, ["new"])
    assert "owner_id" not in where(world.monitor, [])  # ADR 0018: a province list is "not draft", nothing else


def test_province_lists_leave_drafts_out_and_staff_own_no_draft(world):
    """ADR 0018: the office list of a province role is every submitted dossier (one index range, no owner
    condition). Nothing is lost: a staff account cannot save a draft of its own (online is for citizens; an
    officer files online only on a citizen's behalf, and that dossier belongs to the citizen)."""
    from dichvucong.common.errors import PermissionDeniedError
    from dichvucong.dossiers import selectors

    monitor = fresh(world.monitor)
    drafted = DossierFactory(draft=True)
    submitted = submit_online(world)
    with pytest.raises(PermissionDeniedError):
        dossier_create(
            actor=monitor,
            procedure_code=world.procedure.code,
            agency_code=world.agency.code,
            form_data=FORM,
            attachments=[],
            draft=True,
        )
    listed = set(selectors.dossier_list(user=monitor))
    assert submitted in listed and drafted not in listed
    assert not selectors.dossier_list(user=monitor, own=True).exists()


def test_visible_to_filters_on_the_statuses_given(world):
    new = submit_online(world)
    accepted = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    assert set(Dossier.objects.visible_to(world.monitor, statuses=["accepted"])) == {accepted}
    assert set(Dossier.objects.visible_to(world.reception, statuses=["new"])) == {new}
    assert set(Dossier.objects.visible_to(world.citizen2, statuses=["new"])) == set()


def test_no_query_for_the_owner_the_receiving_agency_or_the_province(world, django_assert_num_queries):
    dossier = submit_online(world)
    users = [world.citizen, world.reception, world.monitor]
    for user in users:
        dossier_access(user, dossier)  # roles cached on the user object, as for a request
    with django_assert_num_queries(0):
        for user in users:
            assert dossier_access(user, dossier).see

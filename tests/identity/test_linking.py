"""Account linking rules of the single sign-on (identity.services.identity_sign_in), without the HTTP round trip."""

import pytest

from dichvucong.accounts.models import User, UserKind
from dichvucong.identity.errors import IdentityError
from dichvucong.identity.models import ExternalIdentity
from dichvucong.identity.services import identity_sign_in
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
ISSUER = "https://sso.example.vn/o"


def _refused(claims, code):
    users, links = User.objects.count(), ExternalIdentity.objects.count()
    with pytest.raises(IdentityError) as caught:
        identity_sign_in(issuer=ISSUER, claims=claims)
    assert caught.value.code == code
    assert (User.objects.count(), ExternalIdentity.objects.count()) == (users, links)


def test_a_second_subject_with_the_same_cccd_is_refused():
    citizen = CitizenFactory(id_number="033090001234")
    assert identity_sign_in(issuer=ISSUER, claims={"sub": "a", "citizen_id": "033090001234"}) == citizen
    _refused({"sub": "b", "citizen_id": "033090001234"}, "identity_already_linked")


def test_the_same_subject_is_the_same_account_and_another_issuer_links_separately():
    first = identity_sign_in(issuer=ISSUER, claims={"sub": "a", "citizen_id": "033092005678", "name": "Phạm Văn Dũng"})
    assert identity_sign_in(issuer=ISSUER, claims={"sub": "a", "citizen_id": "033092005678"}) == first
    other = identity_sign_in(issuer="https://other.example.vn", claims={"sub": "z", "citizen_id": "033092005678"})
    assert other == first and ExternalIdentity.objects.filter(user=first).count() == 2
    assert User.objects.filter(id_number="033092005678").count() == 1


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"sub": "a"}, "claims_missing"),
        ({"citizen_id": "033090001234"}, "claims_missing"),
        ({"sub": "a", "citizen_id": "999090001234"}, "invalid_id_number"),
        ({"sub": "a", "citizen_id": "0330900012"}, "invalid_id_number"),
        ({"sub": "a", "tax_code": "0900100103"}, "invalid_tax_code"),
    ],
)
def test_bad_claims_create_nothing(claims, code):
    _refused(claims, code)


def test_a_business_claim_never_reaches_a_citizen_account_with_that_number():
    business = identity_sign_in(
        issuer=ISSUER, claims={"sub": "t", "tax_code": "0900200308", "organisation_name": "HTX Văn Giang"}
    )
    assert business.kind == UserKind.BUSINESS and business.username == "0900200308"
    assert not business.has_usable_password()


def test_username_taken_gets_a_suffix():
    CitizenFactory(username="033092005678", id_number="033195004321")
    user = identity_sign_in(issuer=ISSUER, claims={"sub": "q", "citizen_id": "033092005678"})
    assert user.username == "033092005678-2"


def test_an_account_registered_with_someone_elses_cccd_is_taken_over_by_its_owner():
    from django.test import Client

    from dichvucong.accounts.services import user_register_citizen
    from dichvucong.audit.models import AuditEntry

    squatter = user_register_citizen(
        username="ke.gian",
        password="Mat-khau-cua-ke-gian-1",
        full_name="Kẻ Gian",
        id_number="033092005678",
        email="kegian@example.vn",
        pending_verification=True,
    )
    user = identity_sign_in(
        issuer=ISSUER, claims={"sub": "d", "citizen_id": "033092005678", "email": "dung.pham@example.vn"}
    )
    assert user == squatter
    user.refresh_from_db()
    assert user.is_active and not user.has_usable_password()
    assert user.email == "dung.pham@example.vn" and user.email_verified_at is not None
    assert not Client().login(username="ke.gian", password="Mat-khau-cua-ke-gian-1")
    assert AuditEntry.objects.filter(action="identity.link_take_over", object_id=str(user.uuid)).exists()


def test_the_same_mailbox_keeps_the_local_password():
    from django.test import Client

    citizen = CitizenFactory(id_number="033090001234", email="an@example.vn")
    citizen.set_password("Mat-khau-rieng-an-1")
    citizen.save()
    identity_sign_in(issuer=ISSUER, claims={"sub": "a", "citizen_id": "033090001234", "email": "AN@example.vn"})
    assert Client().login(username=citizen.username, password="Mat-khau-rieng-an-1")

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

"""Fee quantities are bounded (issue 12, item 2): 10^30 was a 500 (bigint overflow), 10^6 an 8,000,000,000 đồng
fee. The API refuses them with a Vietnamese 400, the service refuses them for the pages too."""

import pytest

from dichvucong.common.errors import ValidationFailed
from dichvucong.payments.models import FeeAssessment
from dichvucong.payments.services import MAX_FEE_QUANTITY, payment_request
from tests.conftest import auth_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("quantity", [10**30, 10**6, MAX_FEE_QUANTITY + 1, 0, -5, "abc"])
def test_absurd_quantities_are_400_and_assess_nothing(world, quantity):
    url = f"/api/v1/dossiers/{world.dossier.code}/payment-request/"
    response = auth_client(world.specialist).post(
        url, {"quantities": {str(world.per_copy.pk): quantity}}, format="json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    message = data["fields"]["quantities"][str(world.per_copy.pk)][0]
    assert message.startswith(("Giá trị phải", "Phải là"))
    assert not FeeAssessment.objects.exists()


@pytest.mark.parametrize("quantity", [10**6, 0, "x"])
def test_the_service_bounds_quantities_too(world, quantity):
    with pytest.raises(ValidationFailed) as caught:
        payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: quantity})
    assert caught.value.code == "invalid_quantity"
    assert str(MAX_FEE_QUANTITY) in caught.value.detail


def test_the_largest_quantity_is_accepted(world):
    payment_request(actor=world.specialist, dossier=world.dossier, quantities={world.per_copy.pk: MAX_FEE_QUANTITY})
    assert FeeAssessment.objects.count() == 1

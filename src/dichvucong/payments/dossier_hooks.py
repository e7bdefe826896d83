"""What payments add to the dossier lifecycle (dossiers.registry, ADR 0005): the `request_payment` and `pay`
transitions of the dossier (national status 6) as actions of `POST /api/v1/dossiers/<code>/actions/`."""

from rest_framework import serializers

from dichvucong.dossiers.actions import EmptyInput, NoteInput, no_process_run, transition_offered
from dichvucong.dossiers.registry import DOSSIER, ActionSpec, registry
from dichvucong.dossiers.state_machine import TRANSITIONS

from .models import PaymentStatus
from .services import payment_request, payment_start


class PaymentRequestInput(NoteInput):
    """The fees assessed (the dossier's `request_payment`, and the process step's of the same name)."""

    quantities = serializers.DictField(required=False, default=dict, help_text="{id khoản phí: số trang/bản}")
    exemptions = serializers.DictField(required=False, default=dict, help_text="{id khoản phí: lý do miễn}")


def _payable(dossier, running: bool) -> bool:
    """Not while the process steps decide (the step's own `request_payment`), nor once the fees are paid."""
    return not running and not dossier.payments.filter(status=PaymentStatus.PAID).exists()


def request_payment(*, actor, dossier, note: str, quantities: dict, exemptions: dict):
    return payment_request(actor=actor, dossier=dossier, quantities=quantities, exemptions=exemptions, note=note)


def pay(*, actor, dossier):
    return payment_start(actor=actor, dossier=dossier)


for _name, _input, _perform, _guard, _check in (
    ("request_payment", PaymentRequestInput, request_payment, _payable, no_process_run("request_payment")),
    ("pay", EmptyInput, pay, None, None),
):
    registry.action(
        ActionSpec(
            name=_name,
            kind=TRANSITIONS[_name].kind,
            label=TRANSITIONS[_name].label,
            input=_input,
            perform=_perform,
            offered=transition_offered(_name, _guard),
            scope=DOSSIER,
            check=_check,
        )
    )

"""What payments add to the dossier lifecycle (dossiers.registry, ADR 0005): the `request_payment` and `pay`
transitions of the dossier (national status 6) as actions of `POST /api/v1/dossiers/<code>/actions/`."""

from rest_framework import serializers

from dichvucong.dossiers.access import dossier_access
from dichvucong.dossiers.actions import NoteInput, no_process_run, transition_offered
from dichvucong.dossiers.registry import DOSSIER, ActionSpec, registry
from dichvucong.dossiers.state_machine import TRANSITIONS

from .models import DESK_METHOD_CHOICES, PaymentStatus, Receipt
from .services import payment_collect, payment_request, payment_start


class PaymentRequestInput(NoteInput):
    """The fees assessed (the dossier's `request_payment`, and the process step's of the same name)."""

    quantities = serializers.DictField(required=False, default=dict, help_text="{id khoản phí: số trang/bản}")
    exemptions = serializers.DictField(required=False, default=dict, help_text="{id khoản phí: lý do miễn}")


def _payable(dossier, running: bool) -> bool:
    """Not while the process steps decide (the step's own `request_payment`), nor once the fees are paid, nor for a
    procedure whose catalogue lists no fee (nothing could be assessed: the request would only fail)."""
    return (
        not running
        and dossier.procedure.fees.filter(amount__gt=0).exists()
        and not dossier.payments.filter(status=PaymentStatus.PAID).exists()
    )


def _not_paid(dossier, running: bool) -> bool:
    return not dossier.payments.filter(status=PaymentStatus.PAID).exists()


def request_payment(*, actor, dossier, note: str, quantities: dict, exemptions: dict):
    return payment_request(actor=actor, dossier=dossier, quantities=quantities, exemptions=exemptions, note=note)


class PayInput(NoteInput):
    """The owner pays online (no field: the platform's page follows); a desk officer records the fees collected at
    the counter with the `method` and the `reference` of the POS slip or bank transfer."""

    method = serializers.ChoiceField(
        choices=DESK_METHOD_CHOICES,
        required=False,
        help_text="Thu tại quầy: cash (tiền mặt), pos (thẻ qua máy POS), transfer (chuyển khoản)",
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text="Số chuẩn chi POS / số tham chiếu"
    )


def pay(*, actor, dossier, note: str = "", method: str | None = None, reference: str = ""):
    if method or dossier.owner_id != getattr(actor, "pk", None):
        return payment_collect(actor=actor, dossier=dossier, method=method or "", reference=reference, note=note)
    return payment_start(actor=actor, dossier=dossier)


for _name, _input, _perform, _guard, _check in (
    ("request_payment", PaymentRequestInput, request_payment, _payable, no_process_run("request_payment")),
    ("pay", PayInput, pay, _not_paid, None),
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


def receipts_panel(request, dossier) -> dict | None:
    """The officers' dossier page: the receipts (biên lai) of the fees paid, each with its print button, for those who
    may open the dossier's files."""
    if not dossier.code or not dossier_access(request.user, dossier).open_files:
        return None
    receipts = list(
        Receipt.objects.filter(payment__dossier=dossier, payment__status=PaymentStatus.PAID).order_by("issued_at")
    )
    return {"dossier": dossier, "receipts": receipts} if receipts else None


registry.panel("office_detail", template="payments/_receipts_panel.html", context=receipts_panel, order=10)

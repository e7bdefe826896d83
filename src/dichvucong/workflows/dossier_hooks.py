"""What the workflow engine adds to the dossier lifecycle (dossiers.registry, ADR 0005): the engine itself, the
step actions (offered by the engine to the holder of the current step), and its effects: a dossier handed over for
processing enters its approved process; a payment resumes the run that waited for it."""

from rest_framework import serializers

from dichvucong.dossiers.actions import NoteInput
from dichvucong.dossiers.registry import STEP, ActionSpec, LifecycleEvent, registry
from dichvucong.payments.dossier_hooks import PaymentRequestInput

from .engine import WorkflowEngine
from .models import ActionKind, RunStatus
from .processing import open_run, process_payment_received, process_start_for_dossier, step_perform_action
from .queues import consultations_for

registry.set_engine(WorkflowEngine())


# --- step actions ----------------------------------------------------------------------------------------------------
class MoveInput(NoteInput):
    to_step = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Bước đến (khi có nhiều bước đến)"
    )
    assignee = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Người nhận ở bước sau (tên đăng nhập hoặc UUID)"
    )


class ConsultInput(NoteInput):
    agency = serializers.CharField(required=False, allow_blank=True, default="", help_text="Mã cơ quan (QCVN 102)")
    question = serializers.CharField(required=False, allow_blank=True, default="", help_text="Nội dung xin ý kiến")
    days = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, help_text="Thời hạn trả lời (ngày làm việc)"
    )


class TransferInput(NoteInput):
    agency = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Mã cơ quan nhận liên thông (QCVN 102)"
    )


_INPUTS = {
    ActionKind.FORWARD: MoveInput,
    ActionKind.RETURN: MoveInput,
    ActionKind.APPROVE: MoveInput,
    ActionKind.SIGN: MoveInput,
    ActionKind.REQUEST_PAYMENT: PaymentRequestInput,
    ActionKind.CONSULT: ConsultInput,
    ActionKind.TRANSFER: TransferInput,
    ActionKind.DELIVER: NoteInput,
}


def _performer(kind: str):
    def perform(*, actor, dossier, **values):
        return step_perform_action(actor=actor, dossier=dossier, action=kind, data=values)

    return perform


for _kind in ActionKind:
    registry.action(
        ActionSpec(
            name=_kind.value,
            kind=_kind.value,
            label=_kind.label,
            input=_INPUTS[_kind],
            perform=_performer(_kind.value),
            scope=STEP,
        )
    )


# --- effects -----------------------------------------------------------------------------------------------------------
@registry.on("dossier.start_processing")
def start_process(event: LifecycleEvent) -> None:
    """Enter the first step of the approved internal process that applies, if one does."""
    process_start_for_dossier(actor=event.actor or "system", dossier=event.dossier)


@registry.on("dossier.pay")
def resume_after_payment(event: LifecycleEvent) -> None:
    """The applicant paid (payment_requested → processing): resume a run waiting for the payment, in the same
    transaction as the payment's transition."""
    if event.from_status != "payment_requested" or event.to_status != "processing":
        return
    run = open_run(event.dossier)
    if run is not None and run.status == RunStatus.WAITING_PAYMENT:
        process_payment_received(actor=event.actor or "payments", dossier=event.dossier)


def consultations_panel(request, dossier) -> dict | None:
    """The officer's dossier page: the requests for the opinion of the officer's agencies, each with its form."""
    consultations = consultations_for(request.user, dossier)
    return {"consultations": consultations} if consultations else None


registry.panel("office_detail", template="workflows/_dossier_consultations.html", context=consultations_panel)

"""The dossier's own actions (the transitions of `state_machine.TRANSITIONS` served here), declared in the registry
like every other context's (ADR 0005). Payments declare `request_payment` and `pay`, the workflow engine the step
actions, each in its own `dossier_hooks.py`."""

import datetime

from django.utils.translation import gettext as _
from rest_framework import serializers

from dichvucong.common.dates import check_date_range
from dichvucong.common.errors import PermissionDeniedError, ValidationFailed

from . import services
from .actions import EmptyInput, NoteInput, no_process_run, transition_offered
from .registry import DOSSIER, ActionSpec, registry
from .state_machine import TRANSITIONS
from .submission import dossier_submit


# --- request bodies ------------------------------------------------------------------------------------------------
class SupplementRequestInput(NoteInput):
    items = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="Các nội dung phải bổ sung (Mẫu 02)"
    )


class SupplementInput(NoteInput):
    attachments = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        default=list,
        help_text="Tệp bổ sung: mã tệp đã tải lên, hoặc {upload|wallet_item, document}",
    )
    received_documents = serializers.ListField(
        child=serializers.JSONField(), required=False, default=list, help_text="Giấy tờ giấy nhận tại một cửa"
    )


class ApologyInput(NoteInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Lý do chậm (Mẫu 04)")
    new_due_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày hẹn trả mới (YYYY-MM-DD)"
    )


# --- guards --------------------------------------------------------------------------------------------------------
def _apology_possible(dossier, running: bool) -> bool:
    return services.apology_blocker(dossier) is None


def _no_run(dossier, running: bool) -> bool:
    return not running


def _new_due_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return check_date_range(value, field="new_due_date")
    raise ValidationFailed(
        _("Ngày không hợp lệ (YYYY-MM-DD)."), code="invalid_date", fields={"new_due_date": [_("Ngày không hợp lệ.")]}
    )


def _transition(name: str, input_class, perform, *, guard=None, check=None) -> ActionSpec:
    transition = TRANSITIONS[name]
    return registry.action(
        ActionSpec(
            name=name,
            kind=transition.kind,
            label=transition.label,
            input=input_class,
            perform=perform,
            offered=transition_offered(name, guard),
            scope=DOSSIER,
            check=check,
        )
    )


_transition("submit", EmptyInput, lambda *, actor, dossier: dossier_submit(actor=actor, dossier=dossier))
_transition("accept", NoteInput, services.dossier_accept)
_transition("request_supplement", SupplementRequestInput, services.dossier_request_supplement)
_transition("supplement", SupplementInput, services.dossier_supplement)
_transition(
    "refuse",
    NoteInput,
    lambda *, actor, dossier, note: services.dossier_refuse(actor=actor, dossier=dossier, reason=note),
)


def _withdrawal_by_its_applicant(user, dossier) -> bool:
    """Withdrawing is the applicant's act (NĐ 61/2018): an account holder withdraws from the account; the one-stop
    desk records the written request of a walk-in applicant who has no account (the dossier has no owner), never
    withdraws an account holder's dossier in his place."""
    return dossier.owner_id is None or dossier.owner_id == user.pk


def _withdraw_check(user, dossier) -> None:
    if not _withdrawal_by_its_applicant(user, dossier):
        raise PermissionDeniedError(
            _("Chỉ người nộp hồ sơ được rút hồ sơ; người có tài khoản tự rút trên tài khoản của mình."),
            code="withdraw_by_applicant_only",
        )


_withdraw_offered = transition_offered("withdraw")
registry.action(
    ActionSpec(
        name="withdraw",
        kind=TRANSITIONS["withdraw"].kind,
        label=TRANSITIONS["withdraw"].label,
        input=NoteInput,
        perform=lambda *, actor, dossier, note: services.dossier_withdraw(actor=actor, dossier=dossier, reason=note),
        offered=lambda user, dossier, running: (
            _withdraw_offered(user, dossier, running) and _withdrawal_by_its_applicant(user, dossier)
        ),
        scope=DOSSIER,
        check=_withdraw_check,
    )
)
_transition("start_processing", NoteInput, services.dossier_start_processing)
_transition(
    "mark_processed", NoteInput, services.dossier_mark_processed, guard=_no_run, check=no_process_run("mark_processed")
)
_transition("deliver", NoteInput, services.dossier_deliver)
_transition(
    "stop", NoteInput, lambda *, actor, dossier, note: services.dossier_stop(actor=actor, dossier=dossier, reason=note)
)
_transition(
    "apologize",
    ApologyInput,
    lambda *, actor, dossier, note, reason, new_due_date: services.dossier_apologize(
        actor=actor, dossier=dossier, reason=reason or note, new_due_date=_new_due_date(new_due_date)
    ),
    guard=_apology_possible,
)

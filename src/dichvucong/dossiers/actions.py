"""Actions as data: what a user can do on a dossier, listed and performed through `registry` (ADR 0005).

`dossier_actions(user=, dossier=)` lists the actions offered now; `dossier_perform_action(actor=, dossier=, action=,
data=)` validates `data` with the action's own request serializer and calls its service. Both the API
(`/api/v1/dossiers/<code>/actions/`) and the HTML pages use them; the OpenAPI schema is built from the same
entries (`request_schema`). The dossier's own transitions are declared in `dossier_hooks.py`; payments and the
workflow engine declare theirs in their own `dossier_hooks.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dichvucong.common.errors import ConflictError, ValidationFailed, flatten_fields

from .models import Dossier
from .registry import DOSSIER, STEP, ActionSpec, registry
from .selectors import event_label
from .state_machine import TRANSITIONS, Status, actor_may, check_transition

#: Statuses in which a process run may be open (the engine holds the dossier between acceptance and result).
RUN_STATUSES = (Status.PROCESSING, Status.PAYMENT_REQUESTED, Status.SUPPLEMENT_REQUESTED)


def process_running(dossier: Dossier) -> bool:
    """True while the dossier runs through an internal process (its steps decide what happens)."""
    return dossier.pk is not None and dossier.status in RUN_STATUSES and registry.engine.is_running(dossier)


@dataclass(frozen=True)
class ActionOption:
    """One action offered to the caller: a dossier transition, or (`step`) an action of the current process step."""

    name: str
    kind: str
    label: str
    step: bool = False


class EmptyInput(serializers.Serializer):
    """No field: `{"action": "submit"}`."""


class NoteInput(serializers.Serializer):
    """The body most actions take: a note (the reason of a refusal, the opinion at a step...)."""

    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Ghi chú, lý do, ý kiến")


_ORDER = {name: position for position, name in enumerate(TRANSITIONS)}


def _in_state_machine_order(spec: ActionSpec) -> int:
    """Buttons in the state machine's order, whichever app registered the action first."""
    return _ORDER.get(spec.name, len(_ORDER))


def dossier_actions(*, user, dossier: Dossier) -> list[ActionOption]:
    """Everything `user` may do on `dossier` now, for `GET .../actions/` and the buttons: the dossier's own actions
    and, while it runs through an internal process, the actions of its current step that `user` holds."""
    running = process_running(dossier)
    options = [
        ActionOption(spec.name, spec.kind, str(spec.label))
        for spec in sorted(registry.actions(DOSSIER), key=_in_state_machine_order)
        if spec.offered(user, dossier, running)
    ]
    if not running:
        return options
    steps = [
        ActionOption(spec.name, spec.kind, str(spec.label), step=True)
        for name in registry.engine.step_actions(user, dossier)
        if (spec := registry.get(name, STEP)) is not None
    ]
    names = {option.name for option in steps}
    return [option for option in options if option.name not in names] + steps


def transition_offered(name: str, guard=None):
    """Offered when the status allows the transition, the user's role does, and the transition's own rule."""
    transition = TRANSITIONS[name]

    def offered(user, dossier, running: bool) -> bool:
        if dossier.status not in transition.sources or not actor_may(transition, user=user, dossier=dossier):
            return False
        return guard is None or guard(dossier, running)

    return offered


def no_process_run(name: str):
    """While a process run is open, `name` belongs to its steps (409 `process_run_open`)."""

    def check(user, dossier) -> None:
        if process_running(dossier):
            raise ConflictError(
                _("Hồ sơ đang xử lý theo quy trình nội bộ: «%(action)s» thực hiện tại bước xử lý hiện tại.")
                % {"action": TRANSITIONS[name].label},
                code="process_run_open",
            )

    return check


def resolve(dossier: Dossier, name: str) -> ActionSpec:
    """The action `name` means on `dossier` now: a step action while its process runs, else its own transition."""
    step = registry.get(name, STEP)
    if step is not None and process_running(dossier):
        return step
    spec = registry.get(name, DOSSIER)
    if spec is not None:
        return spec
    if step is not None:
        raise ConflictError(
            _("Hồ sơ không đang xử lý theo quy trình nội bộ nào: không thể «%(action)s».") % {"action": name},
            code="no_process_run",
        )
    names = ", ".join(spec.name for spec in registry.actions(DOSSIER))
    raise ValidationFailed(
        _("Thao tác «%(action)s» không tồn tại.") % {"action": name},
        code="unknown_action",
        fields={"action": [_("Một trong: %(values)s.") % {"values": names}]},
    )


def validated_input(spec: ActionSpec, data) -> dict:
    """The action's request body checked by its serializer (400 `validation_error` with the fields otherwise)."""
    serializer = spec.input(data=data)
    if not serializer.is_valid():
        raise ValidationFailed(
            _("Dữ liệu không hợp lệ, vui lòng kiểm tra các trường được đánh dấu."),
            code="validation_error",
            fields=flatten_fields(serializer.errors),
        )
    return dict(serializer.validated_data)


def dossier_perform_action(*, actor, dossier: Dossier, action: str, data=None) -> Dossier:
    """Perform `action` with the request body `data` (without `action`): input checked, then the status and role
    (409 / 403, dossier transitions) or the step's holder (step actions, checked by the engine), then the service.
    Returns the dossier as it is afterwards."""
    spec = resolve(dossier, action)
    values = validated_input(spec, data if data is not None else {})
    if spec.scope == DOSSIER:
        check_transition(spec.name, user=actor, dossier=dossier)
    if spec.check is not None:
        spec.check(actor, dossier)
    result = spec.perform(actor=actor, dossier=dossier, **values)
    return result if isinstance(result, Dossier) else Dossier.objects.get(pk=dossier.pk)


def action_label(name: str, *, step: bool = False) -> str:
    """How people call the action (a step action by the step's wording, e.g. the clerk's `deliver`)."""
    spec = registry.get(name, STEP) if step else None
    return str(spec.label) if spec is not None else event_label(name)


# --- the request schema of the actions endpoint (OpenAPI) ---------------------------------------------------------
def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _discriminator(name: str, help_text: str) -> serializers.Field:
    """`action`: this action's name (an inline one-value enum in the schema, no shared enum component)."""

    @extend_schema_field({"type": "string", "enum": [name], "description": help_text})
    class ActionName(serializers.ChoiceField):
        pass

    return ActionName(choices=[name], help_text=help_text)


def request_serializers(scope: str | None = None) -> dict[str, type[serializers.Serializer]]:
    """One request serializer per action name, with its `action` discriminator (a name both the dossier and the
    process steps use, such as `deliver`, accepts the fields of both unless `scope` is given)."""
    by_name: dict[str, list[ActionSpec]] = {}
    for spec in registry.actions(scope):
        by_name.setdefault(spec.name, []).append(spec)
    result = {}
    for name, specs in by_name.items():
        bases = tuple(dict.fromkeys(spec.input for spec in specs))
        help_text = " / ".join(str(spec.label) for spec in specs)
        attrs = {"action": _discriminator(name, help_text), "__module__": __name__}
        prefix = "Step" if scope == STEP else ""
        result[name] = type(f"{prefix}{_camel(name)}Action", bases, attrs)
    return result


def action_kinds() -> list[str]:
    """Every kind an action may have (docs/api-notes.md)."""
    return list(dict.fromkeys(spec.kind for spec in registry.actions()))

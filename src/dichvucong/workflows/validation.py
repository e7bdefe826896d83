"""Rules a process definition must satisfy before it can be saved, submitted or approved.

A definition is a list of `StepSpec` (the same shape whether it comes from the API, the demo or the database), so
the rules run before anything is written. Each problem is an `Issue` with a stable `code` and a Vietnamese
`detail`:

- `no_steps`, `duplicate_step_key`, `step_without_role`, `invalid_role`, `invalid_action`, `invalid_duration`;
- `other_agency_required`: an inter-agency step (`other_agency` role) names the agency that performs it (without
  one the engine would quietly hand the step to the running agency's own specialists);
- `no_start` / `multiple_starts`: exactly one step begins the process;
- `unknown_target`, `missing_target`, `transition_not_allowed`, `return_not_earlier`: transitions point at steps
  of the same process, only for actions allowed at the step, and `return` only goes back;
- `unreachable_step`: every step can be reached from the start;
- `cannot_terminate`: from every step, the process can still end (a `deliver` that marks the dossier processed
  or a `transfer` to another agency): a cycle with no way out is refused;
- `no_end`: at least one step ends the process;
- `durations_exceed_legal_time`: the step durations add up to no more than the procedure's statutory processing
  time (Decree 61/2018/NĐ-CP art. 31: the internal process must fit within the published time limit).
  Durations are summed over all steps, a conservative bound when a process branches.
"""

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import ENDING_ACTIONS, HOURS_PER_DAY, MOVING_ACTIONS, ActionKind, StepRole


@dataclass
class StepSpec:
    key: str
    name: str
    role: str
    duration_hours: Decimal
    actions: list[str]
    order: int = 0
    is_start: bool = False
    other_agency_code: str = ""
    # action -> target step keys (None: ends the process at this agency)
    transitions: dict[str, list[str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Issue:
    code: str
    detail: str
    step: str = ""


def _hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return hours if hours.is_finite() else None


def fill_default_transitions(specs: list[StepSpec]) -> None:
    """Steps without explicit transitions get the obvious ones: forward/approve/sign → the next step in order,
    return → the previous step, deliver/transfer → end. The first step starts the process unless one is marked."""
    ordered = sorted(specs, key=lambda s: s.order)
    if ordered and not any(s.is_start for s in ordered):
        ordered[0].is_start = True
    for index, spec in enumerate(ordered):
        for action in spec.actions:
            if action in spec.transitions:
                continue
            if action in MOVING_ACTIONS and index + 1 < len(ordered):
                spec.transitions[action] = [ordered[index + 1].key]
            elif action == ActionKind.RETURN and index > 0:
                spec.transitions[action] = [ordered[index - 1].key]
            elif action in ENDING_ACTIONS:
                spec.transitions[action] = [None]


def _check_steps(specs: list[StepSpec]) -> list[Issue]:
    issues, seen = [], set()
    for spec in specs:
        if spec.key in seen:
            issues.append(Issue("duplicate_step_key", _("Mã bước «%s» bị trùng.") % spec.key, spec.key))
        seen.add(spec.key)
        if not spec.role:
            issues.append(Issue("step_without_role", _("Bước «%s» chưa có vai trò thực hiện.") % spec.name, spec.key))
        elif spec.role not in StepRole.values:
            issues.append(
                Issue(
                    "invalid_role",
                    _("Vai trò «%(role)s» của bước «%(step)s» không hợp lệ.") % {"role": spec.role, "step": spec.name},
                    spec.key,
                )
            )
        elif spec.role == StepRole.OTHER_AGENCY and not spec.other_agency_code.strip():
            issues.append(
                Issue(
                    "other_agency_required",
                    _("Bước «%s» do cơ quan phối hợp thực hiện nhưng chưa chọn cơ quan phối hợp.") % spec.name,
                    spec.key,
                )
            )
        for action in spec.actions:
            if action not in ActionKind.values:
                issues.append(
                    Issue(
                        "invalid_action",
                        _("Thao tác «%(action)s» của bước «%(step)s» không hợp lệ.")
                        % {"action": action, "step": spec.name},
                        spec.key,
                    )
                )
        hours = _hours(spec.duration_hours)
        if hours is None or hours < 0:
            issues.append(Issue("invalid_duration", _("Thời gian của bước «%s» không hợp lệ.") % spec.name, spec.key))
    starts = [s for s in specs if s.is_start]
    if len(starts) != 1:
        code = "no_start" if not starts else "multiple_starts"
        issues.append(Issue(code, _("Quy trình phải có đúng một bước bắt đầu (hiện có %d).") % len(starts)))
    return issues


def _check_transitions(specs: list[StepSpec]) -> list[Issue]:
    issues, by_key = [], {s.key: s for s in specs}
    for spec in specs:
        for action, targets in spec.transitions.items():
            if action not in spec.actions:
                issues.append(
                    Issue(
                        "transition_not_allowed",
                        _("Bước «%(step)s» có chuyển tiếp «%(action)s» nhưng không cho phép thao tác này.")
                        % {"step": spec.name, "action": action},
                        spec.key,
                    )
                )
            for target in targets:
                issues.extend(_check_target(spec, action, target, by_key))
        for action in spec.actions:
            if action in MOVING_ACTIONS + (ActionKind.RETURN,) and not spec.transitions.get(action):
                issues.append(
                    Issue(
                        "missing_target",
                        _("Thao tác «%(action)s» ở bước «%(step)s» chưa có bước đến.")
                        % {"action": action, "step": spec.name},
                        spec.key,
                    )
                )
    return issues


def _check_target(spec: StepSpec, action: str, target: str | None, by_key: dict) -> list[Issue]:
    if target is None:
        if action not in ENDING_ACTIONS:
            return [
                Issue(
                    "missing_target",
                    _("Thao tác «%(action)s» ở bước «%(step)s» chưa có bước đến.")
                    % {"action": action, "step": spec.name},
                    spec.key,
                )
            ]
        return []
    if target not in by_key:
        return [
            Issue(
                "unknown_target",
                _("Bước «%(step)s» chuyển tới bước «%(target)s» không tồn tại.")
                % {"step": spec.name, "target": target},
                spec.key,
            )
        ]
    if action == ActionKind.RETURN and by_key[target].order >= spec.order:
        return [Issue("return_not_earlier", _("Bước «%s» chỉ được trả lại một bước trước đó.") % spec.name, spec.key)]
    return []


def _check_graph(specs: list[StepSpec]) -> list[Issue]:
    by_key = {s.key: s for s in specs}
    edges = {s.key: [t for targets in s.transitions.values() for t in targets if t in by_key] for s in specs}
    start = next((s.key for s in specs if s.is_start), None)
    issues = []
    if start is not None:
        reached, queue = {start}, deque([start])
        while queue:
            for nxt in edges[queue.popleft()]:
                if nxt not in reached:
                    reached.add(nxt)
                    queue.append(nxt)
        issues += [
            Issue("unreachable_step", _("Không thể đến được bước «%s» từ bước bắt đầu.") % s.name, s.key)
            for s in specs
            if s.key not in reached
        ]
    ending = {s.key for s in specs if any(a in ENDING_ACTIONS for a in s.actions)}
    if not ending:
        issues.append(Issue("no_end", _("Quy trình chưa có bước kết thúc (hoàn thành hoặc chuyển liên thông).")))
        return issues
    # Steps that can still end: walk the reversed graph from the ending steps.
    reverse: dict[str, list[str]] = {key: [] for key in by_key}
    for key, targets in edges.items():
        for target in targets:
            reverse[target].append(key)
    can_end, queue = set(ending), deque(ending)
    while queue:
        for previous in reverse[queue.popleft()]:
            if previous not in can_end:
                can_end.add(previous)
                queue.append(previous)
    issues += [
        Issue(
            "cannot_terminate", _("Từ bước «%s» quy trình không thể kết thúc (vòng lặp không lối ra).") % s.name, s.key
        )
        for s in specs
        if s.key not in can_end
    ]
    return issues


def fmt_decimal(value: Decimal) -> str:
    """ "4.00" → "4", "0.50" → "0.5" (never "4E+1")."""
    return format(Decimal(value).normalize(), "f")


def total_hours(specs: list[StepSpec]) -> Decimal:
    return sum((_hours(s.duration_hours) or Decimal(0) for s in specs), Decimal(0))


def validate_definition(specs: list[StepSpec], *, legal_days: Decimal | None) -> list[Issue]:
    """Every problem of the definition; an empty list means it may be saved, submitted and approved."""
    if not specs:
        return [Issue("no_steps", _("Quy trình chưa có bước nào."))]
    issues = _check_steps(specs)
    if any(i.code in {"duplicate_step_key", "invalid_action"} for i in issues):
        return issues
    issues += _check_transitions(specs)
    if not any(i.code == "unknown_target" for i in issues):
        issues += _check_graph(specs)
    if legal_days is not None and not any(i.code == "invalid_duration" for i in issues):
        limit = Decimal(legal_days) * HOURS_PER_DAY
        total = total_hours(specs)
        if total > limit:
            issues.append(
                Issue(
                    "durations_exceed_legal_time",
                    _(
                        "Tổng thời gian các bước (%(total)s giờ làm việc) vượt thời hạn giải quyết theo quy định "
                        "(%(days)s ngày làm việc = %(limit)s giờ)."
                    )
                    % {
                        "total": fmt_decimal(total),
                        "days": fmt_decimal(Decimal(legal_days)),
                        "limit": fmt_decimal(limit),
                    },
                )
            )
    return issues

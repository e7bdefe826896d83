"""A plan's operations, read into one resolved picture (`resolve(plan)`) with its problems (`Issue`s).

Operation specs (JSON, agencies named by their QCVN 102 codes, procedures by their national codes):

- create: `{"target": {"code", "name", "short_name"?, "kind", "tier", "parent"}}` — a new unit with no predecessor
  (e.g. the units of a province joining this one).
- merge: `{"sources": [code, ...], "target": {"code": c, "name"?, "short_name"?, "kind"?, "tier"?, "parent"?}}` —
  into an existing unit (`code` exists; a `name` renames it) or a new one (`name`, `kind`, `tier`, `parent`
  required).
- rename: `{"agency": code, "name": "...", "short_name"?: "..."}` — same unit, same code.
- move: `{"agency": code, "parent": code}` — under another parent (its subtree follows).
- split: `{"source": code, "parts": [{"target": {...as merge...}, "procedures": [proc, ...]}, ...],
  "primary": code}` — open dossiers and offerings of the listed procedures go to their part, everything else to
  `primary` (which also takes the officers and the statistics roll-up).
- abolish_tier: `{"tier": "district", "parent": code, "successors": {district code: agency code},
  "procedures": {proc: "commune" | agency code}, "default": "commune" | agency code | null,
  "vocabulary_2025": bool}` — every unit of the tier closes; its children move under `parent`; each unit's work
  goes to its successor, except procedures the plan sends up to a province agency; the tier's offerings and
  processes move to the commune tier or to the named agency, per procedure (or per `default`).
"""

import datetime
from dataclasses import dataclass, field

from dichvucong.agencies.models import Agency, Tier
from dichvucong.catalog.models import Offering
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import FINAL_STATUSES

from .models import OperationKind, Plan

COMMUNE = "commune"


@dataclass(frozen=True)
class Issue:
    code: str
    detail: str
    blocking: bool = True


@dataclass
class NewAgency:
    code: str
    name: str
    short_name: str
    tier: str
    kind: str
    parent: str


@dataclass
class Route:
    """Where the work of `source` goes: `default` unless the procedure is listed in `per_procedure`."""

    source: str
    default: str
    kind: str
    per_procedure: dict[str, str] = field(default_factory=dict)
    # The primary successor (officers, statistics roll-up); `default` when empty.
    heir: str = ""
    # Every other unit taking part of the work (non-primary successions).
    parts: list[str] = field(default_factory=list)

    @property
    def primary(self) -> str:
        return self.heir or self.default

    @property
    def targets(self) -> set[str]:
        return {self.default, self.primary, *self.per_procedure.values(), *self.parts}

    def target_for(self, procedure_code: str) -> str:
        return self.per_procedure.get(procedure_code, self.default)


@dataclass
class TierAbolition:
    tier: str
    parent: str
    procedures: dict[str, str]
    default: str | None
    vocabulary_2025: bool


@dataclass
class Resolved:
    plan: Plan
    creates: list[NewAgency] = field(default_factory=list)
    renames: list[tuple[str, str, str | None]] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)
    routes: dict[str, Route] = field(default_factory=dict)
    abolitions: list[TierAbolition] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    agencies: dict[str, Agency] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.blocking]

    @property
    def closing(self) -> list[str]:
        return list(self.routes)

    def name_of(self, code: str) -> str:
        if code in self.agencies:
            return self.agencies[code].name
        for new in self.creates:
            if new.code == code:
                return new.name
        return code


def _codes_in(plan: Plan) -> set[str]:
    codes: set[str] = set()

    def add(value):
        if isinstance(value, str) and value.count(".") == 3:
            codes.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
            codes.update(k for k in value if isinstance(k, str) and k.count(".") == 3)
        elif isinstance(value, list):
            for item in value:
                add(item)

    for operation in plan.operations.all():
        add(operation.spec)
    return codes


def resolve(plan: Plan) -> Resolved:
    """Read the plan's operations against the agency tree as it is now (nothing is written)."""
    result = Resolved(plan=plan)
    result.agencies = {a.code: a for a in Agency.objects.filter(code__in=_codes_in(plan))}
    day = plan.effective_on
    claimed: dict[str, int] = {}

    def known(code: str | None, order: int, *, new_ok: bool = False) -> bool:
        if code in result.agencies or (new_ok and any(n.code == code for n in result.creates)):
            return True
        result.issues.append(
            Issue("unknown_agency", f"Mục {order}: không có cơ quan mã «{code}» trong danh mục cơ quan.")
        )
        return False

    def claim(code: str, order: int) -> bool:
        if code in claimed:
            result.issues.append(
                Issue(
                    "agency_in_two_operations",
                    f"Mục {order}: {result.name_of(code)} đã được sắp xếp ở mục {claimed[code]}; mỗi cơ quan chỉ "
                    "được sắp xếp một lần trong một phương án.",
                )
            )
            return False
        claimed[code] = order
        agency = result.agencies.get(code)
        if agency is not None and not agency.is_active_on(day):
            result.issues.append(
                Issue("agency_not_active", f"Mục {order}: {agency.name} không còn hoạt động vào ngày hiệu lực.")
            )
            return False
        return True

    def target(spec: dict, order: int) -> str | None:
        spec = spec or {}
        code = spec.get("code")
        if not code:
            result.issues.append(Issue("target_incomplete", f"Mục {order}: thiếu mã cơ quan kế thừa."))
            return None
        if code in result.agencies:
            if spec.get("name") and spec["name"] != result.agencies[code].name:
                result.renames.append((code, spec["name"], spec.get("short_name")))
            return code
        if any(n.code == code for n in result.creates):
            return code
        missing = [key for key in ("name", "kind", "tier", "parent") if not spec.get(key)]
        if missing:
            result.issues.append(
                Issue(
                    "target_incomplete",
                    f"Mục {order}: cơ quan mới {code} thiếu thông tin ({', '.join(missing)}).",
                )
            )
            return None
        parent = spec["parent"]
        if parent not in result.agencies and not any(n.code == parent for n in result.creates):
            known(parent, order)
            return None
        result.creates.append(
            NewAgency(
                code=code,
                name=spec["name"],
                short_name=spec.get("short_name", ""),
                tier=spec["tier"],
                kind=spec["kind"],
                parent=parent,
            )
        )
        return code

    def not_into_own_subtree(source: str, dest: str, order: int) -> bool:
        src, dst = result.agencies.get(source), result.agencies.get(dest)
        if dst is None:  # a new unit: judged by the parent it will have
            new = next((n for n in result.creates if n.code == dest), None)
            dst = result.agencies.get(new.parent) if new else None
        if src is not None and dst is not None and dst.path.startswith(src.path):
            result.issues.append(
                Issue(
                    "merge_into_own_child",
                    f"Mục {order}: không thể chuyển {src.name} vào {result.name_of(dest)} — đó là chính nó hoặc đơn "
                    "vị cấp dưới của nó (đơn vị cấp dưới sẽ bị đóng cùng).",
                )
            )
            return False
        return True

    abolished_tiers: set[str] = set()
    for operation in plan.operations.all():
        spec, order = operation.spec or {}, operation.order
        if operation.kind == OperationKind.CREATE:
            spec_target = spec.get("target") or {}
            if spec_target.get("code") in result.agencies:
                result.issues.append(
                    Issue("agency_code_taken", f"Mục {order}: mã {spec_target['code']} đã là mã của một cơ quan.")
                )
            else:
                target(spec_target, order)
        elif operation.kind == OperationKind.MERGE:
            dest = target(spec.get("target"), order)
            sources = spec.get("sources") or []
            if not sources:
                result.issues.append(Issue("merge_without_sources", f"Mục {order}: chưa chọn cơ quan được hợp nhất."))
            for source in sources:
                if not known(source, order) or dest is None:
                    continue
                if source == dest:
                    result.issues.append(
                        Issue(
                            "merge_into_itself",
                            f"Mục {order}: {result.name_of(source)} không thể hợp nhất vào chính nó.",
                        )
                    )
                    continue
                if claim(source, order) and not_into_own_subtree(source, dest, order):
                    result.routes[source] = Route(source=source, default=dest, kind="merge")
        elif operation.kind == OperationKind.RENAME:
            code = spec.get("agency")
            if known(code, order) and spec.get("name"):
                result.renames.append((code, spec["name"], spec.get("short_name")))
            elif not spec.get("name"):
                result.issues.append(Issue("rename_without_name", f"Mục {order}: thiếu tên mới."))
        elif operation.kind == OperationKind.MOVE:
            code, parent = spec.get("agency"), spec.get("parent")
            if known(code, order) and known(parent, order, new_ok=True) and not_into_own_subtree(code, parent, order):
                result.moves.append((code, parent))
        elif operation.kind == OperationKind.SPLIT:
            source = spec.get("source")
            if not known(source, order) or not claim(source, order):
                continue
            per_procedure, parts = {}, []
            for part in spec.get("parts") or []:
                dest = target(part.get("target"), order)
                if dest is None or not not_into_own_subtree(source, dest, order):
                    continue
                parts.append(dest)
                for procedure in part.get("procedures") or []:
                    per_procedure[procedure] = dest
            primary = spec.get("primary")
            if primary not in parts:
                result.issues.append(
                    Issue(
                        "split_without_primary", f"Mục {order}: chọn một phần kế thừa chính trong các phần chia tách."
                    )
                )
                continue
            result.routes[source] = Route(
                source=source, default=primary, kind="split", per_procedure=per_procedure, parts=parts
            )
        elif operation.kind == OperationKind.ABOLISH_TIER:
            tier = spec.get("tier")
            if tier not in (Tier.DISTRICT,):
                result.issues.append(Issue("tier_not_abolishable", f"Mục {order}: chỉ có thể bỏ cấp huyện."))
                continue
            parent = spec.get("parent")
            if not known(parent, order):
                continue
            abolished_tiers.add(tier)
            successors = spec.get("successors") or {}
            procedures = {str(k): v for k, v in (spec.get("procedures") or {}).items()}
            default = spec.get("default")
            result.abolitions.append(
                TierAbolition(
                    tier=tier,
                    parent=parent,
                    procedures=procedures,
                    default=default,
                    vocabulary_2025=bool(spec.get("vocabulary_2025")),
                )
            )
            units = list(Agency.objects.active_on(day).filter(tier=tier))
            for unit in units:
                result.agencies[unit.code] = unit
                successor = successors.get(unit.code)
                if not successor:
                    result.issues.append(
                        Issue(
                            "unit_without_successor",
                            f"Mục {order}: {unit.name} chưa có cơ quan kế thừa (nhận hồ sơ đang giải quyết).",
                        )
                    )
                    continue
                if not known(successor, order, new_ok=True) or not claim(unit.code, order):
                    continue
                result.routes[unit.code] = Route(
                    source=unit.code,
                    default=successor if default in (None, "", COMMUNE) else default,
                    kind="abolish",
                    per_procedure={p: successor if dest == COMMUNE else dest for p, dest in procedures.items()},
                    heir=successor,
                )
        else:
            result.issues.append(Issue("unknown_operation", f"Mục {order}: loại «{operation.kind}» không hợp lệ."))

    _check_procedures_handled(result, abolished_tiers)
    _check_targets_survive(result)
    return result


def _check_targets_survive(result: Resolved) -> None:
    """A route must not end at a unit the same plan closes (a chain inside one plan is refused: name the end)."""
    for route in result.routes.values():
        for dest in sorted(route.targets):
            if dest in result.routes:
                result.issues.append(
                    Issue(
                        "route_to_closed_agency",
                        f"{result.name_of(route.source)} chuyển sang {result.name_of(dest)}, nhưng đơn vị này cũng "
                        "bị sắp xếp trong phương án: hãy chỉ thẳng đơn vị kế thừa cuối cùng.",
                    )
                )


def _check_procedures_handled(result: Resolved, abolished_tiers: set[str]) -> None:
    """Every procedure of an abolished tier (tier template, a unit's own row, or an open dossier) needs a place."""
    day: datetime.date = result.plan.effective_on
    for abolition in result.abolitions:
        units = [code for code, route in result.routes.items() if route.kind == "abolish"]
        offered = set(
            Offering.objects.active_on(day)
            .filter(offered=True, tier=abolition.tier, agency__isnull=True)
            .values_list("procedure__code", flat=True)
        )
        offered |= set(
            Offering.objects.active_on(day)
            .filter(offered=True, agency__code__in=units)
            .values_list("procedure__code", flat=True)
        )
        in_flight = set(
            Dossier.objects.filter(agency__code__in=units)
            .exclude(status__in=list(FINAL_STATUSES))
            .values_list("procedure__code", flat=True)
        )
        for code in sorted(offered | in_flight):
            if code in abolition.procedures or abolition.default:
                continue
            result.issues.append(
                Issue(
                    "procedure_without_agency",
                    f"Thủ tục {code} đang do cấp huyện thực hiện nhưng phương án chưa giao cho cấp xã hay cơ quan "
                    "cấp tỉnh nào: hãy ghi rõ nơi thực hiện.",
                )
            )
        for code, dest in abolition.procedures.items():
            if dest == COMMUNE:
                continue
            if dest in result.routes:
                result.issues.append(
                    Issue(
                        "procedure_without_agency",
                        f"Thủ tục {code} được giao cho {result.name_of(dest)}, nhưng đơn vị này bị sắp xếp trong "
                        "cùng phương án.",
                    )
                )
            elif dest not in result.agencies and not any(n.code == dest for n in result.creates):
                result.issues.append(
                    Issue("unknown_agency", f"Thủ tục {code}: không có cơ quan mã «{dest}» trong danh mục cơ quan.")
                )

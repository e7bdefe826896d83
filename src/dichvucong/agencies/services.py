"""Writes to the agency tree. Each writes an audit row in the same transaction."""

import datetime

from django.db import transaction

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ValidationFailed

from .codes import parse_agency_code
from .models import Agency, AgencySuccession, ProvinceSettings, SuccessionKind, Tier, TierModel
from .selectors import require_tier_in_model

_SNAPSHOT_FIELDS = ("code", "name", "short_name", "tier", "kind", "valid_from", "valid_to")


def agency_snapshot(agency: Agency) -> dict:
    data = {field: getattr(agency, field) for field in _SNAPSHOT_FIELDS}
    data["parent"] = agency.parent.code if agency.parent_id else None
    return data


def _check_parent(*, code: str, tier: str, parent: Agency | None) -> None:
    parsed = parse_agency_code(code)
    if parent is None:
        if parsed.level != 0 or tier != Tier.PROVINCE:
            raise ValidationFailed(
                "Chỉ UBND tỉnh (mã cấp 0, ví dụ 000.00.00.H31) được không có cơ quan cấp trên.",
                code="agency_parent_required",
            )
        return
    parent_code = parse_agency_code(parent.code)
    if tier == Tier.COMMUNE and parent.tier == Tier.PROVINCE and parsed.level == 2 and parsed.m == parent_code.m:
        # Two tiers (from 1/7/2025): a commune reports to the province directly; it keeps a level-2 code whose
        # Y1Y2 block the province reserves for communes (QCVN 102 has no level-1 room for 100+ communes).
        return
    if not parsed.is_child_of(parent_code):
        raise ValidationFailed(
            f"Mã {code} không thuộc nhánh của cơ quan cấp trên {parent.code} theo QCVN 102.",
            code="agency_code_outside_parent",
        )
    tier_order = [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE]
    if tier_order.index(Tier(tier)) < tier_order.index(Tier(parent.tier)):
        raise ValidationFailed(
            "Cơ quan cấp dưới không thể thuộc cấp cao hơn cơ quan cấp trên.", code="agency_tier_above_parent"
        )


@transaction.atomic
def agency_create(
    *,
    actor,
    code: str,
    name: str,
    tier: str,
    kind: str,
    parent: Agency | None = None,
    short_name: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    **contact,
) -> Agency:
    if Agency.objects.filter(code=code).exists():
        raise ValidationFailed(f"Mã cơ quan {code} đã tồn tại.", code="agency_code_taken")
    require_tier_in_model(tier, valid_from)
    _check_parent(code=code, tier=tier, parent=parent)
    agency = Agency(
        code=code,
        name=name,
        short_name=short_name,
        tier=tier,
        kind=kind,
        parent=parent,
        valid_from=valid_from or datetime.date(2000, 1, 1),
        valid_to=valid_to,
        **contact,
    )
    agency.save()
    agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
    agency.save(update_fields=["path"])
    audit_record(actor=actor, action="agency.create", obj=agency, after=agency_snapshot(agency))
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, **changes) -> Agency:
    """Change name/contact/period. Codes and parents are changed only by a reorganisation (later issue)."""
    forbidden = {"code", "parent", "tier", "path"} & set(changes)
    if forbidden:
        raise ValidationFailed(
            "Không sửa mã, cấp hoặc cơ quan cấp trên trực tiếp; hãy dùng chức năng sắp xếp lại.",
            code="agency_structure_immutable",
        )
    before = agency_snapshot(agency)
    for field, value in changes.items():
        setattr(agency, field, value)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action="agency.update", obj=agency, before=before, after=agency_snapshot(agency))
    return agency


@transaction.atomic
def agency_retire(*, actor, agency: Agency, valid_to: datetime.date) -> Agency:
    """Close a unit's active period; its history stays."""
    if valid_to < agency.valid_from:
        raise ValidationFailed("Ngày kết thúc hoạt động phải sau ngày bắt đầu.", code="agency_invalid_period")
    return agency_update(actor=actor, agency=agency, valid_to=valid_to)


@transaction.atomic
def province_settings_set(
    *,
    actor,
    name: str,
    code_suffix: str,
    tier_model: str = TierModel.THREE_TIER,
    tier_model_since: datetime.date | None = None,
) -> ProvinceSettings:
    settings_row, _ = ProvinceSettings.objects.get_or_create(pk=1, defaults={"name": name, "code_suffix": code_suffix})
    before = {"name": settings_row.name, "code_suffix": settings_row.code_suffix, "tier_model": settings_row.tier_model}
    settings_row.name = name
    settings_row.code_suffix = code_suffix
    settings_row.tier_model = tier_model
    if tier_model_since:
        settings_row.tier_model_since = tier_model_since
    settings_row.save()
    after = {"name": name, "code_suffix": code_suffix, "tier_model": tier_model}
    if before != after:
        audit_record(actor=actor, action="province.settings", obj=settings_row, before=before, after=after)
    return settings_row


def _subtree_repath(agency: Agency, new_prefix: str) -> int:
    """Rewrite the materialised paths of `agency` and every unit below it to start with `new_prefix`."""
    old_prefix = agency.path
    changed = 0
    for unit in Agency.objects.filter(path__startswith=old_prefix).order_by("path"):
        unit.path = new_prefix + unit.path[len(old_prefix) :]
        unit.save(update_fields=["path"])
        changed += 1
    return changed


@transaction.atomic
def agency_move(*, actor, agency: Agency, parent: Agency, reason: str = "") -> Agency:
    """Put `agency` (and its subtree) under `parent` — a reorganisation only (`dichvucong.reorg`)."""
    if parent.pk == agency.pk or parent.path.startswith(agency.path):
        raise ValidationFailed(
            f"Không thể đặt {agency.name} dưới chính nó hoặc đơn vị cấp dưới của nó ({parent.name}).",
            code="agency_move_into_own_subtree",
        )
    if agency.parent_id == parent.pk:
        return agency
    # The code stays (TT 01/2018: codes of dossiers never change, and they carry the unit's code), so after a merger
    # it may no longer sit in the new parent's QCVN 102 branch; only the tier order is checked.
    tier_order = [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE]
    if tier_order.index(Tier(agency.tier)) < tier_order.index(Tier(parent.tier)):
        raise ValidationFailed(
            "Cơ quan cấp dưới không thể thuộc cấp cao hơn cơ quan cấp trên.", code="agency_tier_above_parent"
        )
    before = agency_snapshot(agency)
    agency.parent = parent
    agency.save(update_fields=["parent"])
    _subtree_repath(agency, f"{parent.path}{agency.pk}/")
    agency.refresh_from_db()
    audit_record(
        actor=actor, action="agency.move", obj=agency, before=before, after={**agency_snapshot(agency), "note": reason}
    )
    return agency


@transaction.atomic
def agency_rename(*, actor, agency: Agency, name: str, short_name: str | None = None, reason: str = "") -> Agency:
    """A new name for the same unit (same code: TT 01/2018 codes of its dossiers never change)."""
    before = agency_snapshot(agency)
    agency.name = name
    if short_name is not None:
        agency.short_name = short_name
    agency.save()
    audit_record(
        actor=actor,
        action="agency.rename",
        obj=agency,
        before=before,
        after={**agency_snapshot(agency), "note": reason},
    )
    return agency


@transaction.atomic
def agency_succession_record(
    *,
    actor,
    predecessor: Agency,
    successor: Agency,
    effective_on: datetime.date,
    kind: str = SuccessionKind.MERGE,
    primary: bool = True,
    legal_basis: str = "",
) -> AgencySuccession:
    """Record that `predecessor` hands its work to `successor` from `effective_on` (idempotent for the same pair)."""
    if predecessor.pk == successor.pk:
        raise ValidationFailed("Một cơ quan không thể kế thừa chính nó.", code="succession_to_self")
    existing = AgencySuccession.objects.filter(predecessor=predecessor, successor=successor).first()
    if existing is not None:
        return existing
    if primary and AgencySuccession.objects.filter(predecessor=predecessor, primary=True).exists():
        raise ValidationFailed(f"{predecessor.name} đã có cơ quan kế thừa chính.", code="succession_primary_taken")
    row = AgencySuccession.objects.create(
        predecessor=predecessor,
        successor=successor,
        effective_on=effective_on,
        kind=kind,
        primary=primary,
        legal_basis=legal_basis[:500],
    )
    audit_record(
        actor=actor,
        action="agency.succession",
        obj=predecessor,
        after={
            "predecessor": predecessor.code,
            "successor": successor.code,
            "effective_on": effective_on.isoformat(),
            "kind": kind,
            "primary": primary,
            "legal_basis": legal_basis,
        },
    )
    return row


@transaction.atomic
def province_tier_model_change(
    *, actor, tier_model: str, since: datetime.date, vocabulary_2025_since: datetime.date | None = None
) -> ProvinceSettings:
    """Switch the province to `tier_model` from `since`, keeping the model it replaces for earlier dates."""
    row, _ = ProvinceSettings.objects.get_or_create(pk=1, defaults={"name": "", "code_suffix": ""})
    before = {
        "tier_model": row.tier_model,
        "tier_model_since": row.tier_model_since.isoformat(),
        "vocabulary_2025_since": row.vocabulary_2025_since.isoformat() if row.vocabulary_2025_since else None,
    }
    if row.tier_model != tier_model:
        row.previous_tier_model = row.tier_model
        row.tier_model = tier_model
        row.tier_model_since = since
    if vocabulary_2025_since is not None:
        row.vocabulary_2025_since = vocabulary_2025_since
    row.save()
    after = {
        "tier_model": row.tier_model,
        "tier_model_since": row.tier_model_since.isoformat(),
        "vocabulary_2025_since": row.vocabulary_2025_since.isoformat() if row.vocabulary_2025_since else None,
    }
    if before != after:
        audit_record(actor=actor, action="province.tier_model", obj=row, before=before, after=after)
    return row

"""Writes to the agency tree. Each writes an audit row in the same transaction."""

import datetime

from django.db import transaction

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ValidationFailed

from .codes import parse_agency_code
from .models import Agency, ProvinceSettings, Tier, TierModel

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
    if not parsed.is_child_of(parse_agency_code(parent.code)):
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

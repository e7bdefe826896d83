"""Reads of the agency tree."""

import datetime
from operator import attrgetter, itemgetter

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.common.errors import ValidationFailed
from dichvucong.common.search import fold_words

from .models import Agency, AgencySuccession, ProvinceSettings, Tier, TierModel


def province_settings() -> ProvinceSettings:
    row = ProvinceSettings.objects.filter(pk=1).first()
    return row or ProvinceSettings(name="", code_suffix="", tier_model=TierModel.THREE_TIER)


def tier_in_model(tier: str, day: datetime.date | None = None) -> bool:
    """Whether `tier` exists in the province's tier model on `day` (default today): no district tier in two tiers."""
    return tier in province_settings().active_tiers_on(day or timezone.localdate())


def require_tier_in_model(tier: str, day: datetime.date | None = None, *, field: str = "tier") -> None:
    """Refuse new work for a tier the province no longer has (two tiers from `tier_model_since`)."""
    if tier and not tier_in_model(tier, day):
        message = _("Tỉnh tổ chức chính quyền hai cấp (tỉnh, xã) từ %(day)s: không còn cấp «%(tier)s».") % {
            "day": f"{province_settings().tier_model_since:%d/%m/%Y}",
            "tier": Tier(tier).label if tier in Tier.values else tier,
        }
        raise ValidationFailed(message, code="tier_not_in_model", fields={field: [message]})


def successor_map(at: datetime.date | None = None) -> dict[int, int]:
    """`{agency id: id of the agency that carries its work on `at`}` (default today), for "as organised now".

    Only agencies that have a (primary) successor in force on `at` are keys: an agency without a successor is
    omitted and stands for itself (`mapping.get(pk, pk)`). Chains are followed to their end (a district merged
    into a commune that was itself merged later maps to the last one); a cycle, which the plans refuse, stops at
    the first repeated unit. Two queries, whatever the number of agencies.
    """
    day = at or timezone.localdate()
    direct = dict(
        AgencySuccession.objects.filter(primary=True, effective_on__lte=day).values_list(
            "predecessor_id", "successor_id"
        )
    )
    mapping: dict[int, int] = {}
    for start in direct:
        seen = {start}
        current = direct[start]
        while current in direct and direct[current] not in seen:
            seen.add(current)
            current = direct[current]
        mapping[start] = current
    return mapping


#: How a report groups agencies across a reorganisation: as they were organised when the dossier was handled
#: ("then": each dossier counts for the unit that handled it) or as organised now (old units rolled up into their
#: current successors, `successor_map`), so 2021-2026 trends stay comparable.
ORGANISED_THEN, ORGANISED_NOW = "then", "now"
ORGANISED_VIEWS = (ORGANISED_THEN, ORGANISED_NOW)


def organised_view(value: str | None) -> str:
    """A report's `organised` parameter, checked (default "then")."""
    value = (value or ORGANISED_THEN).strip()
    if value not in ORGANISED_VIEWS:
        raise ValidationFailed(
            _("Cách tổng hợp không hợp lệ: «then» (theo tổ chức khi xử lý) hoặc «now» (theo tổ chức hiện nay)."),
            code="invalid_organised",
            fields={"organised": [_("then hoặc now.")]},
        )
    return value


def agency_ids_as_organised(agency: Agency, organised: str | None, at: datetime.date | None = None) -> list[int]:
    """The agencies whose rows a report of `agency` covers: itself ("then"), or itself and every unit rolled up into
    it ("now")."""
    if organised_view(organised) == ORGANISED_NOW:
        return predecessors_of(agency, at)
    return [agency.pk]


def current_successor(agency: Agency, at: datetime.date | None = None) -> Agency:
    """The agency that carries `agency`'s work on `at` (itself when it has no successor)."""
    target = successor_map(at).get(agency.pk)
    return Agency.objects.get(pk=target) if target else agency


def predecessors_of(agency: Agency, at: datetime.date | None = None) -> list[int]:
    """Ids of every agency rolled up into `agency` on `at` ("as organised now"), `agency` included."""
    mapping = successor_map(at)
    return [agency.pk, *sorted(pk for pk, target in mapping.items() if target == agency.pk)]


def roll_up(counts: dict[int, int], at: datetime.date | None = None) -> dict[int, int]:
    """Counts per agency id ("as organised then") summed into the agencies of `at` ("as organised now")."""
    mapping = successor_map(at)
    result: dict[int, int] = {}
    for pk, value in counts.items():
        target = mapping.get(pk, pk)
        result[target] = result.get(target, 0) + value
    return result


def agency_list(
    *,
    tier: str | None = None,
    parent_code: str | None = None,
    q: str | None = None,
    active_on: datetime.date | None = None,
    include_inactive: bool = False,
) -> QuerySet[Agency]:
    """Agencies active on `active_on` (default today), filtered by tier, parent code and folded text."""
    qs = Agency.objects.select_related("parent")
    if not include_inactive:
        qs = qs.active_on(active_on or timezone.localdate())
    if tier:
        qs = qs.filter(tier=tier)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if q:
        for word in fold_words(q):
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("code")


def agency_descendants(agency: Agency, *, include_self: bool = False) -> QuerySet[Agency]:
    qs = Agency.objects.filter(path__startswith=agency.path)
    return qs if include_self else qs.exclude(pk=agency.pk)


def agency_ancestors(agency: Agency) -> list[Agency]:
    """From the root down to the direct parent."""
    ids = [int(part) for part in agency.path.strip("/").split("/")[:-1] if part]
    by_id = Agency.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def agency_subtree_q(agency: Agency, field: str = "agency") -> Q:
    """A filter for rows that belong to `agency` or any unit below it."""
    return Q(**{f"{field}__path__startswith": agency.path})


def _path_ids(agency: Agency) -> list[int]:
    return [int(part) for part in agency.path.strip("/").split("/") if part]


def _district_label(district: Agency) -> str:
    """ "Ủy ban nhân dân huyện Văn Lâm" → "Huyện Văn Lâm": the place, as people name it in a list."""
    name = district.name.removeprefix("Ủy ban nhân dân ").strip() or district.name
    return name[:1].upper() + name[1:]


def agency_select_groups(items) -> list[dict]:
    """Agencies (objects or dicts with a "code") grouped for a <select> with <optgroup>s, in the order people look:
    province-level units, then one group per district (its district-level units, then its communes), then communes
    under no listed district. `[{"label", "items"}]`, empty groups left out, each group ordered by code.

    Agency objects need `code`, `name`, `tier` and `path` loaded; a list holding its districts costs no query."""
    items = list(items)
    if items and isinstance(items[0], Agency):
        code_of = attrgetter("code")
        units = {item.code: item for item in items}
    else:
        code_of = itemgetter("code")
        units = {
            unit.code: unit
            for unit in Agency.objects.filter(code__in=[code_of(i) for i in items]).only(
                "pk", "code", "name", "tier", "path"
            )
        }
    districts = {unit.pk: unit for unit in units.values() if unit.tier == Tier.DISTRICT}
    missing = {pk for unit in units.values() for pk in _path_ids(unit)} - {unit.pk for unit in units.values()}
    if missing:
        districts.update(Agency.objects.filter(pk__in=missing, tier=Tier.DISTRICT).only("pk", "code", "name").in_bulk())
    province, per_district, rest = [], {}, []
    for item in items:
        unit = units.get(code_of(item))
        district_id = next((pk for pk in reversed(_path_ids(unit)) if pk in districts), None) if unit else None
        if unit is not None and unit.tier == Tier.PROVINCE:
            province.append(item)
        elif district_id is not None:
            per_district.setdefault(district_id, []).append((unit.tier != Tier.DISTRICT, code_of(item), item))
        else:
            rest.append(item)
    groups = [{"label": _("Cấp tỉnh"), "items": sorted(province, key=code_of)}]
    for district_id in sorted(per_district, key=lambda pk: districts[pk].code):
        groups.append(
            {
                "label": _district_label(districts[district_id]),
                "items": [item for *_key, item in sorted(per_district[district_id], key=lambda r: r[:2])],
            }
        )
    groups.append({"label": _("Cấp xã"), "items": sorted(rest, key=code_of)})
    return [group for group in groups if group["items"]]

"""The reports (reads only): the seed's Phụ lục 01-03 computed from the catalogue and the rollups.

- `procedure_report`: procedures by tier / agency / field and online level (Phụ lục 01), from the catalogue's
  offerings active on `as_of` (a small table: read directly).
- `dossier_report`: dossiers received by channel, resolved early / on time / late, in progress (within / past the
  due date), returned, withdrawn, over a period and grouped by tier / agency / field / procedure / month (Phụ lục
  02-03), from `FlowMonth` (whole months) + `FlowDay` (the edge days) and, for "in progress as of the end of the
  period", `DossierFact` (open dossiers + those finished after that date, both indexed).
- `figure_dossiers`: the dossiers behind one figure (every figure links to its list).
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.agencies.models import Agency, Tier
from dichvucong.agencies.selectors import successor_map
from dichvucong.catalog.models import Field, Offering, Procedure
from dichvucong.common.errors import ValidationFailed

from .access import Scope
from .models import COUNTERS, DossierFact, FlowAgencyDay, FlowAgencyMonth, FlowDay, FlowMonth, Outcome

DOSSIER_GROUPS = ("tier", "agency", "field", "procedure", "month")
PROCEDURE_GROUPS = ("tier", "agency", "field")
ORGANISED = ("then", "now")
MAX_PERIOD_DAYS = 366 * 10
EARLIEST = datetime.date(2000, 1, 1)

#: Row fields of the dossier report, in the order of the API and the spreadsheet.
DOSSIER_FIELDS = (
    "received_total",
    "received_counter",
    "received_online",
    "received_online_partial",
    "received_online_full",
    "received_postal",
    "received_national_portal",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_total",
    "in_progress_late",
    "returned",
    "withdrawn",
    "stopped",
    "paid_online",
    "paid_desk",
    "share_online",
    "share_on_time",
    "share_paid_online",
)
PROCEDURE_FIELDS = (
    "total",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "online_full",
    "online_partial",
    "share_level_4",
)


def _bad(code: str, message: str, field: str):
    return ValidationFailed(message, code=code, fields={field: [message]})


def parse_date(value: str | None, *, field: str, default: datetime.date) -> datetime.date:
    if value in (None, ""):
        return default
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _bad("invalid_date", _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."), field) from None
    if day < EARLIEST or day.year > 2100:
        raise _bad("date_out_of_range", _("Ngày nằm ngoài khoảng cho phép (từ năm 2000 đến 2100)."), field)
    return day


def parse_period(date_from: str | None, date_to: str | None) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    end = parse_date(date_to, field="to", default=today)
    start = parse_date(date_from, field="from", default=end.replace(month=1, day=1))
    if start > end:
        raise _bad("period_reversed", _("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), "from")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise _bad("period_too_long", _("Kỳ báo cáo dài tối đa 10 năm."), "to")
    return start, end


def parse_choice(value: str | None, choices, *, field: str, default: str) -> str:
    value = value or default
    if value not in choices:
        raise _bad(
            f"invalid_{field}",
            _("Giá trị «%(value)s» không hợp lệ; chọn một trong: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)},
            field,
        )
    return value


# --- scope -------------------------------------------------------------------------------------------------------


def scope_agency_ids(scope: Scope, *, organised: str = "then") -> list[int] | None:
    """The agency ids a scope covers (None: the whole province). "As organised now": an agency merged into one of
    the scope's agencies counts with it."""
    if scope.agencies is None:
        return None
    q = Q(pk__in=[])
    for agency in scope.agencies:
        q |= Q(path__startswith=agency.path)
    ids = set(Agency.objects.filter(q).values_list("pk", flat=True))
    if organised == "now":
        ids |= {old for old, new in successor_map().items() if new in ids}
    return sorted(ids)


def _map_agency(organised: str):
    mapping = successor_map() if organised == "now" else {}
    return lambda agency_id: mapping.get(agency_id, agency_id)


# --- labels ------------------------------------------------------------------------------------------------------


def _describe(group_by: str, keys) -> tuple[dict, dict]:
    """({key: label}, {key: public key}): codes for agencies, fields and procedures (never database ids), ISO
    months; one query."""
    keys = [k for k in keys if k is not None]
    if group_by == "tier":
        return {k: str(Tier(k).label) if k in Tier.values else k for k in keys}, {k: k for k in keys}
    if group_by == "month":
        return {k: k.strftime("%m/%Y") for k in keys}, {k: k.strftime("%Y-%m") for k in keys}
    model = {"agency": Agency, "field": Field, "procedure": Procedure}[group_by]
    rows = model.objects.filter(pk__in=keys).values_list("pk", "code", "name")
    if group_by == "procedure":
        return {pk: f"{code} {name}" for pk, code, name in rows}, {pk: code for pk, code, _name in rows}
    rows = list(rows)
    return {pk: name for pk, _code, name in rows}, {pk: code for pk, code, _name in rows}


# --- the dossier report --------------------------------------------------------------------------------------------


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


month_end = _month_end


def _next_month(day: datetime.date) -> datetime.date:
    return _month_end(day) + datetime.timedelta(days=1)


def split_period(start: datetime.date, end: datetime.date):
    """[(model, field, first, last)]: whole months read from FlowMonth, the days before and after from FlowDay."""
    first_full = start if start.day == 1 else _next_month(start)
    last_full = end.replace(day=1) if end == _month_end(end) else (end.replace(day=1) - datetime.timedelta(days=1))
    last_full = last_full.replace(day=1)
    if first_full > last_full:
        return [(FlowDay, "day", start, end)]
    parts = [(FlowMonth, "month", first_full, last_full)]
    if start < first_full:
        parts.append((FlowDay, "day", start, first_full - datetime.timedelta(days=1)))
    if _month_end(last_full) < end:
        parts.append((FlowDay, "day", _next_month(last_full), end))
    return parts


_GROUP_FIELD = {
    "tier": "agency__tier",
    "agency": "agency_id",
    "field": "procedure__field_id",
    "procedure": "procedure_id",
}


#: Reports that need no procedure dimension read the agency-level counters (a few hundred rows a month).
AGENCY_LEVEL = {FlowDay: FlowAgencyDay, FlowMonth: FlowAgencyMonth}


def _flows(parts, agency_ids, group_by) -> dict:
    totals: dict = defaultdict(Counter)
    sums = {c: Sum(c) for c in COUNTERS}
    for model, field, first, last in parts:
        if group_by in (None, "tier", "agency", "month"):
            model = AGENCY_LEVEL[model]
        qs = model.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last})
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=agency_ids)
        if group_by is None:
            row = qs.aggregate(**sums)
            totals[None].update({c: row[c] or 0 for c in COUNTERS})
            continue
        if group_by == "month":
            if field == "day":
                qs, group = qs.annotate(g=TruncMonth("day")), "g"
            else:
                group = "month"
        else:
            group = _GROUP_FIELD[group_by]
        for row in qs.values(group).annotate(**sums).order_by():
            key = row[group]
            if isinstance(key, datetime.datetime):
                key = key.date()
            totals[key].update({c: row[c] or 0 for c in COUNTERS})
    return totals


CLOSING = ("resolved_early", "resolved_on_time", "resolved_late", "returned", "withdrawn", "stopped")
RECEIVING = ("received_counter", "received_online_partial", "received_online_full", "received_postal")
FAR_FUTURE = datetime.date(2100, 12, 31)


def in_progress(
    agency_ids, as_of: datetime.date, group_by: str | None, *, today: datetime.date | None = None, totals: bool = True
) -> dict:
    """{key: (total, late)}: received by `as_of` and not finished by it; late when its due date is before it.

    Never a scan of the history: the open dossiers come from the facts' partial index (`finished_on IS NULL`); for a
    past date the total is open now − received after it + closed after it (the counters after that date), and the
    late ones are the open ones then due before it plus those finished after it that were overdue then (finished
    after their due date: the facts' partial index `mon_fact_finished_late`)."""
    today = today or timezone.localdate()
    facts = DossierFact.objects.all()
    if agency_ids is not None:
        facts = facts.filter(agency_id__in=agency_ids)
    group = _GROUP_FIELD.get(group_by) if group_by else None
    open_now = facts.filter(finished_on__isnull=True)
    measures = {"n": Count("pk"), "late": Count("pk", filter=Q(received_on__lte=as_of, due_on__lt=as_of))}
    if as_of >= today:
        measures["n"] = Count("pk", filter=Q(received_on__lte=as_of))
    result: dict = defaultdict(lambda: [0, 0])
    rows = [open_now.aggregate(**measures)] if group is None else open_now.values(group).annotate(**measures).order_by()
    for row in rows:
        slot = result[row[group] if group else None]
        slot[0] += row["n"]
        slot[1] += row["late"]
    if as_of < today:
        after = (
            {}
            if not totals
            else _flows(split_period(as_of + datetime.timedelta(days=1), FAR_FUTURE), agency_ids, group_by)
        )
        for key, counts in after.items():
            result[key][0] += sum(counts[c] for c in CLOSING) - sum(counts[c] for c in RECEIVING)
        overdue_then = facts.filter(
            Q(finished_on__gt=F("due_on")), finished_on__gt=as_of, received_on__lte=as_of, due_on__lt=as_of
        )
        rows = (
            [overdue_then.aggregate(late=Count("pk"))]
            if group is None
            else overdue_then.values(group).annotate(late=Count("pk")).order_by()
        )
        for row in rows:
            result[row[group] if group else None][1] += row["late"]
    if group is None:
        result.setdefault(None, [0, 0])
    return {key: (n, late) for key, (n, late) in result.items() if key is None or n or late}


def late_at_dates(agency_ids, dates: list[datetime.date], *, today: datetime.date | None = None) -> dict:
    """{date: dossiers open and overdue at the end of that date}, for many dates in two queries (same rule as
    `in_progress`): open now and due before it, plus finished after it while overdue then."""
    today = today or timezone.localdate()
    facts = DossierFact.objects.all()
    if agency_ids is not None:
        facts = facts.filter(agency_id__in=agency_ids)
    names = {f"d{i}": day for i, day in enumerate(dates)}
    open_now = facts.filter(finished_on__isnull=True).aggregate(
        **{name: Count("pk", filter=Q(received_on__lte=day, due_on__lt=day)) for name, day in names.items()}
    )
    past = {name: day for name, day in names.items() if day < today}
    finished = {}
    if past:
        finished = facts.filter(
            Q(finished_on__gt=F("due_on")), finished_on__gt=min(past.values()), received_on__lte=max(past.values())
        ).aggregate(
            **{
                name: Count("pk", filter=Q(finished_on__gt=day, received_on__lte=day, due_on__lt=day))
                for name, day in past.items()
            }
        )
    return {day: (open_now[name] or 0) + (finished.get(name) or 0) for name, day in names.items()}


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def dossier_row(counts: Counter, progress: tuple[int, int]) -> dict:
    received_online = counts["received_online_partial"] + counts["received_online_full"]
    received_total = counts["received_counter"] + received_online + counts["received_postal"]
    resolved_total = counts["resolved_early"] + counts["resolved_on_time"] + counts["resolved_late"]
    return {
        "received_total": received_total,
        "received_counter": counts["received_counter"],
        "received_online": received_online,
        "received_online_partial": counts["received_online_partial"],
        "received_online_full": counts["received_online_full"],
        "received_postal": counts["received_postal"],
        # of received_online: submitted on the National Public Service Portal (not a fourth part of the total)
        "received_national_portal": counts["received_national_portal"],
        "resolved_total": resolved_total,
        "resolved_early": counts["resolved_early"],
        "resolved_on_time": counts["resolved_on_time"],
        "resolved_late": counts["resolved_late"],
        "resolved_apologised": counts["resolved_apologised"],
        "resolved_e_result": counts["resolved_e_result"],
        "in_progress_total": progress[0],
        "in_progress_late": progress[1],
        "returned": counts["returned"],
        "withdrawn": counts["withdrawn"],
        "stopped": counts["stopped"],
        "paid_online": counts["paid_online"],
        "paid_desk": counts["paid_desk"],
        "share_online": _share(received_online, received_total),
        "share_on_time": _share(counts["resolved_early"] + counts["resolved_on_time"], resolved_total),
        "share_paid_online": _share(counts["paid_online"], counts["paid_online"] + counts["paid_desk"]),
    }


@dataclass
class Report:
    title: str
    params: dict
    columns: tuple[str, ...]
    rows: list[dict]
    totals: dict

    def as_dict(self) -> dict:
        return {"title": self.title, "params": self.params, "rows": self.rows, "totals": self.totals}


def _merge_keys(totals: dict, mapper) -> dict:
    merged: dict = defaultdict(Counter)
    for key, counts in totals.items():
        merged[mapper(key)].update(counts)
    return merged


def dossier_report(
    *, scope: Scope, start: datetime.date, end: datetime.date, group_by: str = "agency", organised: str = "then"
) -> Report:
    agency_ids = scope_agency_ids(scope, organised=organised)
    parts = split_period(start, end)
    flows = _flows(parts, agency_ids, group_by)
    if group_by == "month":
        # open at the end of each month: open at `end`, walked back with the months' own flows (received − closed);
        # the late ones per month end from the facts' indexes (totals=False: no counters read again)
        progress = {}
        open_then = in_progress(agency_ids, end, None)[None][0]
        month_ends, month = {}, start.replace(day=1)
        while month <= end:
            month_ends[month] = min(_month_end(month), end)
            month = _next_month(month)
        late_at = late_at_dates(agency_ids, list(month_ends.values()))
        month = end.replace(day=1)
        while month >= start.replace(day=1):
            late = late_at[month_ends[month]]
            progress[month] = (open_then, late)
            counts = flows.get(month, Counter())
            open_then -= sum(counts[c] for c in RECEIVING) - sum(counts[c] for c in CLOSING)
            month = (month - datetime.timedelta(days=1)).replace(day=1)
    else:
        progress = in_progress(agency_ids, end, group_by)
    if group_by == "agency" and organised == "now":
        mapper = _map_agency(organised)
        flows = _merge_keys(flows, mapper)
        merged: dict = defaultdict(lambda: (0, 0))
        for key, (n, late) in progress.items():
            old = merged[mapper(key)]
            merged[mapper(key)] = (old[0] + n, old[1] + late)
        progress = dict(merged)
    keys = sorted(set(flows) | set(progress), key=lambda k: (k is None, str(k)))
    labels, public = _describe(group_by, keys)
    rows = []
    for key in keys:
        row = dossier_row(flows.get(key, Counter()), progress.get(key, (0, 0)))
        rows.append({"key": public.get(key, key), "label": labels.get(key, str(key)), **row})
    rows.sort(key=lambda r: str(r["key"]) if group_by == "month" else r["label"])
    total_flows = Counter()
    for counts in flows.values():
        total_flows.update(counts)
    totals = {
        "key": "total",
        "label": _("Tổng cộng"),
        **dossier_row(total_flows, in_progress(agency_ids, end, None)[None]),
    }
    params = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "group_by": group_by,
        "organised": organised,
        "scope": scope.label,
        "agency": ",".join(a.code for a in scope.agencies) if scope.agencies else "",
    }
    return Report(_("Tình hình tiếp nhận, giải quyết hồ sơ TTHC"), params, DOSSIER_FIELDS, rows, totals)


# --- the dossiers behind a figure ------------------------------------------------------------------------------------

FIGURE_MEASURES = {
    "received_total": ("received", Q()),
    "received_counter": ("received", Q(channel="counter")),
    "received_online": ("received", Q(channel__in=["online_partial", "online_full"])),
    "received_online_partial": ("received", Q(channel="online_partial")),
    "received_online_full": ("received", Q(channel="online_full")),
    "received_postal": ("received", Q(channel="postal")),
    "received_national_portal": ("received", Q(national_portal=True)),
    "resolved_total": ("finished", Q(outcome__in=["early", "on_time", "late"])),
    "resolved_early": ("finished", Q(outcome="early")),
    "resolved_on_time": ("finished", Q(outcome="on_time")),
    "resolved_late": ("finished", Q(outcome="late")),
    "resolved_apologised": ("finished", Q(apologised=True, outcome__in=["early", "on_time"])),
    "resolved_e_result": ("finished", Q(e_result=True, outcome__in=["early", "on_time", "late"])),
    "returned": ("finished", Q(outcome=Outcome.RETURNED)),
    "withdrawn": ("finished", Q(outcome=Outcome.WITHDRAWN)),
    "stopped": ("finished", Q(outcome=Outcome.STOPPED)),
    "in_progress_total": ("open", Q()),
    "in_progress_late": ("open", Q()),
    "paid_online": ("paid", Q(paid="online")),
    "paid_desk": ("paid", Q(paid="desk")),
}


def _group_filter(group_by: str | None, key: str | None) -> Q:
    if not group_by or key in (None, ""):
        return Q()
    if group_by == "tier":
        return Q(agency__tier=key)
    if group_by == "agency":
        return Q(agency__code=key)
    if group_by == "field":
        return Q(procedure__field__code=key)
    if group_by == "procedure":
        return Q(procedure__code=key)
    try:
        month = datetime.date.fromisoformat(f"{key}-01")
    except ValueError:
        raise _bad("invalid_key", _("Khóa nhóm không hợp lệ."), "key") from None
    return Q(month=month)


def figure_dossier_ids(
    *, scope: Scope, start, end, measure: str, group_by: str | None = None, key: str | None = None, organised="then"
):
    """A queryset of the dossier ids behind one figure of `dossier_report` (same rules, read from the facts)."""
    if measure not in FIGURE_MEASURES:
        raise _bad("invalid_measure", _("Chỉ tiêu không hợp lệ."), "measure")
    kind, q = FIGURE_MEASURES[measure]
    qs = DossierFact.objects.all()
    agency_ids = scope_agency_ids(scope, organised=organised)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    group_q = _group_filter(group_by, key)
    as_of = end
    if group_by == "month" and key:
        try:
            month = datetime.date.fromisoformat(f"{key}-01")
        except ValueError:
            raise _bad("invalid_key", _("Khóa nhóm không hợp lệ (YYYY-MM)."), "key") from None
        start, end, as_of = max(start, month), min(end, _month_end(month)), min(end, _month_end(month))
        group_q = Q()
    if kind == "received":
        qs = qs.filter(received_on__gte=start, received_on__lte=end)
    elif kind == "finished":
        qs = qs.filter(finished_on__gte=start, finished_on__lte=end)
    elif kind == "paid":
        qs = qs.filter(paid_on__gte=start, paid_on__lte=end)
    else:
        qs = qs.filter(received_on__lte=as_of).filter(Q(finished_on__isnull=True) | Q(finished_on__gt=as_of))
        if measure == "in_progress_late":
            qs = qs.filter(due_on__lt=as_of)
    return qs.filter(q, group_q).values("dossier_id")


# --- the procedure report (Phụ lục 01) -------------------------------------------------------------------------------


def _procedure_levels(as_of: datetime.date, agency_ids) -> dict:
    """{(agency_id or None, tier): {procedure_id: level}} of the offerings active on `as_of`."""
    offerings = (
        Offering.objects.active_on(as_of)
        .filter(offered=True, procedure__valid_from__lte=as_of)
        .filter(Q(procedure__valid_to__isnull=True) | Q(procedure__valid_to__gt=as_of))
    )
    result: dict = defaultdict(dict)
    for agency_id, agency_tier, tier, procedure_id, level in offerings.values_list(
        "agency_id", "agency__tier", "tier", "procedure_id", "online_level"
    ):
        slot = result[(agency_id, agency_tier or tier)]
        slot[procedure_id] = max(level, slot.get(procedure_id, 0))
    return result


def _procedure_row(levels: dict[int, int]) -> dict:
    counts = Counter(levels.values())
    total = len(levels)
    return {
        "total": total,
        "level_1": counts[1],
        "level_2": counts[2],
        "level_3": counts[3],
        "level_4": counts[4],
        "online_full": counts[4],
        "online_partial": counts[3],
        "share_level_4": _share(counts[4], total),
    }


def _procedure_groups(*, scope: Scope, as_of: datetime.date, group_by: str, organised: str) -> dict:
    """{group key: {procedure_id: level}} of `procedure_report` (see there)."""
    agency_ids = scope_agency_ids(scope, organised=organised)
    offered = _procedure_levels(as_of, agency_ids)
    groups: dict = defaultdict(dict)
    if group_by == "agency":
        agencies = Agency.objects.active_on(as_of).exclude(tier="")
        if agency_ids is not None:
            agencies = agencies.filter(pk__in=agency_ids)
        mapper = _map_agency(organised)
        templates = {tier: levels for (agency_id, tier), levels in offered.items() if agency_id is None}
        own = {agency_id: levels for (agency_id, _tier), levels in offered.items() if agency_id is not None}
        for agency in agencies:
            levels = {
                **(templates.get(agency.tier, {}) if agency.tier != Tier.PROVINCE else {}),
                **own.get(agency.pk, {}),
            }
            if levels:
                slot = groups[mapper(agency.pk)]
                for pid, level in levels.items():
                    slot[pid] = max(level, slot.get(pid, 0))
    else:
        scope_tiers = (
            set(Agency.objects.filter(pk__in=agency_ids).values_list("tier", flat=True))
            if agency_ids is not None
            else None
        )
        for (agency_id, tier), levels in offered.items():
            if agency_ids is not None and agency_id is not None and agency_id not in agency_ids:
                continue
            if agency_ids is not None and agency_id is None and tier not in scope_tiers:
                continue
            if group_by == "tier":
                slot = groups[tier]
                for pid, level in levels.items():
                    slot[pid] = max(level, slot.get(pid, 0))
            else:
                fields = dict(Procedure.objects.filter(pk__in=list(levels)).values_list("pk", "field_id"))
                for pid, level in levels.items():
                    slot = groups[fields[pid]]
                    slot[pid] = max(level, slot.get(pid, 0))
    return groups


def procedure_report(*, scope: Scope, as_of: datetime.date, group_by: str = "tier", organised: str = "then") -> Report:
    """Procedures by online level (Phụ lục 01): a procedure counts once per group, at its highest level there.

    Tier: the province's procedures (offered by a provincial agency) and the district / commune tier templates.
    Agency: the agency's own offerings plus its tier's template (minus its exceptions). Field: every procedure once."""
    groups = _procedure_groups(scope=scope, as_of=as_of, group_by=group_by, organised=organised)
    keys = list(groups)
    labels, public = _describe(group_by, keys)
    order = {Tier.PROVINCE: 0, Tier.DISTRICT: 1, Tier.COMMUNE: 2}
    rows = [{"key": public.get(k, k), "label": labels.get(k, str(k)), **_procedure_row(groups[k])} for k in keys]
    rows.sort(key=lambda r: (order.get(r["key"], 9), r["label"]))
    everything: dict[int, int] = {}
    for levels in groups.values():
        for pid, level in levels.items():
            everything[pid] = max(level, everything.get(pid, 0))
    totals = {"key": "total", "label": _("Tổng cộng (mỗi thủ tục một lần)"), **_procedure_row(everything)}
    params = {"as_of": as_of.isoformat(), "group_by": group_by, "organised": organised, "scope": scope.label}
    return Report(_("Thủ tục hành chính theo mức độ dịch vụ công trực tuyến"), params, PROCEDURE_FIELDS, rows, totals)


#: The procedures behind a figure of `procedure_report`: measure → the levels it counts (None: every level).
PROCEDURE_MEASURES = {
    "total": None,
    "level_1": (1,),
    "level_2": (2,),
    "level_3": (3,),
    "level_4": (4,),
    "online_full": (4,),
    "online_partial": (3,),
}


def figure_procedure_ids(
    *, scope: Scope, as_of: datetime.date, measure: str, group_by: str = "tier", key=None, organised: str = "then"
) -> list[int]:
    """The ids of the procedures behind one figure of `procedure_report` (same rules; `key` None: the totals)."""
    if measure not in PROCEDURE_MEASURES:
        raise _bad("invalid_measure", _("Chỉ tiêu không hợp lệ."), "measure")
    groups = _procedure_groups(scope=scope, as_of=as_of, group_by=group_by, organised=organised)
    levels: dict[int, int] = {}
    if key in (None, "", "total"):
        for group in groups.values():
            for pid, level in group.items():
                levels[pid] = max(level, levels.get(pid, 0))
    else:
        _labels, public = _describe(group_by, list(groups))
        for group_key, group in groups.items():
            if str(public.get(group_key, group_key)) == str(key):
                levels = group
    wanted = PROCEDURE_MEASURES[measure]
    return sorted(pid for pid, level in levels.items() if wanted is None or level in wanted)


BACKLOG_AGES = ((0, 7), (8, 30), (31, 90), (91, None))


def backlog_by_age(scope: Scope, *, today: datetime.date | None = None) -> list[dict]:
    """Dossiers open now by days since received (the facts' partial index of open dossiers): {label, total, late}."""
    today = today or timezone.localdate()
    facts = DossierFact.objects.filter(finished_on__isnull=True)
    agency_ids = scope_agency_ids(scope)
    if agency_ids is not None:
        facts = facts.filter(agency_id__in=agency_ids)
    measures = {}
    for index, (low, high) in enumerate(BACKLOG_AGES):
        q = Q(received_on__lte=today - datetime.timedelta(days=low))
        if high is not None:
            q &= Q(received_on__gte=today - datetime.timedelta(days=high))
        measures[f"n{index}"] = Count("pk", filter=q)
        measures[f"late{index}"] = Count("pk", filter=q & Q(due_on__lt=today))
    row = facts.aggregate(**measures)
    result = []
    for index, (low, high) in enumerate(BACKLOG_AGES):
        label = (
            _("%(a)s-%(b)s ngày") % {"a": low, "b": high} if high is not None else _("trên %(a)s ngày") % {"a": low - 1}
        )
        result.append({"label": label, "total": row[f"n{index}"], "late": row[f"late{index}"]})
    return result

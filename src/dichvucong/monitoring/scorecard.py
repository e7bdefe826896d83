"""QĐ 766/QĐ-TTg (23/6/2022) scorecard, as far as the data allows (issue 13 item 3).

Each indicator: rate in [0, 1] from the rollups (or the ratings), points = rate × the indicator's points. An
indicator without data (no dossier resolved, no rating) scores nothing and is left out of the maximum, so the
normalised score (points / available maximum × 100) compares agencies on what can be measured. Formulas:

- on_time (Tiến độ giải quyết, 20): (resolved early + on time − those resolved after an apology) / resolved.
  On time = finished by the due date with the supplement waits excluded from the count; a second supplement
  request is late (stored so by the timeliness rule); an apology counts as late (QĐ 766).
- online_dossiers (Dịch vụ công trực tuyến, 12): received online (một phần + toàn trình) / received.
- online_level4 (Dịch vụ công trực tuyến, 10): procedures offered toàn trình / procedures offered.
- e_results (Số hóa, 22): resolved with an issued electronic result / resolved.
- satisfaction (Mức độ hài lòng, 18): mean overall rating (1-5) mapped to [0, 1] as (mean − 1) / 4.
- feedback (Mức độ hài lòng, 6): phản ánh / kiến nghị answered by the deadline / (answered + open past it).
- online_payments (Thanh toán trực tuyến, 10): dossiers whose fees were paid online (payment platform) / dossiers
  whose fees were paid (online + at the one-stop desk: cash, POS, bank transfer), counted on the paid day; dossiers
  without a fee (or fully exempt) are in neither. No fee paid in the period: not scored.
- Not measurable here and therefore not scored: publication of procedures (Công khai, minh bạch).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.agencies.models import Agency
from dichvucong.feedback.selectors import feedback_stats, rating_stats

from .access import Scope
from .reports import dossier_report, procedure_report, scope_agency_ids

INDICATORS = (
    ("on_time", gettext_lazy("Tỷ lệ hồ sơ giải quyết đúng hạn"), 20),
    ("online_dossiers", gettext_lazy("Tỷ lệ hồ sơ nộp trực tuyến"), 12),
    ("online_level4", gettext_lazy("Tỷ lệ TTHC cung cấp trực tuyến toàn trình"), 10),
    ("e_results", gettext_lazy("Tỷ lệ kết quả giải quyết điện tử"), 22),
    ("online_payments", gettext_lazy("Tỷ lệ hồ sơ thanh toán trực tuyến"), 10),
    ("satisfaction", gettext_lazy("Mức độ hài lòng của người dân, doanh nghiệp"), 18),
    ("feedback", gettext_lazy("Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn"), 6),
)
FORMULAS = {
    "on_time": "(resolved_early + resolved_on_time - resolved_apologised) / resolved_total",
    "online_dossiers": "received_online / received_total",
    "online_level4": "level_4 / total (procedures offered)",
    "e_results": "resolved_e_result / resolved_total",
    "online_payments": "paid_online / (paid_online + paid_desk)",
    "satisfaction": "(mean overall rating - 1) / 4",
    "feedback": "answered by the deadline / (answered + open past the deadline)",
}


def _ratio(part, whole):
    return (part / whole) if whole else None


def _indicators(
    dossiers: dict | None, procedures: dict | None, ratings: dict | None, feedback: dict | None = None
) -> dict:
    d = dossiers or {}
    rates = {
        "on_time": _ratio(
            d.get("resolved_early", 0) + d.get("resolved_on_time", 0) - d.get("resolved_apologised", 0),
            d.get("resolved_total", 0),
        ),
        "online_dossiers": _ratio(d.get("received_online", 0), d.get("received_total", 0)),
        "online_level4": _ratio((procedures or {}).get("level_4", 0), (procedures or {}).get("total", 0)),
        "e_results": _ratio(d.get("resolved_e_result", 0), d.get("resolved_total", 0)),
        "online_payments": _ratio(d.get("paid_online", 0), d.get("paid_online", 0) + d.get("paid_desk", 0)),
        "satisfaction": ((ratings["overall"] - 1) / 4) if ratings and ratings.get("n") else None,
        "feedback": _ratio(
            (feedback or {}).get("answered_on_time", 0),
            (feedback or {}).get("answered", 0) + (feedback or {}).get("overdue", 0),
        ),
    }
    rows, points, maximum = [], 0.0, 0
    for key, label, weight in INDICATORS:
        rate = rates[key]
        earned = round(rate * weight, 2) if rate is not None else None
        if rate is not None:
            points += earned
            maximum += weight
        rows.append(
            {
                "key": key,
                "label": str(label),
                "formula": FORMULAS[key],
                "max_points": weight,
                "rate": round(100 * rate, 2) if rate is not None else None,
                "points": earned,
            }
        )
    return {
        "indicators": rows,
        "points": round(points, 2),
        "max_points": maximum,
        "score": round(100 * points / maximum, 2) if maximum else None,
    }


def scorecard(*, scope: Scope, start: datetime.date, end: datetime.date, organised: str = "then") -> dict:
    """The scope's indicators and the ranking of its agencies (by normalised score, best first)."""
    dossiers = dossier_report(scope=scope, start=start, end=end, group_by="agency", organised=organised)
    procedures = procedure_report(scope=scope, as_of=end, group_by="agency", organised=organised)
    agency_ids = scope_agency_ids(scope, organised=organised)
    ratings_total = rating_stats(start=start, end=end, agency_ids=agency_ids)
    ratings = rating_stats(start=start, end=end, agency_ids=agency_ids, by_agency=True)
    feedback_total = feedback_stats(start=start, end=end, agency_ids=agency_ids)
    feedback = feedback_stats(start=start, end=end, agency_ids=agency_ids, by_agency=True)
    code_to_id = dict(Agency.objects.filter(code__in=[r["key"] for r in dossiers.rows]).values_list("code", "pk"))
    by_code = {r["key"]: r for r in procedures.rows}
    ranking = []
    for row in dossiers.rows:
        agency_id = code_to_id.get(row["key"])
        card = _indicators(row, by_code.get(row["key"]), ratings.get(agency_id), feedback.get(agency_id))
        ranking.append({"agency": row["key"], "label": row["label"], **card})
    ranking.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["label"]))
    for position, row in enumerate(ranking, start=1):
        row["rank"] = position
    overall = _indicators(dossiers.totals, procedures.totals, ratings_total, feedback_total)
    return {
        "title": _("Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ (QĐ 766/QĐ-TTg)"),
        "params": {"from": start.isoformat(), "to": end.isoformat(), "scope": scope.label, "organised": organised},
        **overall,
        "ranking": ranking,
    }

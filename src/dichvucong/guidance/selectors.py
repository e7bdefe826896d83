"""Reads of the guidance context: the assistant's answer, life events, content pages, survey figures."""

from django.db.models import Count, Max
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.catalog import selectors as catalog_selectors
from dichvucong.catalog.models import Procedure
from dichvucong.common.money import format_vnd
from dichvucong.common.search import fold_words

from . import engine, lexicon
from .models import ContentKind, ContentPage, SurveyReason, SurveyResponse

EMPTY_MESSAGE = "Hãy viết điều bạn cần làm, ví dụ: «con mới sinh», «mở quán bán hàng», «làm lại căn cước»."
NOTHING_MESSAGE = (
    "Chưa tìm thấy thủ tục phù hợp. Hãy thử nói cách khác (việc cần làm, giấy tờ cần có) "
    "hoặc chọn một sự kiện dưới đây."
)
TOO_LONG_MESSAGE = "Câu hỏi dài quá nên chỉ {n} ký tự đầu được dùng để tìm."


def _catalogue_rows() -> list[dict]:
    today = timezone.localdate()
    return [
        {"code": r["code"], "name": r["name"], "field_name": r["field__name"], "applicant_types": r["applicant_types"]}
        for r in Procedure.objects.in_force_on(today).values("code", "name", "field__name", "applicant_types")
    ]


def assistant_index() -> engine.Index:
    today = timezone.localdate()
    key = (today, *Procedure.objects.in_force_on(today).aggregate(n=Count("id"), last=Max("updated_at")).values())
    return engine.get_index(_catalogue_rows, key)


def life_events() -> list[dict]:
    return [{"slug": e["slug"], "name": e["name"], "name_en": e["name_en"]} for e in lexicon.LIFE_EVENTS]


def life_event_get(slug: str) -> dict | None:
    event = next((e for e in lexicon.LIFE_EVENTS if e["slug"] == slug), None)
    if event is None:
        return None
    found = {p.code: p for p in Procedure.objects.filter(code__in=event["codes"]).select_related("field")}
    return {**event, "procedures": [found[c] for c in event["codes"] if c in found]}


def assistant_answer(question: str | None, *, limit: int = engine.MAX_RESULTS) -> dict:
    """{"results": [{code, name, why, score, url}], "clarify": [...], "life_events": [...], "message", ...}.

    Never raises on user input: empty, very long, markup or nonsense questions get a message instead."""
    question = question or ""
    answer = {
        "query": question[: engine.MAX_QUESTION_CHARS],
        "results": [],
        "clarify": [],
        "life_events": [],
        "content": [],
    }
    messages = []
    if len(question) > engine.MAX_QUESTION_CHARS:
        messages.append(TOO_LONG_MESSAGE.format(n=engine.MAX_QUESTION_CHARS))
    index = assistant_index()
    understanding = index.understand(question)
    answer["understood"] = {
        "words": understanding.words,
        "corrections": understanding.corrections,
        "expansions": understanding.expansions,
    }
    if not understanding.tokens:
        answer["message"] = " ".join([*messages, EMPTY_MESSAGE])
        answer["life_events"] = life_events()
        return answer
    ranked = index.rank(understanding, limit=limit)
    answer["results"] = [
        {"code": r["code"], "name": r["name"], "why": r["why"], "score": r["score"], "url": f"/thu-tuc/{r['code']}/"}
        for r in ranked
    ]
    answer["clarify"] = engine.clarify(index, understanding, ranked)
    answer["content"] = [
        {
            "kind": page.kind,
            "title": page.title,
            "url": f"/huong-dan/{page.slug}/",
            "procedure_code": page.procedure_code,
        }
        for page in published_content().filter(procedure_code__in=[r["code"] for r in ranked[:3]])[:5]
    ]
    answer["life_events"] = [
        {"slug": e["slug"], "name": e["name"], "name_en": e["name_en"]} for e in understanding.life_events
    ]
    if not ranked:
        messages.append(NOTHING_MESSAGE)
        answer["life_events"] = life_events()
    answer["message"] = " ".join(messages)
    return answer


def procedure_summary(code: str) -> dict | None:
    """What the assistant's answer ends on: documents, fees, time and where to submit (online or which desks)."""
    procedure = (
        Procedure.objects.filter(code=code)
        .select_related("field")
        .prefetch_related("required_documents", "fees")
        .first()
    )
    if procedure is None:
        return None
    agencies = catalog_selectors.agencies_offering(procedure)
    return {
        "procedure": procedure,
        "documents": list(procedure.required_documents.all()),
        "fees": [{"name": f.name, "amount": format_vnd(f.amount), "notes": f.notes} for f in procedure.fees.all()],
        "online": any(a["online_level"] >= 3 for a in agencies),
        "agencies": agencies[:8],
        "agency_count": len(agencies),
        "faq": list(published_content().filter(kind=ContentKind.FAQ, procedure_code=code)[:5]),
    }


def baseline_search(question: str, *, limit: int = 10) -> list[str]:
    """The catalogue's plain lexical search (every folded word must occur), as the evaluation's baseline."""
    return list(catalog_selectors.procedure_search(question).values_list("code", flat=True)[:limit])


# --- content ------------------------------------------------------------------------------------------------------


def published_content():
    return ContentPage.objects.filter(published=True, published_at__lte=timezone.now())


def content_search(q: str | None = None, *, kind: str | None = None):
    qs = published_content()
    if kind:
        qs = qs.filter(kind=kind)
    for word in fold_words(q or "")[:10]:
        qs = qs.filter(search_text__contains=word)
    return qs


def content_get(slug: str, *, user=None) -> ContentPage | None:
    page = ContentPage.objects.filter(slug=slug).first()
    if page is None:
        return None
    if published_content().filter(pk=page.pk).exists() or can_edit_content(user):
        return page
    return None


def can_read_survey(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user_has_role(user, Role.PROVINCE_ADMIN) or user_has_role(user, Role.MONITOR)
    )


def can_edit_content(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user_has_role(user, Role.PROVINCE_ADMIN)


def survey_summary(*, since=None, procedure_code: str = "") -> dict:
    qs = SurveyResponse.objects.all()
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if procedure_code:
        qs = qs.filter(procedure_code=procedure_code)
    counts = dict(qs.values_list("reason").annotate(n=Count("id")).values_list("reason", "n"))
    return {
        "total": sum(counts.values()),
        "by_reason": [
            {"reason": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in SurveyReason.choices
        ],
        "by_procedure": list(
            qs.exclude(procedure_code="").values("procedure_code").annotate(count=Count("id")).order_by("-count")[:20]
        ),
        "recent_comments": list(qs.exclude(comment="").values("created_at", "reason", "comment")[:20]),
    }

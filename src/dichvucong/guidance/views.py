"""Guidance pages: the assistant, life events, guides/FAQ/news, the survey, and the province admin's editor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dichvucong.common.errors import DomainError
from dichvucong.common.throttling import page_throttle_wait

from . import selectors, services
from .models import ContentKind, ContentPage, SurveyReason
from .throttling import AssistantThrottle, SurveyThrottle


@require_GET
def assistant(request):
    q = request.GET.get("q", "")
    context = {"q": q[:300], "answer": None, "summary": None, "throttled": False}
    if q.strip():
        if page_throttle_wait(request, AssistantThrottle) is not None:
            context["throttled"] = True
            return render(request, "guidance/assistant.html", context, status=429)
        answer = selectors.assistant_answer(q)
        context["answer"] = answer
        if answer["results"]:
            context["summary"] = selectors.procedure_summary(answer["results"][0]["code"])
    else:
        context["answer"] = selectors.assistant_answer("")
    return render(request, "guidance/assistant.html", context)


@require_GET
def life_event(request, slug: str):
    event = selectors.life_event_get(slug)
    if event is None:
        raise Http404
    return render(request, "guidance/life_event.html", {"event": event})


@require_GET
def content_list(request):
    kind = request.GET.get("loai", "")
    kind = kind if kind in ContentKind.values else ""
    q = request.GET.get("q", "")[:200]
    pages = selectors.content_search(q, kind=kind or None)[:100]
    return render(
        request,
        "guidance/content_list.html",
        {
            "pages": pages,
            "q": q,
            "kind": kind,
            "kinds": ContentKind.choices,
            "can_edit": selectors.can_edit_content(request.user),
        },
    )


@require_GET
def content_detail(request, slug: str):
    page = selectors.content_get(slug, user=request.user)
    if page is None:
        raise Http404
    return render(
        request, "guidance/content_detail.html", {"page": page, "can_edit": selectors.can_edit_content(request.user)}
    )


@require_http_methods(["GET", "POST"])
def survey(request):
    context = {"reasons": SurveyReason.choices, "procedure": request.GET.get("thu_tuc", "")[:30], "errors": {}}
    if request.method == "POST":
        if page_throttle_wait(request, SurveyThrottle) is not None:
            return render(request, "guidance/survey.html", {**context, "throttled": True}, status=429)
        try:
            services.survey_submit(
                actor=request.user,
                reason=request.POST.get("reason", ""),
                comment=request.POST.get("comment", ""),
                procedure_code=request.POST.get("procedure_code", ""),
            )
        except DomainError as exc:
            context["errors"] = exc.fields
            context["procedure"] = request.POST.get("procedure_code", "")[:30]
            return render(request, "guidance/survey.html", context, status=400)
        messages.success(request, "Cảm ơn bạn đã trả lời khảo sát.")
        return redirect("guidance:assistant")
    return render(request, "guidance/survey.html", context)


@require_http_methods(["GET", "POST"])
def content_edit(request, slug: str | None = None):
    """Create (no slug) or edit a guide/FAQ/news page: province admin only (others 403, anonymous to login)."""
    if not request.user.is_authenticated:
        return redirect(f"/tai-khoan/dang-nhap/?next={request.path}")
    if not selectors.can_edit_content(request.user):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được biên tập nội dung.")
    page = ContentPage.objects.filter(slug=slug).first() if slug else None
    if slug and page is None:
        raise Http404
    values = {
        "kind": page.kind if page else ContentKind.GUIDE,
        "slug": page.slug if page else "",
        "title": page.title if page else "",
        "summary": page.summary if page else "",
        "body": page.body if page else "",
        "procedure_code": page.procedure_code if page else "",
        "published": page.published if page else False,
    }
    errors = {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        values["published"] = request.POST.get("published") == "on"
        try:
            saved = services.content_save(actor=request.user, page=page, **values)
        except DomainError as exc:
            errors = exc.fields or {"__all__": exc.detail}
        else:
            messages.success(request, "Đã lưu nội dung.")
            return redirect("guidance:content-detail", slug=saved.slug)
    return render(
        request,
        "guidance/content_edit.html",
        {"page": page, "values": values, "errors": errors, "kinds": ContentKind.choices},
        status=400 if errors else 200,
    )


@require_GET
def survey_results(request):
    """The survey's figures for the monitoring: province admin and monitor only (others 403, anonymous to login)."""
    if not request.user.is_authenticated:
        return redirect(f"/tai-khoan/dang-nhap/?next={request.path}")
    if not selectors.can_read_survey(request.user):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh và giám sát xem kết quả khảo sát.")
    return render(request, "guidance/survey_results.html", {"summary": selectors.survey_summary()})

"""Back-office pages: processes (list, detail with diagram, approval view) and the officer's work queues."""

import datetime
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dichvucong.accounts.decorators import staff_required
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies, user_has_role
from dichvucong.common.errors import DomainError, NotFoundError

from . import desk, processing, queues, services
from .diagram import render_process_svg
from .models import ProcessStatus
from .selectors import process_get, process_list


def _get_or_404(request, process_id):
    try:
        return process_get(request.user, process_id)
    except NotFoundError as exc:
        raise Http404(exc.detail) from exc


@staff_required
def process_list_view(request):
    status = request.GET.get("status") or None
    if status not in ProcessStatus.values:
        status = None
    processes = process_list(request.user, procedure=request.GET.get("procedure") or None, status=status)[:200]
    return render(
        request,
        "workflows/process_list.html",
        {"processes": processes, "statuses": ProcessStatus.choices, "status": status},
    )


@staff_required
def process_detail_view(request, process_id):
    process = _get_or_404(request, process_id)
    return render(
        request,
        "workflows/process_detail.html",
        {
            "process": process,
            "diagram": mark_safe(render_process_svg(process)),  # noqa: S308 - escaped in diagram.py
            "steps": process.steps.all(),
        },
    )


@staff_required
def process_approval_view(request, process_id):
    process = _get_or_404(request, process_id)
    user = request.user
    is_admin = user_has_role(user, Role.PROVINCE_ADMIN)
    owns = any(a.pk == process.owner_agency_id for a in user_agencies(user))
    return render(
        request,
        "workflows/process_approval.html",
        {
            "process": process,
            "diagram": mark_safe(render_process_svg(process)),  # noqa: S308 - escaped in diagram.py
            "can_submit": owns and process.status == ProcessStatus.DRAFT,
            "can_review": is_admin and not owns and process.status == ProcessStatus.SUBMITTED,
            "can_approve": is_admin and not owns and process.status == ProcessStatus.REVIEWED,
            "can_send_back": is_admin
            and not owns
            and process.status in (ProcessStatus.SUBMITTED, ProcessStatus.REVIEWED),
            "today": timezone.localdate().isoformat(),
        },
    )


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DomainError(_("Ngày không hợp lệ (YYYY-MM-DD)."), code="invalid_date") from None


@require_POST
@staff_required
def process_transition_view(request, process_id, transition):
    process = _get_or_404(request, process_id)
    post = request.POST
    actions = {
        "submit": lambda: services.process_submit(actor=request.user, process=process),
        "review": lambda: services.process_review(actor=request.user, process=process, note=post.get("note", "")),
        "send-back": lambda: services.process_send_back(actor=request.user, process=process, note=post.get("note", "")),
        "approve": lambda: services.process_approve(
            actor=request.user,
            process=process,
            decision_number=post.get("decision_number", ""),
            decision_date=_date(post.get("decision_date")),
            decision_signer=post.get("decision_signer", ""),
            active_from=_date(post.get("active_from")),
        ),
    }
    if transition not in actions:
        raise Http404
    try:
        actions[transition]()
        messages.success(request, _("Đã cập nhật quy trình."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("workflows:process-approval", process_id=process.uuid)


@require_POST
@staff_required
def consultation_answer_view(request, consultation_id):
    """The consulted agency's officer answers from the dossier page; the dossier resumes at the asking step."""
    try:
        consultation = processing.consultation_get(consultation_id)
        queues.dossier_for_processing(request.user, consultation.run.dossier.code)
        processing.consultation_answer(
            actor=request.user, consultation=consultation, answer=request.POST.get("answer", "")
        )
        messages.success(request, _("Đã gửi ý kiến trả lời."))
    except NotFoundError as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("dossiers:office-detail", reference=consultation.run.dossier.code)


#: The queue page's views: the desk work of the officer or of the unit; the former tabs map onto the filters.
PAGE_VIEWS = {
    "mine": {"scope": "mine"},
    "team": {"scope": "unit"},
    "due_today": {"scope": "unit", "only": "due_soon"},
    "overdue": {"scope": "unit", "only": "overdue"},
    "consultations": {"scope": "unit", "kind": "consult"},
}
FILTER_KEYS = ("view", "kind", "only", "sort")
SESSION_FILTERS = "queue_filters"


def queue_filters(values, saved=None) -> dict:
    """The queue's filters from `values` (the query string), or from the officer's saved ones when none is given."""
    if not any(values.get(key) for key in FILTER_KEYS) and saved:
        values = saved
    view = values.get("view") if values.get("view") in PAGE_VIEWS else "mine"
    filters = {"view": view, "scope": "mine", "kind": "", "only": "", "sort": "due", **PAGE_VIEWS[view]}
    if values.get("kind") in desk.KIND_LABELS:
        filters["kind"] = values["kind"]
    if values.get("only") in ("overdue", "due_soon"):
        filters["only"] = values["only"]
    if values.get("sort") in desk.SORTS:
        filters["sort"] = values["sort"]
    return filters


@staff_required
def queue_view(request):
    """All the desk work of the officer (`mine`) or of the unit (`team`): to accept, paid, to forward, steps, to
    process, consultations, results to return; filtered by kind, overdue / due soon, sorted by due time."""
    filters = queue_filters(request.GET, request.session.get(SESSION_FILTERS))
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    rows, has_next = desk.desk_page(
        request.user,
        scope=filters["scope"],
        kind=filters["kind"] or None,
        only=filters["only"] or None,
        sort=filters["sort"],
        page=page,
    )
    loads = [queues.agency_load(agency=a) for a in user_agencies(request.user) if queues.may_see_load(request.user, a)]
    dispatching = queues.dispatch_agency_ids(request.user)
    for row in rows:
        row.assignable = row.item is not None and row.item.agency_id in dispatching
    counts = desk.desk_counts(request.user)
    return render(
        request,
        "workflows/queue.html",
        {
            "view": filters["view"],
            "filters": filters,
            "rows": rows,
            "page": page,
            "has_next": has_next,
            "page_query": urlencode(
                {
                    k: v
                    for k, v in (
                        ("view", filters["view"]),
                        ("kind", filters["kind"]),
                        ("only", filters["only"]),
                        ("sort", filters["sort"]),
                    )
                    if v
                }
            ),
            "counts": counts,
            "kinds": [(key, label, counts.get(key, 0)) for key, label in desk.KINDS],
            "loads": loads,
            "can_assign": any(row.assignable for row in rows),
            "officers": queues.assignable_officers(request.user) if dispatching else [],
            "views": [("mine", _("Của tôi")), ("team", _("Của đơn vị"))],
            "sorts": [
                ("due", _("Hạn gần nhất trước")),
                ("-due", _("Hạn xa nhất trước")),
                ("waiting", _("Chờ lâu nhất trước")),
            ],
            "saved": bool(request.session.get(SESSION_FILTERS)),
        },
    )


@require_POST
@staff_required
def queue_filters_save_view(request):
    """Keep the queue's filters for the officer's next visits (the session; a GET never writes)."""
    if request.POST.get("reset"):
        request.session.pop(SESSION_FILTERS, None)
        return redirect("workflows:queue")
    filters = queue_filters(request.POST)
    saved = {key: filters[key] for key in FILTER_KEYS if filters[key]}
    request.session[SESSION_FILTERS] = saved
    messages.success(request, _("Đã lưu bộ lọc: lần sau trang công việc mở với bộ lọc này."))
    return redirect(f"{reverse('workflows:queue')}?{urlencode(saved)}")


def _uuids(values: list[str]) -> list[uuid.UUID] | None:
    try:
        return [uuid.UUID(value) for value in values]
    except ValueError:
        return None


@require_POST
@staff_required
def queue_assign_view(request):
    """A leader or head of division hands the checked steps of their agency to one officer (bulk assignment)."""
    agencies = queues.dispatch_agency_ids(request.user)
    if not agencies:
        raise PermissionDenied
    ids = _uuids(request.POST.getlist("items"))
    items = list(queues.open_items().filter(uuid__in=ids or [], agency_id__in=agencies))
    if ids is None or len(items) != len(set(ids)):
        raise Http404(_("Không tìm thấy một số bước xử lý."))
    try:
        processing.work_items_assign(actor=request.user, items=items, assignee=request.POST.get("assignee", ""))
        messages.success(request, _("Đã phân công %(count)d hồ sơ.") % {"count": len(items)})
    except DomainError as exc:
        messages.error(request, exc.detail)
    view = request.POST.get("view")
    return redirect(f"{reverse('workflows:queue')}?view={view if view in PAGE_VIEWS else 'team'}")

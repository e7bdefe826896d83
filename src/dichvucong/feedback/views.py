"""Pages of ratings and feedback (issue 13 item 4), thin over `services` and `selectors`:

- `/ho-so/cua-toi/<code>/danh-gia/`: the owner rates a finished dossier (once, editable for 7 days);
- `/danh-gia/`: the ratings and their averages for the officer's agencies (the province for the monitor);
- `/phan-anh/gui/`: anyone files a phản ánh / kiến nghị (anonymous with a contact), throttled per address;
- `/phan-anh/`: the published answers (no login);
- `/phan-anh/quan-ly/`, `/phan-anh/<uuid>/`: the agency's officers list (overdue first marked) and answer them;
  a citizen sees what they filed;
- `/phan-anh/thoi-han/`: the province admin sets the answer deadline (working days), the same rule as the API.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.catalog.models import Procedure
from dichvucong.common.errors import DomainError
from dichvucong.common.pagination import CappedPaginator
from dichvucong.common.throttling import page_throttle_wait
from dichvucong.dossiers.selectors import dossier_get_for

from .api.views import FeedbackThrottle
from .models import Feedback
from .selectors import (
    feedback_published,
    feedback_stats,
    feedback_visible_to,
    rating_of,
    rating_stats,
    ratings_visible_to,
    staff_agency_ids,
)
from .services import (
    RATEABLE,
    feedback_answer,
    feedback_create,
    feedback_policy,
    feedback_policy_set,
    rating_editable,
    rating_editable_until,
    rating_save,
)

SCORE_FIELDS = (
    ("overall", gettext_lazy("Mức độ hài lòng chung")),
    ("timeliness", gettext_lazy("Thời gian giải quyết")),
    ("attitude", gettext_lazy("Thái độ của cán bộ")),
)


def _int(value):
    """A form value as an int, None when it is not one (the service then says which field is wrong)."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _own_finished_dossier(request, reference):
    """The caller's own dossier, else 404 (an officer who may see it, another citizen: not found here)."""
    try:
        dossier = dossier_get_for(user=request.user, reference=reference)
    except DomainError:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    if dossier.owner_id != request.user.pk:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


@login_required
def rate(request, reference):
    dossier = _own_finished_dossier(request, reference)
    rating = rating_of(dossier)
    status, error, fields, values = 200, None, {}, {}
    if request.method == "POST":
        values = {
            **{name: _int(request.POST.get(name)) for name, _label in SCORE_FIELDS},
            "visits": _int(request.POST.get("visits") or 0),
            "comment": request.POST.get("comment", ""),
        }
        try:
            rating_save(actor=request.user, dossier=dossier, **values)
        except DomainError as exc:
            status, error, fields = exc.status_code, exc.detail, getattr(exc, "fields", None) or {}
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá. Bạn có thể sửa đánh giá trong 7 ngày."))
            return redirect("feedback:rate", reference=dossier.code)
    current = rating
    form = values or (
        {name: getattr(current, name) for name in ("overall", "timeliness", "attitude", "visits", "comment")}
        if current
        else {"visits": 0}
    )
    return render(
        request,
        "feedback/rate.html",
        {
            "dossier": dossier,
            "rating": rating,
            "finished": dossier.status in RATEABLE,
            "editable": rating is None or rating_editable(rating),
            "editable_until": rating_editable_until(rating) if rating else None,
            "fields": [(name, label, form.get(name), fields.get(name)) for name, label in SCORE_FIELDS],
            "form": form,
            "errors": fields,
            "error": error,
            "scale": range(1, 6),
        },
        status=status,
    )


def _period(request):
    """from / to of the statistics (default: this year); a bad date is a Vietnamese error, not a crash."""
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else today.replace(1, 1)
        end = datetime.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else today
    except ValueError:
        return today.replace(month=1, day=1), today, _("Ngày không hợp lệ (định dạng năm-tháng-ngày).")
    if end < start:
        return today.replace(month=1, day=1), today, _("Ngày kết thúc phải sau ngày bắt đầu.")
    return start, end, None


def _staff_only(request):
    ids = staff_agency_ids(request.user)
    if ids == []:
        raise PermissionDenied(_("Chỉ cán bộ cơ quan và Tổ công tác giám sát xem được trang này."))
    return ids


@login_required
def ratings(request):
    agency_ids = _staff_only(request)
    start, end, error = _period(request)
    qs = ratings_visible_to(request.user).filter(created_at__date__gte=start, created_at__date__lte=end)
    page = CappedPaginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/ratings.html",
        {
            "page": page,
            "stats": rating_stats(start=start, end=end, agency_ids=agency_ids),
            "start": start,
            "end": end,
            "error": error,
        },
        status=400 if error else 200,
    )


def create(request):
    """Anyone files a phản ánh / kiến nghị; `?thu-tuc=<code>` or `?ho-so=<code>` preselects the subject."""
    status, error, fields = 200, None, {}
    data = (
        request.POST
        if request.method == "POST"
        else {
            "procedure_code": request.GET.get("thu-tuc", ""),
            "dossier_code": request.GET.get("ho-so", ""),
            "kind": "report",
        }
    )
    if request.method == "POST":
        wait = page_throttle_wait(request, FeedbackThrottle)
        if wait is not None:
            status, error = 429, _("Bạn đã gửi quá nhiều phản ánh; vui lòng thử lại sau %(s)s giây.") % {"s": wait}
        else:
            try:
                item = feedback_create(
                    actor=request.user,
                    kind=data.get("kind", ""),
                    content=data.get("content", ""),
                    author_name=data.get("author_name", ""),
                    contact=data.get("contact", ""),
                    procedure_code=data.get("procedure_code", "").strip(),
                    dossier_code=data.get("dossier_code", "").strip(),
                    publish_consent=data.get("publish_consent") == "on",
                )
            except DomainError as exc:
                status, error, fields = exc.status_code, exc.detail, getattr(exc, "fields", None) or {}
            else:
                messages.success(
                    request,
                    _("Đã gửi đến %(agency)s; hạn trả lời: %(due)s.")
                    % {"agency": item.agency.name, "due": item.due_on.strftime("%d/%m/%Y")},
                )
                if request.user.is_authenticated:
                    return redirect("feedback:detail", uuid=item.uuid)
                return redirect("feedback:public")
    return render(
        request,
        "feedback/create.html",
        {
            "data": data,
            "error": error,
            "errors": fields,
            "kinds": Feedback.Kind.choices,
            "days": feedback_policy().answer_working_days,
            "procedure": Procedure.objects.filter(code=data.get("procedure_code") or "").first(),
        },
        status=status,
    )


def public(request):
    page = CappedPaginator(feedback_published().order_by("-answered_at", "-pk"), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public.html", {"page": page})


@login_required
def office_list(request):
    """Staff: their agencies' feedback, open ones first, overdue ones marked, and the statistics; a citizen: theirs."""
    agency_ids = staff_agency_ids(request.user)
    qs = feedback_visible_to(request.user)
    wanted = request.GET.get("status")
    if wanted in Feedback.Status.values:
        qs = qs.filter(status=wanted)
    page = CappedPaginator(qs.order_by("-status", "due_on", "-pk"), 50).get_page(request.GET.get("page"))
    stats, start, end, error = None, None, None, None
    if agency_ids != []:
        start, end, error = _period(request)
        stats = feedback_stats(start=start, end=end, agency_ids=agency_ids)
    return render(
        request,
        "feedback/office_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "stats": stats,
            "staff": agency_ids != [],
            "province_admin": user_has_role(request.user, Role.PROVINCE_ADMIN),
            "start": start,
            "end": end,
            "error": error,
            "status": wanted or "",
            "statuses": Feedback.Status.choices,
        },
    )


@login_required
def detail(request, uuid):
    item = feedback_visible_to(request.user).filter(uuid=uuid).first()
    if item is None:
        raise Http404(_("Không tìm thấy phản ánh."))
    may_answer = item.status == Feedback.Status.OPEN and (
        user_has_role(request.user, Role.LEADER, agency=item.agency)
        or user_has_role(request.user, Role.AGENCY_ADMIN, agency=item.agency)
    )
    status, error = 200, None
    if request.method == "POST":
        try:
            feedback_answer(actor=request.user, feedback=item, answer=request.POST.get("answer", ""))
        except DomainError as exc:
            status, error = exc.status_code, exc.detail
            item.refresh_from_db()
        else:
            messages.success(request, _("Đã trả lời phản ánh."))
            return redirect("feedback:detail", uuid=item.uuid)
    return render(
        request,
        "feedback/detail.html",
        {
            "item": item,
            "may_answer": may_answer,
            "error": error,
            "overdue": item.status == Feedback.Status.OPEN and item.due_on < timezone.localdate(),
            "staff": staff_agency_ids(request.user) != [],
            "answer": request.POST.get("answer", "") if request.method == "POST" else "",
        },
        status=status,
    )


@login_required
def policy(request):
    """The province admin reads and sets the answer deadline; anyone else is refused (403), nothing written."""
    if not user_has_role(request.user, Role.PROVINCE_ADMIN):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh đặt thời hạn trả lời."))
    current = feedback_policy()
    status, error, value = 200, None, current.answer_working_days
    if request.method == "POST":
        value = request.POST.get("answer_working_days", "")
        try:
            feedback_policy_set(actor=request.user, answer_working_days=_int(value))
        except DomainError as exc:
            status, error = exc.status_code, exc.detail
        else:
            messages.success(request, _("Đã lưu thời hạn trả lời phản ánh."))
            return redirect("feedback:policy")
    return render(
        request,
        "feedback/policy.html",
        {"current": current.answer_working_days, "value": value, "error": error},
        status=status,
    )

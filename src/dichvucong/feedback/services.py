"""Ratings of finished dossiers (issue 13 item 4): the owner rates once, and may edit the rating for 7 days."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_role
from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.catalog.models import Offering, Procedure
from dichvucong.common.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.workdays.calendar import add_working_days

from .models import Feedback, FeedbackPolicy, Rating

RATING_EDIT_DAYS = 7
#: A dossier is rated once it has its result (processed or returned).
RATEABLE = (Status.PROCESSED, Status.RESULT_RETURNED)
SCORES = ("overall", "timeliness", "attitude")


def rating_editable_until(rating: Rating) -> datetime.datetime:
    return rating.created_at + datetime.timedelta(days=RATING_EDIT_DAYS)


def rating_editable(rating: Rating) -> bool:
    """The 7-day rule, one place: the page shows the form while `rating_save` would accept an edit."""
    return timezone.now() <= rating_editable_until(rating)


def _clean(values: dict) -> dict:
    errors, cleaned = {}, {}
    for name in SCORES:
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[name] = [_("Chấm điểm từ 1 đến 5.")]
        else:
            cleaned[name] = value
    visits = values.get("visits", 0)
    if not isinstance(visits, int) or isinstance(visits, bool) or not 0 <= visits <= 50:
        errors["visits"] = [_("Số lần đến cơ quan từ 0 đến 50.")]
    else:
        cleaned["visits"] = visits
    comment = str(values.get("comment") or "").replace("\x00", "").strip()
    if len(comment) > 2000:
        errors["comment"] = [_("Ý kiến tối đa 2.000 ký tự.")]
    cleaned["comment"] = comment
    if errors:
        raise ValidationFailed(_("Đánh giá chưa hợp lệ."), code="rating_invalid", fields=errors)
    return cleaned


@transaction.atomic
def rating_save(*, actor, dossier: Dossier, **values) -> Rating:
    """Create the owner's rating of a finished dossier, or edit it within 7 days. Someone else's dossier is 404
    (`dossier_not_found`), an unfinished one 409 `dossier_not_finished`, an edit after 7 days 409 `rating_locked`."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.owner_id is None or dossier.owner_id != getattr(actor, "pk", None):
        raise NotFoundError(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    if dossier.status not in RATEABLE:
        raise ConflictError(_("Chỉ đánh giá được hồ sơ đã có kết quả."), code="dossier_not_finished")
    cleaned = _clean(values)
    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is None:
        rating = Rating.objects.create(dossier=dossier, author=actor, agency_id=dossier.agency_id, **cleaned)
        audit_record(actor=actor, action="rating.create", obj=rating, after=cleaned)
        return rating
    if not rating_editable(rating):
        raise ConflictError(_("Đánh giá chỉ sửa được trong 7 ngày."), code="rating_locked")
    before = {name: getattr(rating, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(rating, name, value)
    rating.save()
    audit_record(actor=actor, action="rating.update", obj=rating, before=before, after=cleaned)
    return rating


# --- feedback (phản ánh, kiến nghị) --------------------------------------------------------------------------------


def feedback_policy() -> FeedbackPolicy:
    return FeedbackPolicy.objects.filter(pk=1).first() or FeedbackPolicy(pk=1)


@transaction.atomic
def feedback_policy_set(*, actor, answer_working_days: int) -> FeedbackPolicy:
    """The province admin sets the answer deadline (1-60 working days)."""
    if not user_has_role(actor, Role.PROVINCE_ADMIN):
        raise PermissionDeniedError(_("Chỉ quản trị cấp tỉnh đặt thời hạn trả lời."), code="permission_denied")
    if not isinstance(answer_working_days, int) or not 1 <= answer_working_days <= 60:
        raise ValidationFailed(
            _("Thời hạn từ 1 đến 60 ngày làm việc."),
            code="invalid_deadline",
            fields={"answer_working_days": [_("Từ 1 đến 60.")]},
        )
    policy = feedback_policy()
    before = policy.answer_working_days if policy.pk and FeedbackPolicy.objects.filter(pk=1).exists() else None
    policy.answer_working_days = answer_working_days
    policy.save()
    audit_record(
        actor=actor,
        action="feedback.policy_set",
        obj=policy,
        before={"days": before},
        after={"days": answer_working_days},
    )
    return policy


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationFailed(_("Thông tin bắt buộc."), code=f"{field}_required", fields={field: [_("Bắt buộc.")]})
    if len(text) > limit:
        raise ValidationFailed(
            _("Quá dài (tối đa %(n)s ký tự).") % {"n": limit}, code=f"{field}_too_long", fields={field: [str(limit)]}
        )
    return text


@transaction.atomic
def feedback_create(
    *,
    actor,
    kind: str,
    content: str,
    author_name: str = "",
    contact: str = "",
    procedure_code: str = "",
    dossier_code: str = "",
    publish_consent: bool = False,
) -> Feedback:
    """Anyone files a phản ánh / kiến nghị about a procedure or a dossier; it goes to the dossier's agency, or the
    agency offering the procedure (its first offering's agency, else the Provincial Office's root)."""
    if kind not in Feedback.Kind.values:
        raise ValidationFailed(
            _("Loại không hợp lệ."), code="invalid_kind", fields={"kind": [_("phản ánh | kiến nghị")]}
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    content = _text(content, field="content", limit=5000)
    author_name = _text(author_name or (user.display_name if user else ""), field="author_name", limit=200)
    contact = _text(
        contact or (getattr(user, "phone", "") or getattr(user, "email", "") if user else ""),
        field="contact",
        limit=200,
    )
    dossier = procedure = None
    if dossier_code:
        dossier = Dossier.objects.filter(code=dossier_code).select_related("agency", "procedure").first()
        # the code alone is not a secret: only the owner may attach feedback to a dossier
        if dossier is None or user is None or dossier.owner_id != user.pk:
            raise NotFoundError(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
        procedure, agency = dossier.procedure, dossier.agency
    elif procedure_code:
        procedure = Procedure.objects.filter(code=procedure_code).first()
        if procedure is None:
            raise NotFoundError(_("Không tìm thấy thủ tục."), code="procedure_not_found")
        offering = Offering.objects.filter(procedure=procedure, agency__isnull=False).select_related("agency").first()
        agency = offering.agency if offering else Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    else:
        raise ValidationFailed(
            _("Cần chọn thủ tục hoặc hồ sơ được phản ánh."),
            code="subject_required",
            fields={"procedure": [_("Bắt buộc một trong hai.")]},
        )
    if agency is None:
        raise NotFoundError(_("Không xác định được cơ quan tiếp nhận."), code="agency_not_found")
    due_on = add_working_days(timezone.localdate(), feedback_policy().answer_working_days)
    feedback = Feedback.objects.create(
        kind=kind,
        author=user,
        author_name=author_name,
        contact=contact,
        procedure=procedure,
        dossier=dossier,
        agency=agency,
        content=content,
        publish_consent=bool(publish_consent),
        due_on=due_on,
    )
    audit_record(actor=actor, action="feedback.create", obj=feedback, after={"kind": kind, "agency": agency.code})
    return feedback


@transaction.atomic
def feedback_answer(*, actor, feedback: Feedback, answer: str) -> Feedback:
    """The agency's leader or admin answers (once)."""
    feedback = Feedback.objects.select_for_update().select_related("agency").get(pk=feedback.pk)
    if not (
        user_has_role(actor, Role.LEADER, agency=feedback.agency)
        or user_has_role(actor, Role.AGENCY_ADMIN, agency=feedback.agency)
    ):
        raise NotFoundError(_("Không tìm thấy phản ánh."), code="feedback_not_found")
    if feedback.status == Feedback.Status.ANSWERED:
        raise ConflictError(_("Phản ánh đã được trả lời."), code="feedback_already_answered")
    feedback.answer = _text(answer, field="answer", limit=5000)
    feedback.status, feedback.answered_at, feedback.answered_by = Feedback.Status.ANSWERED, timezone.now(), actor
    feedback.save()
    audit_record(actor=actor, action="feedback.answer", obj=feedback, after={"on_time": feedback.answered_on_time})
    return feedback

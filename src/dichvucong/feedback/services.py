"""Ratings of finished dossiers (issue 13 item 4): the owner rates once, and may edit the rating for 7 days."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, NotFoundError, ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status

from .models import Rating

RATING_EDIT_DAYS = 7
#: A dossier is rated once it has its result (processed or returned).
RATEABLE = (Status.PROCESSED, Status.RESULT_RETURNED)
SCORES = ("overall", "timeliness", "attitude")


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
    if timezone.now() - rating.created_at > datetime.timedelta(days=RATING_EDIT_DAYS):
        raise ConflictError(_("Đánh giá chỉ sửa được trong 7 ngày."), code="rating_locked")
    before = {name: getattr(rating, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(rating, name, value)
    rating.save()
    audit_record(actor=actor, action="rating.update", obj=rating, before=before, after=cleaned)
    return rating

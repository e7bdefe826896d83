"""How the result reaches the applicant: online, at the counter, or by post (Decision 45/2016/QĐ-TTg: receiving
the results of administrative procedures through public postal services) with the carrier's tracking number.

- the owner chooses (at any time until the result is sent or returned), or the reception officer records the
  applicant's choice at the counter;
- the reception officer (or the clerk) records the parcel as sent with carrier and tracking number, then the
  post's answer: delivered (with the delivery date the post reports: the dossier is then returned, national status
  10, on that date) or not delivered (the parcel came back: the result waits at the one-stop desk, the applicant
  collects it there or chooses the post again).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_any_role, user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services import dossier_deliver, record_event
from dichvucong.dossiers.state_machine import Status

from .models import DeliveryMethod, ResultDelivery

READY_STATUSES = (Status.PROCESSED, Status.RESULT_RETURNED)
CLOSED_STATUSES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESULT_RETURNED)


def _snapshot(delivery: ResultDelivery) -> dict:
    return {
        "method": delivery.method,
        "address": delivery.address,
        "carrier": delivery.carrier,
        "tracking_number": delivery.tracking_number,
        "sent_at": delivery.sent_at,
        "delivered_at": delivery.delivered_at,
        "failed_at": delivery.failed_at,
        "failure_reason": delivery.failure_reason,
    }


def _locked(dossier) -> ResultDelivery:
    delivery = ResultDelivery.objects.select_for_update().filter(dossier=dossier).first()
    return delivery or ResultDelivery(dossier=dossier)


def may_choose(user, dossier) -> bool:
    return dossier.owner_id == getattr(user, "pk", None) or user_has_role(user, Role.RECEPTION, agency=dossier.agency)


def may_record_shipment(user, dossier) -> bool:
    return user_has_any_role(user, (Role.RECEPTION, Role.CLERK), agency=dossier.agency)


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, code=f"{field}_required", fields={field: [message]})
    return value


@transaction.atomic
def result_delivery_choose(
    *, actor, dossier, method: str, recipient_name: str = "", recipient_phone: str = "", address: str = ""
) -> ResultDelivery:
    if not may_choose(actor, dossier):
        raise PermissionDeniedError(
            _("Chỉ chủ hồ sơ hoặc cán bộ một cửa mới chọn hình thức nhận kết quả."), code="permission_denied"
        )
    if method not in DeliveryMethod.values:
        raise ValidationFailed(
            _("Hình thức nhận kết quả không hợp lệ."),
            code="invalid_delivery_method",
            fields={"method": [", ".join(DeliveryMethod.values)]},
        )
    if dossier.status == Status.DRAFT or dossier.status in CLOSED_STATUSES:
        raise ConflictError(_("Không thể thay đổi hình thức nhận kết quả ở trạng thái này."), code="invalid_transition")
    delivery = _locked(dossier)
    if delivery.sent_at is not None and delivery.failed_at is None:
        raise ConflictError(_("Kết quả đã được gửi qua bưu chính."), code="delivery_already_sent")
    before = _snapshot(delivery) if delivery.pk else None
    if method == DeliveryMethod.POSTAL:
        address = _required(address, "address", _("Cần địa chỉ nhận kết quả qua bưu chính."))
    delivery.method, delivery.address = method, (address or "").strip()[:300]
    delivery.recipient_name = (recipient_name or dossier.applicant_name).strip()[:200]
    delivery.recipient_phone = (recipient_phone or dossier.applicant_phone).strip()[:20]
    delivery.chosen_by = actor
    delivery.save()
    audit_record(actor=actor, action="result_delivery.choose", obj=dossier, before=before, after=_snapshot(delivery))
    return delivery


@transaction.atomic
def result_delivery_record_sent(*, actor, dossier, carrier: str, tracking_number: str) -> ResultDelivery:
    """The one-stop desk hands the result to the postal service: carrier and tracking number are recorded."""
    if not may_record_shipment(actor, dossier):
        raise PermissionDeniedError(
            _("Chỉ cán bộ một cửa hoặc văn thư của cơ quan mới ghi nhận gửi kết quả."), code="permission_denied"
        )
    delivery = _locked(dossier)
    if delivery.pk is None or delivery.method != DeliveryMethod.POSTAL:
        raise ConflictError(_("Người nộp chưa chọn nhận kết quả qua bưu chính."), code="delivery_not_postal")
    if dossier.status not in READY_STATUSES:
        raise ConflictError(_("Hồ sơ chưa có kết quả để gửi."), code="result_not_ready")
    if delivery.sent_at is not None and delivery.failed_at is None:
        raise ConflictError(_("Kết quả đã được gửi qua bưu chính."), code="delivery_already_sent")
    before = _snapshot(delivery)
    delivery.failed_at, delivery.failure_reason, delivery.delivered_at = None, "", None  # sent again after a failure
    delivery.carrier = _required(carrier, "carrier", _("Cần tên đơn vị bưu chính."))[:100]
    delivery.tracking_number = _required(tracking_number, "tracking_number", _("Cần số hiệu bưu gửi."))[:60]
    delivery.sent_at, delivery.sent_by = timezone.now(), actor
    delivery.save()
    audit_record(actor=actor, action="result_delivery.sent", obj=dossier, before=before, after=_snapshot(delivery))
    return delivery


def _reported_moment(value, delivery: ResultDelivery, field: str) -> datetime.datetime:
    """The time the post reports (default now): not in the future, not before the parcel was sent."""
    now = timezone.now()
    if value is None:
        return now
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = timezone.make_aware(datetime.datetime.combine(value, datetime.time(12, 0)))
    if value > now or value < delivery.sent_at - datetime.timedelta(minutes=1):
        message = _("Thời điểm bưu chính báo phải sau khi gửi và không ở tương lai.")
        raise ValidationFailed(message, code="invalid_delivery_time", fields={field: [message]})
    return value


def _shipped(actor, dossier, verb: str, *, by_carrier: bool = False) -> ResultDelivery:
    # The carrier's signed callback acts for the desk officer who handed the parcel over (`postal.py`).
    if not by_carrier and not may_record_shipment(actor, dossier):
        raise PermissionDeniedError(
            _("Chỉ cán bộ một cửa hoặc văn thư của cơ quan mới ghi nhận %(verb)s kết quả.") % {"verb": verb},
            code="permission_denied",
        )
    delivery = _locked(dossier)
    if delivery.pk is None or delivery.sent_at is None:
        raise ConflictError(_("Kết quả chưa được gửi qua bưu chính."), code="delivery_not_sent")
    if delivery.delivered_at is not None:
        raise ConflictError(_("Đã ghi nhận phát thành công."), code="delivery_already_delivered")
    if delivery.failed_at is not None:
        raise ConflictError(
            _("Bưu chính đã báo phát không thành công; kết quả đang ở Bộ phận một cửa."), code="delivery_failed"
        )
    return delivery


@transaction.atomic
def result_delivery_record_delivered(*, actor, dossier, delivered_at=None, by_carrier: bool = False) -> ResultDelivery:
    """The post confirms the delivery (on `delivered_at`, the date of its proof of delivery; default now): the result
    is returned, national status 10, dated at the delivery (Decision 45/2016/QĐ-TTg art. 12: the result is handed over
    when the applicant signs for the parcel)."""
    delivery = _shipped(actor, dossier, _("phát"), by_carrier=by_carrier)
    before = _snapshot(delivery)
    delivery.delivered_at = _reported_moment(delivered_at, delivery, "delivered_at")
    delivery.save(update_fields=["delivered_at", "updated_at"])
    after = {**_snapshot(delivery), "source": "carrier" if by_carrier else "desk"}
    audit_record(actor=actor, action="result_delivery.delivered", obj=dossier, before=before, after=after)
    current = Dossier.objects.get(pk=dossier.pk)
    if current.status == Status.PROCESSED:
        dossier_deliver(
            actor=actor,
            dossier=current,
            note=_("Bưu chính (%(carrier)s) đã phát kết quả, số hiệu %(number)s")
            % {"carrier": delivery.carrier, "number": delivery.tracking_number},
            returned_at=delivery.delivered_at,
        )
    return delivery


@transaction.atomic
def result_delivery_record_failed(
    *, actor, dossier, reason: str, failed_at=None, by_carrier: bool = False
) -> ResultDelivery:
    """The post could not deliver and returned the parcel: the result goes back to the one-stop desk (the applicant
    collects it there: method `counter`); the dossier stays processed (national status 9) until it is handed over."""
    reason = _required(reason, "reason", _("Cần ghi lý do bưu chính phát không thành công."))[:300]
    delivery = _shipped(actor, dossier, _("phát không thành công"), by_carrier=by_carrier)
    before = _snapshot(delivery)
    delivery.failed_at = _reported_moment(failed_at, delivery, "failed_at")
    delivery.failure_reason = reason
    delivery.method = DeliveryMethod.COUNTER
    delivery.save(update_fields=["failed_at", "failure_reason", "method", "updated_at"])
    after = {**_snapshot(delivery), "source": "carrier" if by_carrier else "desk"}
    audit_record(actor=actor, action="result_delivery.failed", obj=dossier, before=before, after=after)
    current = Dossier.objects.get(pk=dossier.pk)
    record_event(
        dossier=current,
        actor=actor,
        action="result_back_to_desk",
        from_status=current.status,
        to_status=current.status,
        note=f"{delivery.carrier} {delivery.tracking_number}: {reason}",
    )
    return delivery

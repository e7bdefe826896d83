"""How the result reaches the applicant: online, at the counter, or by post (Decision 45/2016/QĐ-TTg: receiving
the results of administrative procedures through public postal services) with the carrier's tracking number.

- the owner chooses (at any time until the result is sent or returned), or the reception officer records the
  applicant's choice at the counter;
- the reception officer (or the clerk) records the parcel as sent with carrier and tracking number, then as
  delivered.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_has_any_role, user_has_role
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
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
    if delivery.sent_at is not None:
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
    if delivery.sent_at is not None:
        raise ConflictError(_("Kết quả đã được gửi qua bưu chính."), code="delivery_already_sent")
    before = _snapshot(delivery)
    delivery.carrier = _required(carrier, "carrier", _("Cần tên đơn vị bưu chính."))[:100]
    delivery.tracking_number = _required(tracking_number, "tracking_number", _("Cần số hiệu bưu gửi."))[:60]
    delivery.sent_at, delivery.sent_by = timezone.now(), actor
    delivery.save()
    audit_record(actor=actor, action="result_delivery.sent", obj=dossier, before=before, after=_snapshot(delivery))
    return delivery


@transaction.atomic
def result_delivery_record_delivered(*, actor, dossier) -> ResultDelivery:
    if not may_record_shipment(actor, dossier):
        raise PermissionDeniedError(
            _("Chỉ cán bộ một cửa hoặc văn thư của cơ quan mới ghi nhận phát kết quả."), code="permission_denied"
        )
    delivery = _locked(dossier)
    if delivery.pk is None or delivery.sent_at is None:
        raise ConflictError(_("Kết quả chưa được gửi qua bưu chính."), code="delivery_not_sent")
    if delivery.delivered_at is not None:
        raise ConflictError(_("Đã ghi nhận phát thành công."), code="delivery_already_delivered")
    before = _snapshot(delivery)
    delivery.delivered_at = timezone.now()
    delivery.save(update_fields=["delivered_at", "updated_at"])
    audit_record(actor=actor, action="result_delivery.delivered", obj=dossier, before=before, after=_snapshot(delivery))
    return delivery

"""Notifications to applicants (e-mail, SMS): Vietnamese templates the province admin edits, rendered in the
transaction of the dossier's change and written to the outbox (so nothing is sent for a change that rolled back,
and nothing is lost when the mail server or the SMS gateway is down)."""

from __future__ import annotations

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone

from dichvucong.common.errors import ValidationFailed
from dichvucong.common.money import format_vnd
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Status
from dichvucong.payments.models import FeeAssessment

from . import outbox
from .models import Channel, NotificationEvent, NotificationPreference, NotificationTemplate, Target

#: History action of the dossier → the notification it sends.
EVENT_OF_ACTION = {
    "submit": NotificationEvent.RECEIVED,
    "receive": NotificationEvent.RECEIVED,
    "accept": NotificationEvent.ACCEPTED,
    "request_supplement": NotificationEvent.SUPPLEMENT,
    "request_payment": NotificationEvent.PAYMENT,
    "apologize": NotificationEvent.APOLOGY,
    "refuse": NotificationEvent.REFUSED,
    "mark_processed": NotificationEvent.RESULT_READY,
    "deliver": NotificationEvent.DELIVERED,
}

_SIGN = "\n\nTrung tâm Phục vụ hành chính công tỉnh Hưng Yên\nTra cứu hồ sơ: {{ tra_cuu }}"

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (NotificationEvent.RECEIVED, Channel.EMAIL): (
        "Hồ sơ {{ ma_ho_so }} đã được tiếp nhận",
        "Kính gửi {{ nguoi_nop }},\n\n{{ co_quan }} đã nhận hồ sơ «{{ ten_thu_tuc }}» của Ông/Bà, mã hồ sơ "
        "{{ ma_ho_so }}, lúc {{ thoi_diem }}. Hồ sơ sẽ được kiểm tra và Ông/Bà sẽ nhận thông báo tiếp theo." + _SIGN,
    ),
    (NotificationEvent.RECEIVED, Channel.SMS): (
        "",
        "DVC Hung Yen: Ho so {{ ma_ho_so }} ({{ ten_thu_tuc_ngan }}) da duoc tiep nhan luc {{ thoi_diem }}.",
    ),
    (NotificationEvent.ACCEPTED, Channel.EMAIL): (
        "Hồ sơ {{ ma_ho_so }} hợp lệ — hẹn trả kết quả ngày {{ ngay_hen_tra }}",
        "Kính gửi {{ nguoi_nop }},\n\nHồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, đã được tiếp nhận hợp lệ. "
        "Ngày hẹn trả kết quả: {{ ngay_hen_tra }}." + _SIGN,
    ),
    (NotificationEvent.ACCEPTED, Channel.SMS): (
        "",
        "DVC Hung Yen: Ho so {{ ma_ho_so }} hop le, hen tra ket qua ngay {{ ngay_hen_tra }}.",
    ),
    (NotificationEvent.SUPPLEMENT, Channel.EMAIL): (
        "Hồ sơ {{ ma_ho_so }} cần bổ sung",
        "Kính gửi {{ nguoi_nop }},\n\nHồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, cần bổ sung, hoàn thiện: "
        "{{ ly_do }}.\nThời gian bổ sung không tính vào thời hạn giải quyết." + _SIGN,
    ),
    (NotificationEvent.SUPPLEMENT, Channel.SMS): (
        "",
        "DVC Hung Yen: Ho so {{ ma_ho_so }} can bo sung. Chi tiet: {{ tra_cuu }}",
    ),
    (NotificationEvent.PAYMENT, Channel.EMAIL): (
        "Hồ sơ {{ ma_ho_so }}: đề nghị nộp phí, lệ phí {{ so_tien }}",
        "Kính gửi {{ nguoi_nop }},\n\nĐể tiếp tục giải quyết hồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, "
        "Ông/Bà vui lòng nộp phí, lệ phí: {{ so_tien }}." + _SIGN,
    ),
    (NotificationEvent.PAYMENT, Channel.SMS): (
        "",
        "DVC Hung Yen: Ho so {{ ma_ho_so }} can nop phi, le phi {{ so_tien }}. Thanh toan: {{ tra_cuu }}",
    ),
    (NotificationEvent.APOLOGY, Channel.EMAIL): (
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ ma_ho_so }}",
        "Kính gửi {{ nguoi_nop }},\n\n{{ co_quan }} xin lỗi Ông/Bà vì hồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, "
        "chưa giải quyết được đúng hẹn. Lý do: {{ ly_do }}.\nNgày hẹn trả kết quả mới: {{ ngay_hen_tra }}." + _SIGN,
    ),
    (NotificationEvent.APOLOGY, Channel.SMS): (
        "",
        "DVC Hung Yen xin loi: ho so {{ ma_ho_so }} tre hen, ngay hen tra moi {{ ngay_hen_tra }}.",
    ),
    (NotificationEvent.REFUSED, Channel.EMAIL): (
        "Hồ sơ {{ ma_ho_so }} bị từ chối",
        "Kính gửi {{ nguoi_nop }},\n\nHồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, không được giải quyết. "
        "Lý do: {{ ly_do }}." + _SIGN,
    ),
    (NotificationEvent.REFUSED, Channel.SMS): (
        "",
        "DVC Hung Yen: Ho so {{ ma_ho_so }} bi tu choi. Ly do xem tai {{ tra_cuu }}",
    ),
    (NotificationEvent.RESULT_READY, Channel.EMAIL): (
        "Hồ sơ {{ ma_ho_so }} đã có kết quả",
        "Kính gửi {{ nguoi_nop }},\n\nHồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, đã có kết quả. "
        "Ông/Bà nhận kết quả theo hình thức đã đăng ký." + _SIGN,
    ),
    (NotificationEvent.RESULT_READY, Channel.SMS): (
        "",
        "DVC Hung Yen: Ho so {{ ma_ho_so }} da co ket qua.",
    ),
    (NotificationEvent.DELIVERED, Channel.EMAIL): (
        "Đã trả kết quả hồ sơ {{ ma_ho_so }}",
        "Kính gửi {{ nguoi_nop }},\n\nKết quả hồ sơ «{{ ten_thu_tuc }}», mã {{ ma_ho_so }}, đã được trả lúc "
        "{{ thoi_diem }}. Cảm ơn Ông/Bà đã sử dụng dịch vụ công." + _SIGN,
    ),
    (NotificationEvent.DELIVERED, Channel.SMS): (
        "",
        "DVC Hung Yen: Da tra ket qua ho so {{ ma_ho_so }}. Cam on Ong/Ba.",
    ),
}

_ENGINE = Engine(autoescape=False, libraries={}, builtins=["django.template.defaultfilters"])


def template_for(event: str, channel: str) -> tuple[str, str]:
    row = NotificationTemplate.objects.filter(event=event, channel=channel).first()
    return (row.subject, row.body) if row is not None else DEFAULTS[(event, channel)]


def compile_text(text: str, *, field: str):
    try:
        return _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationFailed(
            f"Mẫu thông báo có lỗi cú pháp: {exc}", code="invalid_template", fields={field: [str(exc)]}
        ) from None


def render(text: str, context: dict) -> str:
    return compile_text(text, field="body").render(Context(context)).strip()


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def dossier_context(dossier: Dossier, *, note: str = "") -> dict:
    procedure_name = dossier.procedure.name
    amount = ""
    if dossier.status == Status.PAYMENT_REQUESTED:
        assessment = FeeAssessment.objects.filter(dossier=dossier).order_by("-id").first()
        amount = format_vnd(assessment.total) if assessment else ""
    base = getattr(settings, "PUBLIC_BASE_URL", "") or settings.PAYMENT_PUBLIC_BASE_URL
    return {
        "ma_ho_so": dossier.code or "",
        "ten_thu_tuc": procedure_name,
        "ten_thu_tuc_ngan": procedure_name[:40],
        "nguoi_nop": dossier.applicant_organisation or dossier.applicant_name,
        "co_quan": dossier.agency.name,
        "ngay_hen_tra": _date(dossier.due_at),
        "thoi_diem": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        "ly_do": note,
        "trang_thai": Status(dossier.status).label,
        "so_tien": amount,
        "tra_cuu": f"{base.rstrip('/')}/tra-cuu/?ma={dossier.code or ''}",
    }


SAMPLE_CONTEXT = {
    "ma_ho_so": "000.00.12.H31-261203-0001",
    "ten_thu_tuc": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "ten_thu_tuc_ngan": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "nguoi_nop": "Nguyễn Văn An",
    "co_quan": "Sở Xây dựng tỉnh Hưng Yên",
    "ngay_hen_tra": "15/12/2026",
    "thoi_diem": "09:30 03/12/2026",
    "ly_do": "Bổ sung bản vẽ mặt bằng",
    "trang_thai": "Đã tiếp nhận",
    "so_tien": "75.000 đ",
    "tra_cuu": "https://dichvucong.hungyen.gov.vn/tra-cuu/?ma=000.00.12.H31-261203-0001",
}


def channels_for(dossier: Dossier) -> dict[str, str]:
    """{channel: address} the applicant receives on (their choice; the dossier's contact details)."""
    email = dossier.applicant_email or (dossier.owner.email if dossier.owner_id else "")
    phone = dossier.applicant_phone or (getattr(dossier.owner, "phone", "") if dossier.owner_id else "")
    pref = NotificationPreference.objects.filter(user_id=dossier.owner_id).first() if dossier.owner_id else None
    chosen = {}
    if email and (pref is None or pref.email):
        chosen[Channel.EMAIL] = email
    if phone and (pref is None or pref.sms):
        chosen[Channel.SMS] = phone
    return chosen


def notify(*, dossier: Dossier, event: str, note: str = "") -> list:
    """Render the event's templates for the applicant's channels and write them to the outbox (this transaction)."""
    return outbox.enqueue_many(notification_messages(dossier=dossier, event=event, note=note))


def notification_messages(*, dossier: Dossier, event: str, note: str = "") -> list[dict]:
    """The outbox messages (`outbox.enqueue` arguments) of `notify`, not yet written."""
    channels = channels_for(dossier)
    if not channels:
        return []
    context = dossier_context(dossier, note=note)
    edited = {row.channel: (row.subject, row.body) for row in NotificationTemplate.objects.filter(event=event)}
    messages = []
    for channel, address in channels.items():
        subject, body = edited.get(channel) or DEFAULTS[(event, channel)]
        payload = {"event": event, "body": render(body, context)}
        if channel == Channel.EMAIL:
            payload["subject"] = render(subject, context).replace("\n", " ")[:200]
        else:
            payload["text"] = payload.pop("body")[:459]  # 3 SMS segments
        messages.append(
            {
                "target": Target.EMAIL if channel == Channel.EMAIL else Target.SMS,
                "kind": f"notification.{event}",
                "payload": payload,
                "dossier": dossier,
                "destination": address,
            }
        )
    return messages

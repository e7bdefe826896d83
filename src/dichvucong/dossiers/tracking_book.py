"""Mẫu 06 of Circular 01/2018/TT-VPCP: the tracking book (Sổ theo dõi hồ sơ) of a receiving agency over a period.

`tracking_book(user=, agency_code=, start=, end=)` checks who may read it (the agency's own officers and the
province roles; anyone else 403) and returns the `forms_pdf.TrackingBookData`; `render_tracking_book_file` turns it
into PDF or Excel. One row per dossier received by the agency's one-stop desk in the period (drafts are not
received), with the time it went to processing, the time the result came back and the time it was returned.
"""

import datetime

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.selectors import is_province_wide, user_agencies
from dichvucong.agencies.models import Agency
from dichvucong.common.dates import parse_date_param
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed

from . import forms_pdf
from .models import Dossier, DossierEvent
from .registry import registry
from .state_machine import Status

FORMATS = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_DAYS = 366
#: Notes written in the book for dossiers that ended without a result.
_ENDED = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


def _parse(value: str | None, field: str, default: datetime.date) -> datetime.date:
    """A `from`/`to` value: 400 `invalid_date` when malformed, `date_out_of_range` when absurd (year 9999)."""
    return parse_date_param(value, field=field, default=default)


def period(start: str | None, end: str | None) -> tuple[datetime.date, datetime.date]:
    """`from`/`to` query values (inclusive); default: this month up to today."""
    today = timezone.localdate()
    first, last = _parse(start, "from", today.replace(day=1)), _parse(end, "to", today)
    if first > last:
        raise ValidationFailed(
            _("Ngày bắt đầu phải trước ngày kết thúc."),
            code="invalid_period",
            fields={"from": [_("Sau ngày kết thúc.")]},
        )
    if (last - first).days >= MAX_DAYS:
        raise ValidationFailed(
            _("Mỗi lần xuất sổ tối đa %(days)s ngày.") % {"days": MAX_DAYS},
            code="period_too_long",
            fields={"to": [_("Khoảng thời gian quá dài.")]},
        )
    return first, last


def may_read_book(user, agency: Agency) -> bool:
    """The agency's own officers (any agency role) and province roles (monitoring)."""
    if is_province_wide(user):
        return True
    return any(a.pk == agency.pk for a in user_agencies(user))


def _bounds(first: datetime.date, last: datetime.date):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _rows(agency: Agency, first: datetime.date, last: datetime.date) -> list[forms_pdf.TrackingBookRow]:
    start, end = _bounds(first, last)
    forwarded = DossierEvent.objects.filter(dossier=OuterRef("pk"), action="start_processing").order_by("at")
    qs = (
        Dossier.objects.submitted()
        .filter(agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure")
        .annotate(
            forwarded_at=Subquery(forwarded.values("at")[:1]), handler_name=registry.engine.handling_agency_name()
        )
        .order_by("received_at", "code")
    )
    rows = []
    for dossier in qs:
        note = (
            dossier.get_status_display()
            if dossier.status in _ENDED
            else (dossier.get_timeliness_display() if dossier.timeliness else "")
        )
        rows.append(
            forms_pdf.TrackingBookRow(
                code=dossier.code,
                procedure_name=dossier.procedure.name,
                applicant_name=dossier.applicant_name,
                received_at=dossier.received_at,
                due_at=dossier.due_at,
                sets=dossier.sets_count,
                applicant_address=dossier.applicant_address,
                applicant_phone=dossier.applicant_phone,
                handling_agency=dossier.handler_name or agency.name,
                forwarded_at=dossier.forwarded_at,
                result_received_at=dossier.finished_at if dossier.status not in _ENDED else None,
                returned_at=dossier.returned_at,
                note=str(note),
            )
        )
    return rows


def tracking_book(
    *, user, agency_code: str, start: str | None = None, end: str | None = None
) -> forms_pdf.TrackingBookData:
    agency = Agency.objects.select_related("parent").filter(code=agency_code).first()
    if agency is None:
        raise NotFoundError(_("Không tìm thấy cơ quan."), code="agency_not_found")
    if not may_read_book(user, agency):
        raise PermissionDeniedError(
            _("Chỉ cán bộ của %(agency)s được xem sổ theo dõi hồ sơ của cơ quan.") % {"agency": agency.name},
            code="permission_denied",
        )
    first, last = period(start, end)
    return forms_pdf.TrackingBookData(
        agency_name=agency.name,
        parent_agency_name=agency.parent.name if agency.parent_id else "",
        period_start=first,
        period_end=last,
        rows=_rows(agency, first, last),
        place=getattr(settings, "PROVINCE_NAME", "Hưng Yên"),
        issued_at=timezone.localdate(),
    )


def render_tracking_book_file(data: forms_pdf.TrackingBookData, fmt: str) -> bytes:
    if fmt == "xlsx":
        return forms_pdf.render_tracking_book_xlsx(data)
    return forms_pdf.render_tracking_book(data)

"""A dossier's forms of Circular 01/2018/TT-VPCP as PDF: the data of the dossier fed to the `forms_pdf` renderers.

`receipt` (Mẫu 01, once accepted), `supplement-request` (Mẫu 02, the latest request), `refusal` (Mẫu 03, refused
dossiers), `apology` (Mẫu 04, when issued), `control-slip` (Mẫu 05, once accepted). A form that does not exist yet
for the dossier is a 404 `form_not_available`.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from dichvucong.common.errors import NotFoundError
from dichvucong.pdf.layout import place_name, signer_title_lines

from . import forms_pdf
from .dossier_codes import book_entry
from .dossier_deadlines import compute_timeliness, legal_time
from .models import Dossier
from .state_machine import Channel, Status

FORMS = ("receipt", "supplement-request", "refusal", "apology", "control-slip")


def _common(dossier: Dossier, request=None) -> dict:
    url = forms_pdf.lookup_url(dossier.code)
    if request is not None:
        url = request.build_absolute_uri(url)
    agency = dossier.agency
    return {
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "agency_name": agency.name,
        "parent_agency_name": agency.parent.name if agency.parent_id else "",
        "procedure_name": dossier.procedure.name,
        "applicant_id": dossier.applicant_id_number,
        "applicant_address": dossier.applicant_address,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "lookup_url": url,
        "place": place_name(agency, settings.PROVINCE_NAME),
    }


def _unavailable(label: str):
    return NotFoundError(f"Hồ sơ chưa có {label}.", code="form_not_available")


def _document_lines(dossier: Dossier) -> list:
    """Mẫu 01 "Thành phần hồ sơ": the paper documents checked at the counter with the counts recorded, then the
    files: a required document once, with the originals/copies the catalogue asks for (a tờ khai: original 1,
    copy 0), a file tied to no required document as one copy."""
    received = list(dossier.received_documents.all())
    documents = [forms_pdf.DocumentLine(row.name, row.originals, row.copies) for row in received]
    listed = {row.required_document_id for row in received if row.required_document_id}
    for attachment in dossier.attachments.select_related("required_document"):
        required = attachment.required_document
        if required is None:
            documents.append(forms_pdf.DocumentLine(attachment.original_name, 0, 1))
        elif required.pk not in listed:
            listed.add(required.pk)
            documents.append(forms_pdf.DocumentLine(required.name, required.originals, required.copies))
    return documents


def _receipt(dossier: Dossier, common: dict):
    if dossier.accepted_at is None:
        raise _unavailable(_("giấy tiếp nhận và hẹn trả kết quả"))
    documents = _document_lines(dossier)
    collect = (
        _("Qua dịch vụ bưu chính")
        if dossier.channel == Channel.POSTAL
        else _("Bộ phận Tiếp nhận và Trả kết quả - %(agency)s") % {"agency": dossier.agency.name}
    )
    received_by = dossier.received_by.display_name if dossier.received_by_id else ""
    return forms_pdf.render_receipt(
        forms_pdf.ReceiptData(
            **common,
            documents=documents,
            sets=dossier.sets_count,
            processing_days=dossier.procedure.processing_days,
            processing_time=dossier.procedure.processing_time_label
            if dossier.procedure.processing_hours or not dossier.procedure.processing_days
            else "",
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            collect_at=collect,
            officer_name=received_by,
            book_number=book_entry(dossier.code),
            issued_at=legal_time(dossier, dossier.accepted_at),  # dated at the (legal) acceptance, not when printed
        )
    )


def _supplement_request(dossier: Dossier, common: dict):
    requests = list(dossier.supplement_requests.all())
    if not requests:
        raise _unavailable(_("phiếu yêu cầu bổ sung"))
    latest = requests[-1]
    officer = latest.requested_by.display_name if latest.requested_by_id else ""
    return forms_pdf.render_supplement_request(
        forms_pdf.SupplementRequestData(
            **common,
            received_at=dossier.received_at,
            items=list(latest.items),
            reason=latest.note,
            officer_name=officer,
            issued_at=latest.requested_at,
        )
    )


def _refusal(dossier: Dossier, common: dict):
    if dossier.status != Status.REFUSED:
        raise _unavailable(_("phiếu từ chối"))
    event = next((e for e in reversed(list(dossier.events.all())) if e.action == "refuse"), None)
    return forms_pdf.render_refusal(
        forms_pdf.RefusalData(
            **common,
            reason=event.note if event else "",
            officer_name=event.actor_label if event else "",
            issued_at=legal_time(dossier, event.at) if event else None,
        )
    )


def _apology(dossier: Dossier, common: dict):
    apology = getattr(dossier, "apology", None) if hasattr(dossier, "apology") else None
    if apology is None:
        raise _unavailable(_("phiếu xin lỗi và hẹn lại"))
    return forms_pdf.render_apology(
        forms_pdf.ApologyData(
            **common,
            received_at=dossier.received_at,
            due_at=apology.previous_due_at,
            reason=apology.reason,
            new_due_at=apology.new_due_at,
            issued_at=apology.issued_at,
            signer_name=apology.signed_by.display_name if apology.signed_by_id else "",
            signer_title=signer_title_lines(
                apology.signed_by.job_title if apology.signed_by_id else "", dossier.agency.name
            ),
        )
    )


_HAND_OVER_ACTIONS = ("accept", "start_processing", "step", "mark_processed", "deliver")


def _event_of(dossier: Dossier, action: str):
    return next((e for e in reversed(list(dossier.events.all())) if e.action == action), None)


def _handover_rows(dossier: Dossier, handovers: list) -> list:
    """Mẫu 05 rows from the process hand-overs (workflows `Handover`): who gave the dossier to whom, when, at which
    agency, and whether the giver's step ended early / on time / late; framed by the reception (applicant → one-stop
    officer) and the return of the result (one-stop officer → applicant)."""
    rows = []
    accepted = _event_of(dossier, "accept")
    if accepted is not None:
        rows.append(
            forms_pdf.HandOver(
                agency=dossier.agency.name,
                at=legal_time(dossier, accepted.at),
                giver=dossier.applicant_name,
                receiver=accepted.actor_label,
                note=_("Tiếp nhận hồ sơ"),
            )
        )
    for handover in handovers:
        agency = handover.to_agency or handover.from_agency
        giver = handover.from_user.display_name if handover.from_user_id else handover.from_agency.name
        if handover.to_user_id:
            receiver = handover.to_user.display_name
        elif handover.action == "deliver":
            receiver = _("Bộ phận Tiếp nhận và Trả kết quả")
        else:
            receiver = agency.name
        step = handover.to_step.name if handover.to_step_id else ""
        note = " – ".join(part for part in (step, handover.note) if part)
        rows.append(
            forms_pdf.HandOver(
                agency=agency.name,
                at=legal_time(dossier, handover.at),
                giver=giver,
                receiver=receiver,
                result=handover.timeliness,
                note=note,
            )
        )
    delivered = _event_of(dossier, "deliver")
    if delivered is not None:
        rows.append(
            forms_pdf.HandOver(
                agency=dossier.agency.name,
                at=legal_time(dossier, delivered.at),
                giver=delivered.actor_label,
                receiver=dossier.applicant_name,
                result=dossier.timeliness,
                note=_("Trả kết quả"),
            )
        )
    return rows


def _event_rows(dossier: Dossier) -> list:
    """Without an internal process: one row per hand-over event of the history (giver = the previous handler)."""
    rows, giver = [], dossier.applicant_name
    for event in dossier.events.all():
        if event.action not in _HAND_OVER_ACTIONS:
            continue
        at = legal_time(dossier, event.at)
        result = compute_timeliness(finished_at=at, due_at=dossier.due_at) if event.action != "accept" else ""
        rows.append(
            forms_pdf.HandOver(
                agency=dossier.agency.name,
                at=at,
                giver=giver,
                receiver=event.actor_label,
                result=result,
                note=event.note,
            )
        )
        giver = event.actor_label
    return rows


def _control_slip(dossier: Dossier, common: dict):
    """Mẫu 05 (TT 01/2018/TT-VPCP): every hand-over of the dossier, from the process hand-overs when it ran through
    an internal process (`dossier.handovers`), else from its history."""
    if dossier.accepted_at is None:
        raise _unavailable(_("phiếu kiểm soát quá trình giải quyết"))
    handovers = list(
        dossier.handovers.select_related("from_user", "to_user", "from_agency", "to_agency", "to_step").order_by(
            "at", "id"
        )
    )
    rows = _handover_rows(dossier, handovers) if handovers else _event_rows(dossier)
    handling = [dossier.agency.name]
    for run in dossier.process_runs.select_related("agency").order_by("started_at", "id"):
        if run.agency.name not in handling:
            handling.append(run.agency.name)
    coordinating = sorted(
        {
            h.to_agency.name
            for h in handovers
            if h.action == "consult" and h.to_agency_id and h.to_agency.name not in handling
        }
    )
    return forms_pdf.render_control_slip(
        forms_pdf.ControlSlipData(
            **common,
            receipt_number=dossier.code,
            issued_at=legal_time(dossier),
            handling_agency=", ".join(handling),
            coordinating_agencies=", ".join(coordinating),
            hand_overs=rows,
        )
    )


_RENDERERS = {
    "receipt": _receipt,
    "supplement-request": _supplement_request,
    "refusal": _refusal,
    "apology": _apology,
    "control-slip": _control_slip,
}


def render_dossier_form(dossier: Dossier, form: str, *, request=None) -> bytes:
    if form not in _RENDERERS or not dossier.code:
        raise NotFoundError("Không có biểu mẫu này.", code="form_not_found")
    return _RENDERERS[form](dossier, _common(dossier, request))

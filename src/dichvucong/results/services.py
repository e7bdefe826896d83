"""Writes of the results context: generating, signing, sealing and issuing the electronic result; its delivery.

The workflow engine calls these through `workflow_hooks.on_step_action` inside the step action's transaction, so
a failure (e.g. the leader has no certificate: the signing app's `no_signing_certificate`) rolls the whole step
action back: no result row, no number used, no file left referenced.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError
from dichvucong.common.sequences import next_value
from dichvucong.dossiers.dossier_deadlines import legal_date, legal_time
from dichvucong.dossiers.registry import LifecycleEvent, registry
from dichvucong.signing.selectors import agency_seal_certificate_for, officer_certificate_for
from dichvucong.signing.services import pdf_sign

from . import rendering
from .models import ElectronicResult, ResultStatus, result_path
from .selectors import template_for

LEADER_FIELD, SEAL_FIELD = "LanhDaoKy", "CoQuanDongDau"


def number_key(agency_id: int, year: int) -> str:
    """The gap-free series of result numbers of an issuing agency in a calendar year (Decree 30/2020 art. 15)."""
    return f"result-number/{agency_id}/{year}"


def _next_number(agency) -> str:
    """`<sequence>/<year>/KQ`: numbered per issuing agency and calendar year."""
    year = timezone.localdate().year
    return f"{next_value(number_key(agency.pk, year)):04d}/{year}/KQ"


def _template_text(procedure):
    template = template_for(procedure)
    if template is None:
        return None, rendering.DEFAULT_TEMPLATE
    return template, rendering.TemplateText(
        title=template.title, subtitle=template.subtitle, body=template.body, layout=template.layout
    )


def _store(result: ElectronicResult, pdf: bytes) -> None:
    """Write the new version of the file; the previous one is removed once the transaction has committed."""
    previous = result.file.name if result.file else ""
    result.file.name = default_storage.save(result_path(result, "ket-qua.pdf"), ContentFile(pdf))
    result.sha256, result.size = hashlib.sha256(pdf).hexdigest(), len(pdf)
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))


def _signature_entry(kind: str, *, actor, certificate, field: str, agency) -> dict:
    return {
        "kind": kind,
        "signer": certificate.common_name if certificate else actor.display_name,
        "username": actor.username,
        "agency": agency.code,
        "certificate_serial": certificate.serial if certificate else "",
        "field": field,
        "signed_at": timezone.localtime().isoformat(),
    }


def _summary(result: ElectronicResult) -> dict:
    return {
        "number": result.number,
        "status": result.status,
        "sha256": result.sha256,
        "signatures": [s["kind"] for s in result.signatures],
    }


def _locked(dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.select_for_update().filter(dossier=dossier).first()


@transaction.atomic
def result_sign_by_leader(*, actor, dossier, agency, seal_required: bool) -> ElectronicResult:
    """Generate the result from the procedure's template (or the default one) and sign it as the leader (PAdES).

    Signing again (after the dossier was returned to the leader) regenerates the document under the same number.
    """
    result = _locked(dossier)
    if result is not None and result.status == ResultStatus.ISSUED:
        raise ConflictError(_("Kết quả đã ban hành, không ký lại được."), code="result_already_issued")
    before = _summary(result) if result else None
    template, text = _template_text(dossier.procedure)
    number = result.number if result else _next_number(agency)
    issued_on = legal_date(dossier)  # never dated before the receipt of the dossier it answers (ADR 0011)
    content = rendering.content_for(dossier, text, number=number, issued_on=issued_on, agency=agency, signer=actor)
    signed = pdf_sign(
        actor=actor,
        pdf_bytes=rendering.render_result_pdf(content),
        signer=actor,
        reason=_("Phê duyệt kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code},
        location=rendering.place(agency),
        field_name=LEADER_FIELD,
    )
    result = result or ElectronicResult(dossier=dossier)
    result.template, result.number, result.title = template, number, content.title[:300]
    result.seal_required, result.status, result.issued_at = seal_required, ResultStatus.SIGNED_BY_LEADER, None
    result.signatures = [
        _signature_entry(
            "leader", actor=actor, certificate=officer_certificate_for(actor), field=LEADER_FIELD, agency=agency
        )
    ]
    _store(result, signed)
    result.save()
    audit_record(actor=actor, action="electronic_result.sign", obj=result, before=before, after=_summary(result))
    return result


@transaction.atomic
def result_seal(*, actor, dossier, agency) -> ElectronicResult:
    """The clerk (văn thư) adds the agency's seal signature as a second PAdES signature (Decree 30/2020 art. 33);
    the leader's signature stays valid (incremental update)."""
    result = _locked(dossier)
    if result is None or result.status != ResultStatus.SIGNED_BY_LEADER:
        raise ConflictError(_("Kết quả chưa được lãnh đạo ký, chưa thể đóng dấu."), code="result_not_signed")
    before = _summary(result)
    with result.file.open("rb") as handle:
        current = handle.read()
    sealed = pdf_sign(
        actor=actor,
        pdf_bytes=current,
        signer=actor,
        seal_of=agency,
        reason=_("Chữ ký số của cơ quan %(agency)s") % {"agency": agency.name},
        location=rendering.place(agency),
        field_name=SEAL_FIELD,
    )
    result.signatures = [
        *result.signatures,
        _signature_entry(
            "seal", actor=actor, certificate=agency_seal_certificate_for(agency), field=SEAL_FIELD, agency=agency
        ),
    ]
    result.status = ResultStatus.SEALED
    _store(result, sealed)
    result.save()
    audit_record(actor=actor, action="electronic_result.seal", obj=result, before=before, after=_summary(result))
    return result


@transaction.atomic
def result_issue(*, actor, dossier) -> ElectronicResult:
    """The process ended (`deliver`): the signed result is issued to the applicant (download, wallet)."""
    result = _locked(dossier)
    if result is None or result.status not in (ResultStatus.SIGNED_BY_LEADER, ResultStatus.SEALED):
        raise ConflictError(_("Kết quả chưa được ký, chưa thể ban hành."), code="result_not_signed")
    if result.seal_required and result.status != ResultStatus.SEALED:
        raise ConflictError(
            _("Quy trình yêu cầu văn thư đóng dấu (chữ ký số cơ quan) trước khi ban hành."), code="result_not_sealed"
        )
    before = _summary(result)
    result.status, result.issued_at = ResultStatus.ISSUED, legal_time(dossier)
    result.save(update_fields=["status", "issued_at", "updated_at"])
    audit_record(actor=actor, action="electronic_result.issue", obj=result, before=before, after=_summary(result))
    # Effects of the issued result (the applicant's wallet keeps it), in this transaction.
    registry.emit(LifecycleEvent("result.issued", dossier=dossier, actor=actor, data={"result": result}))
    return result

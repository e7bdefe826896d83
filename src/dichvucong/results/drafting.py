"""Results prepared, previewed, then signed (issue 18 item 2).

- `needed_fields(dossier)`: the fields of the result's template that no data source fills: `{{ form.<name> }}`
  placeholders the dossier's e-form does not carry (e.g. «Tình trạng án tích» of a criminal-record certificate,
  known only after the specialist's check). They are entered and validated at the processing step.
- `result_draft_save`: the specialist (or head, leader) of the handling agency records them (audited).
- `preview_pdf`: the exact document the leader will sign (number and signature aside), for the head and leader to
  read inline before they approve or sign.
- `check_ready_to_sign`: the leader's `sign` is refused while a needed field is empty (`result_draft_incomplete`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.selectors import user_has_any_role
from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ConflictError, PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.registry import registry
from dichvucong.dossiers.state_machine import HANDLERS, Status

from . import rendering
from .models import ResultDraft
from .selectors import template_for

MAX_LENGTH = 1000
PREVIEW_NUMBER = "……/…/KQ"


def template_text(procedure) -> rendering.TemplateText:
    template = template_for(procedure)
    if template is None:
        return rendering.DEFAULT_TEMPLATE
    return rendering.TemplateText(
        title=template.title, subtitle=template.subtitle, body=template.body, layout=template.layout
    )


def needed_fields(dossier) -> list[dict]:
    """[{"name", "label", "value"}] of the template's `form.<name>` fields that are not fields of the e-form (an
    optional e-form field the applicant left empty stays empty: the father's name may be unknown), with the value
    drafted so far ("" when none)."""
    text = template_text(dossier.procedure)
    labels = {item.get("name"): item.get("label") or item.get("name") for item in dossier.procedure.form_schema or []}
    filled = {k for k, v in (dossier.form_data or {}).items() if str(v if v is not None else "").strip()}
    drafted = ResultDraft.values_for(dossier)
    names = []
    for part in (text.title, text.subtitle, text.body):
        for match in rendering.PLACEHOLDER.finditer(part or ""):
            name = match.group(1)
            if name.startswith("form.") and name[5:] not in labels and name[5:] not in filled and name[5:] not in names:
                names.append(name[5:])
    return [{"name": name, "label": _label_from(name, text.body), "value": drafted.get(name, "")} for name in names]


def _label_from(name: str, body: str) -> str:
    """The words before the placeholder on its line ("5. Tình trạng án tích: {{ form.x }}" → "Tình trạng án
    tích"), else the field's name."""
    for line in (body or "").splitlines():
        if f"form.{name}" in line:
            before = line.split("{{")[0].strip().rstrip(":").strip()
            before = before.split(". ", 1)[1] if before[:1].isdigit() and ". " in before else before
            if before:
                return before
    return name.replace("_", " ")


def missing(dossier) -> list[str]:
    return [field["label"] for field in needed_fields(dossier) if not str(field["value"]).strip()]


def may_draft(user, dossier) -> bool:
    """The handling officers: specialist, head, leader of the agency handling the dossier (or receiving it)."""
    ids = {dossier.agency_id} | set(registry.engine.involved_agency_ids(dossier, handling=True))
    return any(user_has_any_role(user, HANDLERS, agency=agency) for agency in Agency.objects.filter(pk__in=ids))


@transaction.atomic
def result_draft_save(*, actor, dossier, values: dict) -> ResultDraft:
    if not may_draft(actor, dossier):
        raise PermissionDeniedError(_("Bạn không xử lý hồ sơ này."), code="permission_denied")
    if dossier.status != Status.PROCESSING:
        raise ConflictError(_("Chỉ dự thảo kết quả khi hồ sơ đang xử lý."), code="invalid_transition")
    fields = needed_fields(dossier)
    cleaned, errors = {}, {}
    for field in fields:
        value = str(values.get(field["name"], "") or "").replace("\x00", "").strip()
        if not value:
            errors[field["name"]] = [_("Cần nhập «%(label)s».") % {"label": field["label"]}]
        elif len(value) > MAX_LENGTH:
            errors[field["name"]] = [_("Tối đa %(n)s ký tự.") % {"n": MAX_LENGTH}]
        cleaned[field["name"]] = value
    if errors:
        raise ValidationFailed(
            _("Dự thảo kết quả còn thiếu hoặc sai các mục được đánh dấu."), code="result_draft_invalid", fields=errors
        )
    draft = ResultDraft.objects.select_for_update().filter(dossier=dossier).first() or ResultDraft(dossier=dossier)
    before = dict(draft.values) if draft.pk else None
    draft.values, draft.drafted_by = {**draft.values, **cleaned}, actor
    draft.save()
    audit_record(actor=actor, action="result_draft.save", obj=dossier, before=before, after=draft.values)
    return draft


def preview_pdf(dossier, *, agency=None) -> bytes:
    """The result as it will be signed: same template, same data, today's date; the number comes at signing."""
    content = rendering.content_for(
        dossier, template_text(dossier.procedure), number=PREVIEW_NUMBER, issued_on=timezone.localdate(), agency=agency
    )
    return rendering.render_result_pdf(content)


def check_ready_to_sign(dossier) -> None:
    labels = missing(dossier)
    if labels:
        raise ValidationFailed(
            _("Chưa ký được: kết quả còn thiếu %(fields)s (chuyên viên nhập ở bước xử lý).")
            % {"fields": ", ".join(f"«{label}»" for label in labels)},
            code="result_draft_incomplete",
        )

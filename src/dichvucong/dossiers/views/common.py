"""Form helpers shared by the citizens' and the officers' dossier pages (the dossiers web layer only).

`perform_from_form` is the HTML dispatch of an action button (the owner's and the officer's dossier page)."""

import datetime
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.contrib import messages
from django.utils.translation import gettext as _

from dichvucong.agencies.selectors import agency_list, agency_select_groups
from dichvucong.common.errors import DomainError
from dichvucong.common.money import group_thousands

from ..actions import action_label, dossier_perform_action, process_running
from ..forms import ActionForm, matches_slot
from ..models import Dossier
from ..registry import registry
from ..uploads import upload_create

#: How many of the citizen's wallet items the wizard offers (most recent first).
WALLET_CHOICES = 100


class FilesRejected(DomainError):
    """Some files of the form were refused; the reasons are already on their fields."""


def store_files(request, form, documents) -> list[dict]:
    """Upload the files of the wizard (content checked); return attachment references for the dossier."""
    refs, rejected = [], False
    for doc in documents:
        file = request.FILES.get(f"doc_{doc.pk}")
        if not file:
            continue
        try:
            upload = upload_create(actor=request.user, file=file)
        except DomainError as exc:
            form.add_error(f"doc_{doc.pk}", exc.detail)
            rejected = True
        else:
            refs.append({"upload": str(upload.uuid), "document": doc.pk})
    if rejected:
        raise FilesRejected("files_rejected")
    return refs


def wallet_choices(user) -> list:
    """The citizen's own wallet items offered in the wizard, from the `wallet_item` attachment source of the
    registry (none when no context provides it)."""
    return registry.attachment_choices("wallet_item", user)[:WALLET_CHOICES]


def show_error(request, form, exc: DomainError) -> None:
    if isinstance(exc, FilesRejected):
        return
    for field, errors in (exc.fields or {}).items():
        name = field.split(".")[-1]
        target = name if name in form.fields else (f"f_{name}" if f"f_{name}" in form.fields else None)
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(target, str(error))
    form.add_error(None, exc.detail)


def initial_applicant(user) -> dict:
    return {
        "full_name": user.full_name or user.display_name,
        "id_number": user.id_number or "",
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
    }


def form_rows(dossier: Dossier) -> list[tuple[str, object]]:
    """The e-form for people: dates dd/mm/yyyy, numbers 1.234,5, ticks Có/Không."""
    schema = {item["name"]: item for item in dossier.procedure.form_schema or []}
    return [
        (schema.get(key, {}).get("label", key), shown_value(schema.get(key, {}).get("type"), value))
        for key, value in dossier.form_data.items()
    ]


def shown_value(kind: str | None, value) -> str:
    if isinstance(value, bool) or kind == "checkbox":
        return _("Có") if value in (True, "True", "true", "1", "on") else _("Không")
    if kind == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if kind == "number":
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
        whole, _sep, fraction = format(number.normalize(), "f").partition(".")
        sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        return f"{sign}{group_thousands(int(digits))}" + (f",{fraction}" if fraction else "")
    return str(value)


def dossier_fees(dossier: Dossier) -> list:
    return list(dossier.procedure.fees.order_by("order", "id"))


#: Actions that end the dossier or cannot be undone: secondary buttons that ask for a confirmation.
DESTRUCTIVE = ("refuse", "withdraw", "stop")
#: The safe next step, in order of preference: the primary button of the page.
PRIMARY = ("accept", "supplement", "start_processing", "forward", "approve", "mark_processed", "sign", "deliver", "pay")
#: Step actions that move the dossier to another officer (the picker of the next step's officers).
MOVING = ("forward", "approve", "sign", "return")


def consequence(name: str, dossier: Dossier) -> str:
    """What follows a destructive action, in words the person deciding reads before confirming."""
    applicant = dossier.applicant_name or _("người nộp")
    if name == "refuse":
        return _(
            "Hồ sơ kết thúc ở trạng thái «Từ chối». Phiếu từ chối tiếp nhận, giải quyết hồ sơ (Mẫu 03) được lập với "
            "lý do bạn nhập; %(applicant)s thấy phiếu và lý do trên trang hồ sơ và khi tra cứu. Không thể hoàn tác."
        ) % {"applicant": applicant}
    if name == "withdraw":
        return _(
            "Hồ sơ dừng giải quyết ngay và không thể tiếp tục; muốn giải quyết lại phải nộp hồ sơ mới. %(agency)s "
            "thấy việc rút hồ sơ và lý do trên hồ sơ. Không thể hoàn tác."
        ) % {"agency": dossier.agency.name}
    return _(
        "Hồ sơ dừng xử lý (trạng thái «Dừng xử lý»), quy trình nội bộ kết thúc; %(applicant)s thấy lý do trên trang "
        "hồ sơ và khi tra cứu. Không thể hoàn tác."
    ) % {"applicant": applicant}


def arranged_actions(actions, dossier: Dossier) -> list[dict]:
    """The action buttons as people should meet them: the safe next step first (primary), the other ones
    (secondary), then the destructive ones (refuse, withdraw, stop), each with what follows and a confirmation."""
    primary = next((a for name in PRIMARY for a in actions if a.name == name), None)
    result = []
    for action in actions:
        tone = "primary" if action is primary else ("danger" if action.name in DESTRUCTIVE else "secondary")
        entry = {
            "action": action,
            "tone": tone,
            "consequence": consequence(action.name, dossier) if tone == "danger" else "",
        }
        if action.step and action.name in MOVING:
            entry["pick_receiver"] = True
            entry["receivers"] = registry.engine.step_receivers(dossier, action.name)
        if action.name == "supplement":
            entry["items"] = open_supplement_items(dossier)
        if action.name in ("consult", "transfer"):
            entry["agency_groups"] = agency_choices(exclude=dossier.agency_id)
        result.append(entry)
    order = {"primary": 0, "secondary": 1, "danger": 2}
    return sorted(result, key=lambda entry: order[entry["tone"]])


def open_supplement_items(dossier: Dossier) -> list[str]:
    """The items of the dossier's open supplement request (one upload box each on the supplement form)."""
    request = next((r for r in dossier.supplement_requests.all() if r.supplemented_at is None), None)
    return [str(item) for item in request.items] if request is not None else []


def supplement_uploads(request, dossier: Dossier) -> tuple[list, list[str]]:
    """The files sent for each requested item (`item_file_<n>`): attachment entries (tied to the catalogue
    document the item names, when one fits) and the lines saying which file answers which item."""
    documents = list(dossier.procedure.required_documents.all())
    refs, lines = [], []
    for index, item in enumerate(open_supplement_items(dossier)):
        file = request.FILES.get(f"item_file_{index}")
        if not file:
            continue
        upload = upload_create(actor=request.user, file=file)
        document = next((doc for doc in documents if matches_slot(SimpleNamespace(title=item), doc)), None)
        refs.append({"upload": str(upload.uuid), "document": document.pk} if document else str(upload.uuid))
        lines.append(_("«%(item)s»: %(file)s") % {"item": item, "file": upload.original_name})
    return refs, lines


def agency_choices(*, exclude=None) -> list[dict]:
    """Active agencies for the consult / transfer pickers, grouped as in every agency list."""
    return agency_select_groups([a for a in agency_list() if a.pk != exclude])


def perform_from_form(request, dossier: Dossier) -> Dossier | None:
    """POST of an action button (officer or owner): the same service as the API; errors shown as messages."""
    requesting_payment = request.POST.get("action") == "request_payment"
    form = ActionForm(request.POST, request.FILES, fees=dossier_fees(dossier) if requesting_payment else ())
    if not form.is_valid():
        messages.error(request, _("Dữ liệu không hợp lệ."))
        return None
    values = form.cleaned_data
    if values["action"] in DESTRUCTIVE and not values.get("confirm"):
        messages.error(
            request,
            _("Chưa thực hiện «%(action)s»: hãy đánh dấu ô xác nhận sau khi đọc điều gì sẽ xảy ra.")
            % {"action": action_label(values["action"])},
        )
        return None
    data = {
        "note": values["note"],
        "reason": values["note"],
        "new_due_date": values["new_due_date"],
        "items": [line for line in (values["items"] or "").splitlines() if line.strip()],
        **form.step_data(),
    }
    if requesting_payment:
        data.update(form.fee_data())
    # A step action of the internal process (e.g. the clerk's `deliver`: back to the one-stop desk) is named as the
    # step names it, not as the dossier transition of the same name (`deliver`: the result returned).
    label = action_label(values["action"], step=process_running(dossier))
    try:
        if values["action"] == "supplement":
            refs, lines = supplement_uploads(request, dossier)
            data["attachments"] = refs
            if lines:
                data["note"] = "\n".join([_("Đã bổ sung:"), *lines, values["note"]]).strip()
        if values.get("file"):
            data.setdefault("attachments", [])
            data["attachments"].append(str(upload_create(actor=request.user, file=values["file"]).uuid))
        dossier = dossier_perform_action(actor=request.user, dossier=dossier, action=values["action"], data=data)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return None
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": label})
    return dossier

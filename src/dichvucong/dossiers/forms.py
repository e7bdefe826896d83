"""HTML forms of the dossier pages: the e-form built from a procedure's `form_schema`, applicant, documents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.identity import parse_citizen_id
from dichvucong.catalog.models import FeeKind
from dichvucong.common.errors import ValidationFailed
from dichvucong.common.search import fold_words

from .file_types import ALLOWED_EXTENSIONS
from .state_machine import Channel, Status

ACCEPT = ",".join(ALLOWED_EXTENSIONS)


def eform_fields(schema: list, *, strict: bool) -> dict[str, forms.Field]:
    """Django fields for the procedure's e-form (text, textarea, date, number, select, checkbox)."""
    fields = {}
    for item in schema or []:
        required = bool(item.get("required")) and strict
        label, kind = item.get("label") or item["name"], item.get("type")
        if item.get("required"):
            label = f"{label} *"  # marked in every mode; checked when `strict`
        if kind == "textarea":
            field = forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))
        elif kind == "date":
            field = forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))
        elif kind == "number":
            field = forms.DecimalField(label=label, required=required)
        elif kind == "select":
            choices = [("", "—")] + [(str(c), str(c)) for c in item.get("choices") or []]
            field = forms.ChoiceField(label=label, required=required, choices=choices)
        elif kind == "checkbox":
            field = forms.BooleanField(label=label, required=required)
        else:
            field = forms.CharField(label=label, required=required, max_length=500)
        fields[f"f_{item['name']}"] = field
    return fields


def _slot_words(text: str) -> list[str]:
    return [word for word in fold_words(text) if word not in SLOT_NOISE]


def matches_slot(item, doc) -> bool:
    """A wallet item fits a document slot when, folded and without the words that say nothing about which paper it
    is (bản sao, có chứng thực...), one name contains the other ("Giấy khai sinh" fits "Bản sao Giấy khai sinh")
    or they share most of their words; other items are not suggested for that slot."""
    title, name = _slot_words(item.title), _slot_words(doc.name)
    if not title or not name:
        return False
    short, long = sorted((" ".join(title), " ".join(name)), key=len)
    if f" {short} " in f" {long} ":
        return True
    common, every = set(title) & set(name), set(title) | set(name)
    return len(common) / len(every) >= 0.6


#: Words that say nothing about which paper a document is.
SLOT_NOISE = {"ban", "sao", "chinh", "co", "cua", "va", "hoac", "thuc", "hop", "le"}


def wallet_choice_field(doc, items) -> forms.ChoiceField:
    """A choice among the citizen's own wallet items that fit this document slot (`matches_slot`); anyone else's
    item is not a choice (refused by the form, and by the wallet's attachment source behind it)."""
    ordered = [item for item in items or () if matches_slot(item, doc)]
    choices = [("", _("— Không dùng —"))] + [(str(item.uuid), wallet_item_label(item)) for item in ordered]
    return forms.ChoiceField(
        label=_("Hoặc dùng giấy tờ trong kho dữ liệu của tôi"),
        required=False,
        choices=choices,
        error_messages={"invalid_choice": _("Không tìm thấy giấy tờ trong kho dữ liệu của bạn.")},
    )


def wallet_item_label(item) -> str:
    source = f", {item.source_code}" if item.source_code else ""
    return f"{item.title} ({item.original_name}{source})"


class ApplicantForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200)
    id_number = forms.CharField(
        label=_("Số CCCD"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)


class DossierForm(ApplicantForm):
    """Applicant + e-form + one file per required document (online) or a checklist (counter).

    `wallet_items` (the citizen's wizard only, a list, possibly empty): each required document is its own group
    (upload, or one of the citizen's own wallet items instead, NĐ 45/2020 art. 11), see `document_groups`."""

    def __init__(self, *args, procedure, documents, strict=False, counter=False, wallet_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure, self.documents, self.counter = procedure, documents, counter
        self.grouped = wallet_items is not None and not counter
        self.has_wallet_items = bool(wallet_items)
        self.fields.update(eform_fields(procedure.form_schema, strict=strict))
        for doc in documents:
            label = f"{doc.name}{' *' if doc.mandatory else ''}"
            if counter:
                self.fields[f"received_{doc.pk}"] = forms.BooleanField(label=label, required=False)
                label = _("Bản quét: %(name)s") % {"name": doc.name}
            elif self.grouped:
                label = _("Tải tệp lên")
            self.fields[f"doc_{doc.pk}"] = forms.FileField(
                label=label, required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
            )
            if self.grouped:  # also without items: a posted item is then refused, not ignored
                self.fields[f"wallet_{doc.pk}"] = wallet_choice_field(doc, wallet_items)
        if counter:
            self.fields["sets_count"] = forms.IntegerField(
                label=_("Số bộ hồ sơ"), min_value=1, max_value=20, initial=1, required=False
            )
            self.fields["accept"] = forms.BooleanField(
                label=_("Tiếp nhận ngay (hồ sơ đã đầy đủ, hợp lệ)"), required=False, initial=True
            )

    def clean(self):
        cleaned = super().clean()
        for doc in self.documents:
            if cleaned.get(f"wallet_{doc.pk}") and cleaned.get(f"doc_{doc.pk}"):
                self.add_error(
                    f"wallet_{doc.pk}", _("Chọn một trong hai: tải tệp lên hoặc dùng giấy tờ trong kho dữ liệu.")
                )
        return cleaned

    def document_groups(self):
        """(required document, its upload field, its wallet choice or None): one fieldset each in the wizard."""
        groups = []
        for doc in self.documents:
            wallet = self[f"wallet_{doc.pk}"] if self.grouped else None
            fits = wallet is not None and len(wallet.field.choices) > 1
            groups.append((doc, self[f"doc_{doc.pk}"], wallet if wallet and (fits or wallet.errors) else None))
        return groups

    def wallet_refs(self) -> list[dict]:
        """The wallet items chosen, as the attachment entries of the submission (`{"wallet_item", "document"}`)."""
        return [
            {"wallet_item": self.cleaned_data[f"wallet_{doc.pk}"], "document": doc.pk}
            for doc in self.documents
            if self.cleaned_data.get(f"wallet_{doc.pk}")
        ]

    def eform_field_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("f_")]

    def file_fields(self):
        return [self[f"doc_{doc.pk}"] for doc in self.documents]

    def applicant_fields(self):
        return [self[name] for name in ApplicantForm.base_fields]

    def eform_bound_fields(self):
        return [self[name] for name in self.eform_field_names()]

    def received_fields(self):
        return [self[f"received_{doc.pk}"] for doc in self.documents] if self.counter else []

    def form_data(self) -> dict:
        data = {}
        for name in self.eform_field_names():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            data[name[2:]] = (
                value.isoformat() if hasattr(value, "isoformat") else (value if isinstance(value, bool) else str(value))
            )
        return data

    def applicant(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in ApplicantForm.base_fields}


class AssistedLookupForm(forms.Form):
    """Step 1 of the assisted online submission: whose account, which procedure, which agency receives it."""

    id_number = forms.CharField(
        label=_("Số CCCD của công dân (tài khoản)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    procedure = forms.ChoiceField(
        label=_("Thủ tục"),
        widget=forms.Select(attrs={"data-picker": "", "data-picker-label": _("Tìm thủ tục theo tên hoặc mã")}),
    )
    agency = forms.ChoiceField(label=_("Cơ quan tiếp nhận"), required=False)
    agency_code = forms.ChoiceField(
        label=_("Hoặc cơ quan khác"),
        required=False,
        widget=forms.Select(attrs={"data-picker": "", "data-picker-label": _("Tìm cơ quan theo tên hoặc mã")}),
    )

    def __init__(self, *args, agencies, procedures=(), other_agencies=(), **kwargs):
        """`procedures`: (code, name) of the procedures one may submit online; `other_agencies`: (code, name) of
        every active agency: pickers, never codes typed from memory."""
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        self.fields["procedure"].choices = [("", _("— Chọn thủ tục —"))] + [
            (code, f"{code} – {name}") for code, name in procedures
        ]
        self.fields["agency_code"].choices = [("", _("— Không —"))] + [(code, name) for code, name in other_agencies]


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    channel = forms.ChoiceField(label=_("Hình thức nộp"), required=False, choices=[("", _("Tất cả")), *Channel.choices])
    procedure = forms.CharField(
        label=_("Thủ tục"),
        required=False,
        max_length=40,
        widget=forms.Select(attrs={"data-picker": "", "data-picker-label": _("Tìm thủ tục theo tên hoặc mã")}),
    )
    q = forms.CharField(label=_("Mã hồ sơ, tên hoặc CCCD"), required=False)
    due_soon = forms.BooleanField(label=_("Sắp đến hạn"), required=False)
    overdue = forms.BooleanField(label=_("Quá hạn"), required=False)

    def __init__(self, *args, procedures=(), **kwargs):
        """`procedures`: (code, name) to pick from (`selectors.list_filter_procedures`) — the searchable picker of the
        counter (names and codes folded by site.js; a plain list without scripts), never a code typed from memory. A
        code given in the address but not in the list stays selected (a bookmarked filter still reads as set)."""
        super().__init__(*args, **kwargs)
        choices = [("", _("Tất cả thủ tục"))] + [(code, f"{code} – {name}") for code, name in procedures]
        current = (self.data.get("procedure") or "").strip() if self.is_bound else ""
        if current and current not in {code for code, _name in procedures}:
            choices.append((current, current))
        self.fields["procedure"].widget.choices = choices


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    id_number = forms.CharField(
        label=_("Số CCCD của người nộp"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_id_number(self) -> str:
        """The structure of a CCCD (accounts.identity): a malformed number is a form error, not "not found"."""
        try:
            return parse_citizen_id(self.cleaned_data["id_number"]).number
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.detail, code="invalid_id_number") from None


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú / lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.CharField(
        label=_("Nội dung cần bổ sung (mỗi dòng một mục)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_due_date = forms.DateField(
        label=_("Ngày hẹn trả mới"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("Giấy tờ bổ sung"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    # Process step actions: consult / transfer (another agency), the next handler, the consultation's time.
    agency = forms.CharField(label=_("Mã cơ quan"), required=False, max_length=40)
    question = forms.CharField(label=_("Nội dung xin ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.DecimalField(label=_("Thời hạn (ngày làm việc)"), required=False, max_digits=5, decimal_places=2)
    assignee = forms.CharField(label=_("Người nhận (tên đăng nhập)"), required=False, max_length=150)
    to_step = forms.CharField(label=_("Bước đến"), required=False, max_length=60)
    # Fees collected at the desk (`pay` by a one-stop officer): cash, card at the POS terminal, bank transfer.
    method = forms.ChoiceField(
        label=_("Hình thức thu"),
        required=False,
        choices=[("cash", _("Tiền mặt")), ("pos", _("Thẻ qua máy POS")), ("transfer", _("Chuyển khoản"))],
    )
    reference = forms.CharField(label=_("Số chuẩn chi POS / số tham chiếu chuyển khoản"), required=False, max_length=64)

    confirm = forms.BooleanField(label=_("Tôi đã đọc và xác nhận"), required=False)

    STEP_FIELDS = ("agency", "question", "days", "assignee", "to_step", "method", "reference")

    def __init__(self, *args, fees=(), **kwargs):
        """`fees`: the procedure's fee rules, for the `request_payment` action (pages/copies and exemptions)."""
        super().__init__(*args, **kwargs)
        self.fees = list(fees)
        for fee in self.fees:
            if fee.kind != FeeKind.FIXED:
                self.fields[f"quantity_{fee.pk}"] = forms.IntegerField(
                    label=_("Số trang") if fee.kind == FeeKind.PER_PAGE else _("Số bản"),
                    required=False,
                    min_value=1,
                    max_value=100_000,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            self.fields[f"exemption_{fee.pk}"] = forms.CharField(
                label=_("Lý do miễn (để trống nếu không miễn)"), required=False, max_length=500
            )

    def step_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.STEP_FIELDS if self.cleaned_data.get(name) not in (None, "")
        }

    def fee_groups(self) -> list[tuple]:
        """(fee rule, its fields) for the `request_payment` panel: one fieldset per fee."""
        return [
            (fee, [self[name] for name in (f"quantity_{fee.pk}", f"exemption_{fee.pk}") if name in self.fields])
            for fee in self.fees
        ]

    def fee_data(self) -> dict:
        """`{"quantities": {fee id: n}, "exemptions": {fee id: reason}}` as the payments API takes them; an empty
        quantity means the default (the number of sets), an empty reason no exemption."""
        quantities, exemptions = {}, {}
        for fee in self.fees:
            if self.cleaned_data.get(f"quantity_{fee.pk}"):
                quantities[str(fee.pk)] = self.cleaned_data[f"quantity_{fee.pk}"]
            reason = (self.cleaned_data.get(f"exemption_{fee.pk}") or "").strip()
            if reason:
                exemptions[str(fee.pk)] = reason
        return {"quantities": quantities, "exemptions": exemptions}

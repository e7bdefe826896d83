from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        required=True,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf", "aria-describedby": "file-help"}),
        error_messages={"required": _("Hãy chọn tệp PDF cần kiểm tra.")},
    )

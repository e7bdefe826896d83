from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from dichvucong.common.errors import DomainError

from .authentication import authenticate_with_throttle
from .roles import AGENCY_ROLES, Role
from .services import user_password_set


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, authenticating through the shared throttle."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_with_throttle(self.request, username=username, password=password)
            except DomainError as exc:
                raise forms.ValidationError(exc.detail, code=exc.code) from exc
        return self.cleaned_data


class RegistrationForm(forms.Form):
    """Self-registration of a citizen (CCCD) or a business (tax code); the services check the rest."""

    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    email = forms.EmailField(label=_("Thư điện tử"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    password1 = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


class CitizenRegistrationForm(RegistrationForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    id_number = forms.CharField(label=_("Số CCCD"), max_length=12, min_length=12)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)

    field_order = ["full_name", "id_number", "username", "email", "phone", "address", "password1", "password2"]


class BusinessRegistrationForm(RegistrationForm):
    organisation_name = forms.CharField(label=_("Tên tổ chức, doanh nghiệp"), max_length=300)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14)
    full_name = forms.CharField(label=_("Người đại diện"), max_length=200)
    address = forms.CharField(label=_("Địa chỉ trụ sở"), max_length=300, required=False)

    field_order = [
        "organisation_name",
        "tax_code",
        "full_name",
        "username",
        "email",
        "phone",
        "address",
        "password1",
        "password2",
    ]


class ProfileForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)


class OfficerForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan"))
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử (nhận liên kết đặt mật khẩu)"))
    job_title = forms.CharField(label=_("Chức danh"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(label=_("Vai trò"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, f"{a.code} – {a.name}") for a in agencies]
        self.fields["roles"].choices = [(r.value, r.label) for r in Role if r in AGENCY_ROLES]


class AuditedSetPasswordForm(SetPasswordForm):
    """Django's "set a new password" form (reset link, officer's first password), saving through the service:
    audit row, and every session of the account ends."""

    def save(self, commit=True):
        return user_password_set(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], reason="reset"
        )

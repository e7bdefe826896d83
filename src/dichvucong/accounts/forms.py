from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from dichvucong.common.errors import DomainError

from .authentication import authenticate_with_throttle


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

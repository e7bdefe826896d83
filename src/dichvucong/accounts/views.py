from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dichvucong.common.errors import DomainError
from dichvucong.common.throttling import page_throttle_wait

from .decorators import staff_required
from .forms import (
    AuditedSetPasswordForm,
    BusinessRegistrationForm,
    CitizenRegistrationForm,
    OfficerForm,
    ProfileForm,
    ThrottledAuthenticationForm,
)
from .mail import send_officer_welcome_email, send_verification_email
from .models import ApiToken, UserKind
from .selectors import user_api_tokens, user_roles_by_agency
from .services import (
    api_token_revoke,
    officer_admin_agencies,
    officer_create,
    user_profile_update,
    user_register_business,
    user_register_citizen,
    user_sessions_end,
    user_verify_email,
)
from .throttling import AccountMailThrottle

#: Session key under which a single sign-on login (identity app) leaves the provider's end-session URL, so that
#: logging out here logs out at the provider too (OpenID Connect RP-initiated logout).
SSO_LOGOUT_URL_SESSION_KEY = "sso_logout_url"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(sso_enabled=settings.OIDC_ENABLED, **kwargs)


class LogoutView(View):
    """POST only. Ends every session of the user (all devices) and, after a single sign-on, the provider's session
    too (redirect to its end-session endpoint, which sends the browser back to the portal)."""

    http_method_names = ["post"]

    def post(self, request):
        target = resolve_url(settings.LOGOUT_REDIRECT_URL)
        if request.user.is_authenticated:
            sso_logout = request.session.get(SSO_LOGOUT_URL_SESSION_KEY)
            user_sessions_end(actor=request.user, user=request.user, reason="logout")
            auth.logout(request)
            if sso_logout and url_has_allowed_host_and_scheme(
                sso_logout, allowed_hosts=set(settings.OIDC_TRUSTED_LOGOUT_HOSTS), require_https=False
            ):
                target = sso_logout
        return redirect(target)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _apply_error(form, exc: DomainError) -> None:
    placed = False
    for field, messages_ in (exc.fields or {}).items():
        target = {"password": "password1"}.get(field, field)
        if target in form.fields:
            for message in messages_ if isinstance(messages_, list) else [messages_]:
                form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


def _mail_allowed(request, form) -> bool:
    wait = page_throttle_wait(request, AccountMailThrottle)
    if wait is None:
        return True
    form.add_error(
        None, _("Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau %(seconds)s giây.") % {"seconds": wait}
    )
    return False


@require_http_methods(["GET", "POST"])
def register(request, kind: str = UserKind.CITIZEN):
    """Self-registration of a citizen (by CCCD) or a business (by tax code): the account is inactive until the
    e-mailed link is followed."""
    form_class = BusinessRegistrationForm if kind == UserKind.BUSINESS else CitizenRegistrationForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid() and _mail_allowed(request, form):
        data = form.cleaned_data
        common = {
            "username": data["username"],
            "password": data["password1"],
            "full_name": data["full_name"],
            "phone": data.get("phone", ""),
            "email": data["email"],
            "address": data.get("address", ""),
            "pending_verification": True,
        }
        try:
            if kind == UserKind.BUSINESS:
                user = user_register_business(
                    organisation_name=data["organisation_name"], tax_code=data["tax_code"], **common
                )
            else:
                user = user_register_citizen(id_number=data["id_number"], **common)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            send_verification_email(user, base_url=_base_url(request))
            return redirect("accounts:registered")
    return render(request, "accounts/register.html", {"form": form, "kind": kind})


@require_GET
def registered(request):
    return render(request, "accounts/registered.html")


@require_http_methods(["GET", "POST"])
def verify_email(request, token: str):
    """GET asks to confirm (a GET never writes: mail scanners open links), POST activates the account."""
    if request.method == "POST":
        try:
            user = user_verify_email(token=token)
        except DomainError as exc:
            return render(request, "accounts/verify_email.html", {"error": exc.detail}, status=400)
        return render(request, "accounts/verify_email.html", {"verified": user})
    return render(request, "accounts/verify_email.html", {})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        if not _mail_allowed(self.request, form):
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = AuditedSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The account's own page: identity, contact details (editable), API tokens (revocable), links to the account's
    dossiers and wallet."""
    user = request.user
    form = ProfileForm(request.POST or None, initial={"phone": user.phone, "address": user.address})
    if request.method == "POST" and form.is_valid():
        user_profile_update(actor=user, user=user, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật thông tin liên hệ."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": user_api_tokens(user), "roles": user_roles_by_agency(user)},
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    token = ApiToken.objects.filter(uuid=token_id, user=request.user).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập %(prefix)s…") % {"prefix": token.prefix})
    return redirect("accounts:profile")


@staff_required
@require_http_methods(["GET", "POST"])
def officer_create_page(request):
    """An agency administrator creates an officer of their agency (province administrator: any agency)."""
    agencies = officer_admin_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    form = OfficerForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = next(a for a in agencies if a.code == data["agency"])
        try:
            officer = officer_create(
                actor=request.user,
                agency=agency,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                job_title=data["job_title"],
                roles=data["roles"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            send_officer_welcome_email(officer, base_url=_base_url(request), agency_name=agency.name)
            messages.success(
                request, _("Đã tạo tài khoản cán bộ %(name)s; thư đặt mật khẩu đã được gửi.") % {"name": officer}
            )
            return redirect("accounts:officer-create")
    return render(request, "accounts/officer_create.html", {"form": form})

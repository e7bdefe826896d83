"""E-mails of the account lifecycle: verification after self-registration, an officer's first password.

The password reset e-mail is Django's (PasswordResetForm) with our templates (accounts/email/password_reset_*.txt).
Links are absolute: the caller (a view) passes the site's base URL as the browser saw it.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User
from .services import email_verification_token


def _send(user: User, template: str, context: dict) -> None:
    context = {"user": user, "province": settings.PROVINCE_NAME, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_verification_email(user: User, *, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("accounts:verify-email", args=[email_verification_token(user)])
    _send(user, "verify", {"link": link, "hours": settings.ACCOUNT_VERIFICATION_MAX_AGE_HOURS})


def send_officer_welcome_email(user: User, *, base_url: str, agency_name: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url.rstrip("/") + reverse("accounts:password-reset-confirm", args=[uid, token])
    _send(user, "officer_welcome", {"link": link, "agency_name": agency_name})

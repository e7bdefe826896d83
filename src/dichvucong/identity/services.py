"""Identity writes: sign-in through the national identity provider (find, link or create the account) and the
provider's back-channel logout. One audit row per change."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dichvucong.accounts.identity import parse_citizen_id, validate_tax_code
from dichvucong.accounts.models import User, UserKind
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies
from dichvucong.accounts.services import user_register_from_identity, user_sessions_end
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import PermissionDeniedError, ValidationFailed

from .errors import IdentityError
from .models import ExternalIdentity, RegistryChannel, RegistryConsent
from .registry import REGISTRY_FIELDS, PopulationRegistryClient, ResidentRecord

#: What the consent row keeps of the answer: only what the officer compares with the typed data.
SNAPSHOT_FIELDS = ("full_name", "birthdate", "permanent_address", "current_address")


def identity_from_claims(claims: dict) -> tuple[str, str]:
    """(kind, identifier) vouched for by the provider: a business by its tax code, a citizen by their CCCD, both
    checked by structure. Raises IdentityError(claims_missing | invalid_id_number | invalid_tax_code)."""
    try:
        if claims.get("tax_code"):
            return UserKind.BUSINESS, validate_tax_code(str(claims["tax_code"]))
        if claims.get("citizen_id"):
            return UserKind.CITIZEN, parse_citizen_id(str(claims["citizen_id"])).number
    except ValidationFailed as exc:
        raise IdentityError(exc.detail, code=exc.code) from exc
    raise IdentityError(
        _("Nhà cung cấp định danh không trả về số CCCD hoặc mã số thuế: không thể xác định tài khoản."),
        code="claims_missing",
    )


def _take_over_if_unproven(user: User, claims: dict) -> bool:
    """Nothing but a typed number tied the local account to this CCCD / tax code (anyone may register with another
    person's number): the provider's proof wins. Unless the account's e-mail is the one the provider knows (the same
    person proved both), its local password is disabled, its e-mail becomes the provider's and its sessions end, so
    that whoever registered it cannot use it any more. A registration still waiting for its e-mail is activated."""
    provider_email = str(claims.get("email") or "").strip()[:254]
    same_mailbox = bool(user.email and provider_email) and user.email.lower() == provider_email.lower()
    if not user.is_active and user.email_verified_at is None:
        user.is_active = True
    if same_mailbox:
        user.save(update_fields=["is_active"])
        return False
    user.set_unusable_password()
    user.email = provider_email
    user.email_verified_at = timezone.now() if provider_email else None
    user.save(update_fields=["password", "email", "email_verified_at", "is_active"])
    user_sessions_end(actor=user, user=user, reason="identity_take_over")
    return True


def _local_account(kind: str, identifier: str) -> User | None:
    lookup = {"tax_code": identifier} if kind == UserKind.BUSINESS else {"id_number": identifier}
    return User.objects.select_for_update().filter(**lookup).first()


@transaction.atomic
def identity_sign_in(*, issuer: str, claims: dict) -> User:
    """The account for a verified ID token: the one already linked to (issuer, sub); else the local account with the
    same CCCD / tax code, linked now (never a duplicate); else a new citizen / business account. Officers keep
    local accounts: a staff account is never reached through the provider."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise IdentityError(_("Mã thông báo định danh không có mã chủ thể (sub)."), code="claims_missing")
    kind, identifier = identity_from_claims(claims)
    link = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    now = timezone.now()
    if link is not None:
        if link.identifier != identifier:
            raise IdentityError(
                _("Số định danh do nhà cung cấp trả về không khớp với tài khoản đã liên kết."),
                code="identity_mismatch",
            )
        link.last_login_at = now
        link.save(update_fields=["last_login_at", "updated_at"])
        audit_record(actor=link.user, action="identity.login", obj=link.user, after={"issuer": issuer})
        return link.user
    user = _local_account(kind, identifier)
    if user is not None:
        if user.kind == UserKind.STAFF:
            raise IdentityError(
                _("Tài khoản cán bộ chỉ đăng nhập bằng tài khoản do cơ quan cấp."), code="staff_account_local_only"
            )
        if user.kind != kind:
            raise IdentityError(_("Loại tài khoản không khớp với định danh."), code="identity_mismatch")
        if ExternalIdentity.objects.filter(issuer=issuer, user=user).exists():
            raise IdentityError(
                _("Tài khoản này đã liên kết với một định danh điện tử khác."), code="identity_already_linked"
            )
        took_over = _take_over_if_unproven(user, claims)
        action = "identity.link_take_over" if took_over else "identity.link"
    else:
        birthdate = parse_date(str(claims.get("birthdate") or "")) if claims.get("birthdate") else None
        user = user_register_from_identity(
            kind=kind,
            full_name=str(claims.get("name") or "")[:200],
            id_number=identifier if kind == UserKind.CITIZEN else None,
            tax_code=identifier if kind == UserKind.BUSINESS else None,
            organisation_name=str(claims.get("organisation_name") or "")[:300],
            email=str(claims.get("email") or "")[:254],
            phone=str(claims.get("phone_number") or "")[:20],
            date_of_birth=birthdate,
        )
        action = "identity.link_new_account"
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, identifier=identifier, last_login_at=now
            )
    except IntegrityError as exc:  # a parallel first sign-in of the same subject
        raise IdentityError(_("Định danh này vừa được liên kết, vui lòng thử lại."), code="identity_conflict") from exc
    audit_record(actor=user, action=action, obj=user, after={"issuer": issuer, "subject": subject, "kind": kind})
    return user


@transaction.atomic
def identity_provider_logout(*, issuer: str, subject: str) -> User | None:
    """The provider says the subject signed out there: end every session of the linked account."""
    link = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if link is None:
        return None
    user_sessions_end(actor=f"oidc:{issuer}", user=link.user, reason="provider_logout")
    return link.user


# --- population registry: consent, lookup, prefill ---------------------------------------------------------------


def _may_look_up(actor, citizen_id: str, channel: str) -> None:
    if channel == RegistryChannel.ONLINE:
        if getattr(actor, "kind", None) == UserKind.CITIZEN and actor.id_number == citizen_id:
            return
        raise PermissionDeniedError(
            _("Trực tuyến, công dân chỉ tra cứu được thông tin của chính mình."), code="registry_not_own"
        )
    if getattr(actor, "kind", None) == UserKind.STAFF and user_agencies(actor, role=Role.RECEPTION):
        return
    raise PermissionDeniedError(
        _("Chỉ cán bộ một cửa được tra cứu CSDL dân cư tại quầy."), code="registry_not_reception"
    )


def consent_statement(fields, purpose: str) -> str:
    names = ", ".join(str(REGISTRY_FIELDS[name]) for name in fields)
    return _(
        "Đồng ý cho cơ quan giải quyết thủ tục «%(purpose)s» khai thác từ CSDL quốc gia về dân cư: %(fields)s."
    ) % {
        "purpose": purpose,
        "fields": names,
    }


def registry_prefill(
    *,
    actor,
    citizen_id: str,
    channel: str,
    purpose: str,
    consent: bool,
    fields=tuple(REGISTRY_FIELDS),
    client: PopulationRegistryClient | None = None,
) -> tuple[RegistryConsent, ResidentRecord]:
    """Look the applicant up in the national population database to prefill a form, after their consent.

    Nothing is asked of the registry without consent, for a CCCD of the wrong structure, for another person's CCCD
    (online) or by someone other than a one-stop officer (counter). The consent row (who, who recorded it, when, which
    fields, for what) and its audit row are written in one transaction once the registry answered for the right
    person; the registry call itself holds no database lock. Errors: IdentityError / ValidationFailed with a code."""
    if not consent:
        raise ValidationFailed(
            _("Cần sự đồng ý của người nộp trước khi tra cứu CSDL dân cư."),
            code="consent_required",
            fields={"consent": [_("Bắt buộc.")]},
        )
    citizen_id = parse_citizen_id(citizen_id).number
    _may_look_up(actor, citizen_id, channel)
    fields = [name for name in REGISTRY_FIELDS if name in set(fields)]
    if not fields:
        raise ValidationFailed(_("Chọn ít nhất một trường thông tin."), code="registry_fields_required")
    consent_at = timezone.now()
    request_id = uuid.uuid4().hex
    record = (client or PopulationRegistryClient()).lookup(citizen_id, request_id=request_id, purpose=purpose)
    with transaction.atomic():
        row = RegistryConsent.objects.create(
            citizen_id=citizen_id,
            subject=User.objects.filter(id_number=citizen_id).first(),
            recorded_by=actor,
            channel=channel,
            purpose=purpose[:200],
            fields=fields,
            statement=consent_statement(fields, purpose),
            consent_at=consent_at,
            request_id=request_id,
            snapshot=record.values([f for f in fields if f in SNAPSHOT_FIELDS]),
        )
        audit_record(
            actor=actor,
            action="registry.lookup",
            obj=row,
            after={"citizen_id": citizen_id, "channel": channel, "fields": fields, "purpose": purpose[:200]},
        )
    return row, record

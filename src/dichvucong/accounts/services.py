"""Account writes: registration, staff creation, role grants, API tokens, sessions. Each writes an audit row."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed

from .identity import parse_citizen_id, validate_tax_code
from .models import ApiToken, RoleAssignment, User, UserKind, hash_token_key
from .roles import AGENCY_ROLES, PROVINCE_ROLES, Role
from .selectors import user_agencies, user_role_assignments


def _check_password(password: str, user: User | None = None, *, skip_validation: bool = False) -> None:
    if skip_validation:
        return
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "; ".join(exc.messages), code="weak_password", fields={"password": exc.messages}
        ) from exc


def _check_unique(**lookups) -> None:
    messages = {
        "username": "Tên đăng nhập đã được sử dụng.",
        "id_number": "Số CCCD đã có tài khoản.",
        "tax_code": "Mã số thuế đã có tài khoản.",
    }
    for field, value in lookups.items():
        if value and User.objects.filter(**{field: value}).exists():
            raise ValidationFailed(messages[field], code=f"{field}_taken", fields={field: [messages[field]]})


@transaction.atomic
def user_register_citizen(
    *,
    actor=None,
    username: str,
    password: str,
    full_name: str,
    id_number: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    skip_password_validation: bool = False,
    pending_verification: bool = False,
) -> User:
    """A citizen account. `pending_verification` (self-registration): inactive until the e-mail is verified."""
    citizen_id = parse_citizen_id(id_number)
    _check_unique(username=username, id_number=citizen_id.number)
    user = User(
        username=username,
        kind=UserKind.CITIZEN,
        full_name=full_name,
        id_number=citizen_id.number,
        phone=phone,
        email=email,
        address=address,
        is_active=not pending_verification,
    )
    _check_password(password, user, skip_validation=skip_password_validation)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor or user,
        action="user.register",
        obj=user,
        after={"kind": user.kind, "username": username, "pending_verification": pending_verification},
    )
    return user


@transaction.atomic
def user_register_business(
    *,
    actor=None,
    username: str,
    password: str,
    organisation_name: str,
    tax_code: str,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    skip_password_validation: bool = False,
    pending_verification: bool = False,
) -> User:
    """A business account (by tax code). `pending_verification`: inactive until the e-mail is verified."""
    tax_code = validate_tax_code(tax_code)
    _check_unique(username=username, tax_code=tax_code)
    user = User(
        username=username,
        kind=UserKind.BUSINESS,
        organisation_name=organisation_name,
        tax_code=tax_code,
        full_name=full_name,
        phone=phone,
        email=email,
        address=address,
        is_active=not pending_verification,
    )
    _check_password(password, user, skip_validation=skip_password_validation)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor or user,
        action="user.register",
        obj=user,
        after={
            "kind": user.kind,
            "username": username,
            "tax_code": tax_code,
            "pending_verification": pending_verification,
        },
    )
    return user


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str,
    email: str = "",
    job_title: str = "",
    skip_password_validation: bool = False,
) -> User:
    _check_unique(username=username)
    user = User(username=username, kind=UserKind.STAFF, full_name=full_name, email=email, job_title=job_title)
    _check_password(password, user, skip_validation=skip_password_validation)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.staff_create", obj=user, after={"username": username})
    return user


@transaction.atomic
def role_assign(*, actor, user: User, role: str, agency: Agency | None = None) -> RoleAssignment:
    """Grant a role. Agency roles need an agency and a staff account; province roles take none."""
    role = Role(role)
    if user.kind != UserKind.STAFF:
        raise ValidationFailed("Chỉ tài khoản cán bộ mới được phân vai trò xử lý.", code="role_requires_staff")
    if role in PROVINCE_ROLES and agency is not None:
        raise ValidationFailed("Vai trò cấp tỉnh không gắn với một cơ quan.", code="role_scope_invalid")
    if role in AGENCY_ROLES and agency is None:
        raise ValidationFailed("Vai trò này phải gắn với một cơ quan.", code="role_scope_invalid")
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, agency=agency)
    if not created and not assignment.active:
        assignment.active = True
        assignment.save(update_fields=["active", "updated_at"])
        created = True
    if created:
        audit_record(
            actor=actor,
            action="role.assign",
            obj=user,
            after={"role": role.value, "agency": agency.code if agency else None},
        )
    user.__dict__.pop("_role_assignments_cache", None)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    if not assignment.active:
        return
    assignment.active = False
    assignment.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment.user,
        before={"role": assignment.role, "agency": assignment.agency.code if assignment.agency else None},
    )


# --- accounts created from the national identity (identity app) -------------------------------------------------


def _free_username(base: str) -> str:
    username, suffix = base, 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    return username


@transaction.atomic
def user_register_from_identity(
    *,
    kind: str,
    full_name: str,
    id_number: str | None = None,
    tax_code: str | None = None,
    organisation_name: str = "",
    email: str = "",
    phone: str = "",
    date_of_birth: datetime.date | None = None,
    via: str = "oidc",
) -> User:
    """A citizen or business account whose identity the national provider vouched for: no local password (it signs
    in through the provider), e-mail taken as verified. Same uniqueness rules as self-registration."""
    if kind == UserKind.CITIZEN:
        id_number = parse_citizen_id(id_number or "").number
        _check_unique(id_number=id_number)
        user = User(kind=kind, username=_free_username(id_number), full_name=full_name, id_number=id_number)
    elif kind == UserKind.BUSINESS:
        tax_code = validate_tax_code(tax_code or "")
        _check_unique(tax_code=tax_code)
        user = User(
            kind=kind,
            username=_free_username(tax_code),
            full_name=full_name,
            tax_code=tax_code,
            organisation_name=organisation_name or tax_code,
        )
    else:
        raise ValidationFailed("Chỉ công dân và tổ chức đăng nhập bằng định danh điện tử.", code="kind_not_allowed")
    user.email = email
    user.phone = phone
    user.date_of_birth = date_of_birth
    user.email_verified_at = timezone.now() if email else None
    user.set_unusable_password()
    user.save()
    audit_record(
        actor=user,
        action="user.register",
        obj=user,
        after={"kind": user.kind, "username": user.username, "via": via},
    )
    return user


# --- sessions and API tokens ----------------------------------------------------------------------------------


@transaction.atomic
def user_sessions_end(*, actor, user: User, reason: str = "logout") -> None:
    """End every session of `user`, on every device: the session hash changes (User.get_session_auth_hash), so
    Django drops each old session at its next request."""
    User.objects.filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    audit_record(actor=actor, action="user.sessions_end", obj=user, after={"reason": reason})


def _token_ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


@transaction.atomic
def api_token_issue(*, user: User, name: str = "", ttl: datetime.timedelta | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`; returns (token, key). The key is returned once and never stored."""
    if not user.is_active:
        raise ValidationFailed("Tài khoản đã bị khóa.", code="user_inactive")
    key = secrets.token_urlsafe(40)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token_key(key),
        prefix=key[:8],
        name=name[:100],
        expires_at=timezone.now() + (ttl or _token_ttl()),
    )
    audit_record(
        actor=user,
        action="api_token.issue",
        obj=user,
        after={"token": str(token.uuid), "prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The owner revokes one of their tokens (anyone else: not found). Revoking twice changes nothing."""
    if token.user_id != getattr(actor, "pk", None):
        raise NotFoundError("Không tìm thấy mã truy cập.", code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token.user, after={"token": str(token.uuid)})
    return token


# --- e-mail verification, password, profile -------------------------------------------------------------------

EMAIL_VERIFICATION_SALT = "dichvucong.accounts.email-verification"


def email_verification_token(user: User) -> str:
    """A signed, timed token for `user`'s current e-mail address (no database row: it proves itself)."""
    return signing.dumps({"u": str(user.uuid), "e": user.email}, salt=EMAIL_VERIFICATION_SALT)


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Check the token of a verification e-mail and activate the account. Expired / forged / stale: ValidationFailed."""
    max_age = settings.ACCOUNT_VERIFICATION_MAX_AGE_HOURS * 3600
    try:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationFailed(
            "Liên kết xác minh đã hết hạn. Vui lòng đăng ký lại.", code="verification_expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationFailed("Liên kết xác minh không hợp lệ.", code="verification_invalid") from exc
    user = User.objects.select_for_update().filter(uuid=data.get("u")).first()
    if user is None or user.email != data.get("e"):
        raise ValidationFailed("Liên kết xác minh không hợp lệ.", code="verification_invalid")
    if user.email_verified_at is not None:
        return user
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])
    audit_record(actor=user, action="user.email_verify", obj=user, after={"email": user.email})
    return user


@transaction.atomic
def user_password_set(*, actor, user: User, password: str, reason: str = "reset") -> User:
    """A new password (reset by e-mail, first password of an officer): validated, and every session ends."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.password_set", obj=user, after={"reason": reason})
    user_sessions_end(actor=actor, user=user, reason=f"password_{reason}")
    return user


@transaction.atomic
def user_profile_update(*, actor: User, user: User, phone: str, address: str) -> User:
    """The owner edits their contact details (identity data — name, CCCD, tax code — come from registration or the
    national identity and are not edited here)."""
    if actor.pk != user.pk:
        raise NotFoundError("Không tìm thấy tài khoản.", code="user_not_found")
    before = {"phone": user.phone, "address": user.address}
    user.phone, user.address = phone.strip()[:20], address.strip()[:300]
    after = {"phone": user.phone, "address": user.address}
    if before != after:
        user.save(update_fields=["phone", "address"])
        audit_record(actor=actor, action="user.profile_update", obj=user, before=before, after=after)
    return user


# --- officers: created by an agency's administrator --------------------------------------------------------------


def officer_admin_agencies(user) -> list[Agency]:
    """The agencies where `user` may create officers: those where they are agency administrator; every agency for a
    province administrator."""
    if any(a.role == Role.PROVINCE_ADMIN for a in user_role_assignments(user)):
        return list(Agency.objects.order_by("code"))
    return user_agencies(user, role=Role.AGENCY_ADMIN)


@transaction.atomic
def officer_create(
    *,
    actor: User,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    job_title: str = "",
    roles: list[str],
) -> User:
    """An officer account at `agency`, created by that agency's administrator (or a province administrator) only,
    with agency roles there. No password: the officer sets one through the e-mailed link."""
    if agency.pk not in {a.pk for a in officer_admin_agencies(actor)}:
        raise PermissionDeniedError(
            "Chỉ quản trị của cơ quan mới được tạo tài khoản cán bộ của cơ quan.", code="not_agency_admin"
        )
    if not roles or any(role not in AGENCY_ROLES for role in roles):
        raise ValidationFailed(
            "Chọn ít nhất một vai trò của cơ quan.", code="roles_invalid", fields={"roles": ["Vai trò không hợp lệ."]}
        )
    if not email:
        raise ValidationFailed(
            "Cần thư điện tử để cán bộ đặt mật khẩu.", code="email_required", fields={"email": ["Bắt buộc."]}
        )
    _check_unique(username=username)
    user = User(username=username, kind=UserKind.STAFF, full_name=full_name, email=email, job_title=job_title)
    user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="user.staff_create", obj=user, after={"username": username, "agency": agency.code})
    for role in roles:
        role_assign(actor=actor, user=user, role=role, agency=agency)
    return user

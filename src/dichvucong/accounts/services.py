"""Account writes: registration, staff creation, role grants. Each writes an audit row."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from dichvucong.agencies.models import Agency
from dichvucong.audit.services import audit_record
from dichvucong.common.errors import ValidationFailed

from .identity import parse_citizen_id, validate_tax_code
from .models import RoleAssignment, User, UserKind
from .roles import AGENCY_ROLES, PROVINCE_ROLES, Role


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
) -> User:
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
    )
    _check_password(password, user, skip_validation=skip_password_validation)
    user.set_password(password)
    user.save()
    audit_record(actor=actor or user, action="user.register", obj=user, after={"kind": user.kind, "username": username})
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
) -> User:
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
    )
    _check_password(password, user, skip_validation=skip_password_validation)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor or user,
        action="user.register",
        obj=user,
        after={"kind": user.kind, "username": username, "tax_code": tax_code},
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

"""Users: citizens and staff (roles assigned through `role_assign`), and an API client logged in as one."""

import itertools

import factory
from rest_framework.test import APIClient

from dichvucong.accounts.models import User, UserKind
from dichvucong.accounts.services import role_assign

_cccd = itertools.count(1)


def next_citizen_id() -> str:
    """A structurally valid CCCD: Hưng Yên (033), male born 1990, running number."""
    return f"033090{next(_cccd):06d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-2024!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CitizenFactory(UserFactory):
    kind = UserKind.CITIZEN
    id_number = factory.LazyFunction(next_citizen_id)
    phone = "0912000111"
    address = "xã Lạc Đạo, huyện Văn Lâm, tỉnh Hưng Yên"


class StaffFactory(UserFactory):
    """`StaffFactory(roles=[(Role.LEADER, agency), (Role.MONITOR, None)])`: roles through `role_assign`."""

    kind = UserKind.STAFF

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role, agency in extracted or []:
            role_assign(actor="test", user=obj, role=role, agency=agency)


def staff_of(agency, prefix: str, roles, **names) -> dict:
    """One officer per role at `agency`, usernames `<prefix>.<role>`: {role: user}."""
    return {
        role: StaffFactory(
            username=f"{prefix}.{role}", full_name=names.get(role, f"Cán bộ {prefix} {role}"), roles=[(role, agency)]
        )
        for role in roles
    }


def auth_client(user) -> APIClient:
    """An API client authenticated as `user`."""
    client = APIClient()
    client.force_authenticate(user=user)
    return client

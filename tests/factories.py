"""factory_boy factories shared by every test package. Writes go through the services where they have rules."""

import itertools

import factory

from dichvucong.accounts.models import User, UserKind
from dichvucong.accounts.services import role_assign
from dichvucong.agencies.models import Agency, AgencyKind, Tier
from dichvucong.agencies.services import agency_create

_level1 = itertools.count(40)
_level2 = itertools.count(1)
_cccd = itertools.count(1)


class AgencyFactory:
    """Builds a consistent QCVN 102 tree through `agency_create` (so paths and audit rows are real)."""

    @staticmethod
    def province(code: str = "000.00.00.H31", name: str = "Ủy ban nhân dân tỉnh Hưng Yên") -> Agency:
        existing = Agency.objects.filter(code=code).first()
        return existing or agency_create(actor="test", code=code, name=name, tier=Tier.PROVINCE,
                                         kind=AgencyKind.PEOPLES_COMMITTEE)

    @classmethod
    def department(cls, name: str = "Sở Tư pháp", **kwargs) -> Agency:
        province = kwargs.pop("parent", None) or cls.province()
        code = f"000.00.{40 + next(_level1) % 60:02d}.{province.code[-3:]}"
        return agency_create(actor="test", code=code, name=name, tier=Tier.PROVINCE, kind=AgencyKind.DEPARTMENT,
                             parent=province, **kwargs)

    @classmethod
    def district(cls, name: str = "Ủy ban nhân dân huyện Văn Lâm", **kwargs) -> Agency:
        province = kwargs.pop("parent", None) or cls.province()
        code = f"000.00.{40 + next(_level1) % 60:02d}.{province.code[-3:]}"
        return agency_create(actor="test", code=code, name=name, tier=Tier.DISTRICT,
                             kind=AgencyKind.PEOPLES_COMMITTEE, parent=province, **kwargs)

    @classmethod
    def commune(cls, district: Agency | None = None, name: str = "Ủy ban nhân dân xã Lạc Đạo", **kwargs) -> Agency:
        district = district or cls.district()
        _, _, y, m = district.code.split(".")
        code = f"000.{1 + next(_level2) % 99:02d}.{y}.{m}"
        return agency_create(actor="test", code=code, name=name, tier=Tier.COMMUNE,
                             kind=AgencyKind.PEOPLES_COMMITTEE, parent=district, **kwargs)


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
    kind = UserKind.STAFF

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role, agency in extracted or []:
            role_assign(actor="test", user=obj, role=role, agency=agency)

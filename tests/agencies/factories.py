"""Agencies built through `agency_create` (so paths, codes and audit rows are real)."""

import itertools

from dichvucong.agencies.models import Agency, AgencyKind, Tier
from dichvucong.agencies.services import agency_create

_level1 = itertools.count(40)
_level2 = itertools.count(1)

TEST_ACTOR = "test"


class AgencyFactory:
    """Builds a consistent QCVN 102 tree through `agency_create` (so paths and audit rows are real)."""

    @staticmethod
    def province(code: str = "000.00.00.H31", name: str = "Ủy ban nhân dân tỉnh Hưng Yên") -> Agency:
        existing = Agency.objects.filter(code=code).first()
        return existing or agency_create(
            actor=TEST_ACTOR, code=code, name=name, tier=Tier.PROVINCE, kind=AgencyKind.PEOPLES_COMMITTEE
        )

    @classmethod
    def department(cls, name: str = "Sở Tư pháp", **kwargs) -> Agency:
        province = kwargs.pop("parent", None) or cls.province()
        code = kwargs.pop("code", None) or f"000.00.{40 + next(_level1) % 60:02d}.{province.code[-3:]}"
        return agency_create(
            actor=TEST_ACTOR,
            code=code,
            name=name,
            tier=Tier.PROVINCE,
            kind=AgencyKind.DEPARTMENT,
            parent=province,
            **kwargs,
        )

    @classmethod
    def district(cls, name: str = "Ủy ban nhân dân huyện Văn Lâm", **kwargs) -> Agency:
        province = kwargs.pop("parent", None) or cls.province()
        code = kwargs.pop("code", None) or f"000.00.{40 + next(_level1) % 60:02d}.{province.code[-3:]}"
        return agency_create(
            actor=TEST_ACTOR,
            code=code,
            name=name,
            tier=Tier.DISTRICT,
            kind=AgencyKind.PEOPLES_COMMITTEE,
            parent=province,
            **kwargs,
        )

    @classmethod
    def commune(cls, district: Agency | None = None, name: str = "Ủy ban nhân dân xã Lạc Đạo", **kwargs) -> Agency:
        district = district or cls.district()
        _, _, y, m = district.code.split(".")
        code = kwargs.pop("code", None) or f"000.{1 + next(_level2) % 99:02d}.{y}.{m}"
        return agency_create(
            actor=TEST_ACTOR,
            code=code,
            name=name,
            tier=Tier.COMMUNE,
            kind=AgencyKind.PEOPLES_COMMITTEE,
            parent=district,
            **kwargs,
        )

    @classmethod
    def get_or_create(
        cls,
        code: str,
        name: str,
        *,
        tier: str = Tier.PROVINCE,
        kind: str = AgencyKind.DEPARTMENT,
        parent: Agency | None = None,
    ) -> Agency:
        """A fixed-code agency (the same code in every test: certificates and file names can be reused)."""
        return Agency.objects.filter(code=code).first() or agency_create(
            actor=TEST_ACTOR, code=code, name=name, tier=tier, kind=kind, parent=parent or cls.province()
        )

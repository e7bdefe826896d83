"""The agency tree: province → departments and district-level People's Committees → communes.

Units are never deleted: a reorganisation closes a unit's active period (`valid_to`) and opens new ones, so the
history of dossiers and statistics keeps pointing at the unit that existed at the time.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel
from dichvucong.common.search import fold_text

from .codes import is_valid_agency_code


class Tier(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    OFFICE = "office", _("Văn phòng")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    SERVICE_CENTER = "service_center", _("Trung tâm phục vụ hành chính công")
    DIVISION = "division", _("Phòng, ban chuyên môn")


class TierModel(models.TextChoices):
    THREE_TIER = "three_tier", _("Ba cấp: tỉnh, huyện, xã (mô hình 2021)")
    TWO_TIER = "two_tier", _("Hai cấp: tỉnh, xã (từ 01/7/2025)")


class ProvinceSettings(TimestampedModel):
    """One row: which province this installation serves and whether it runs 3 tiers (2021) or 2 (2025)."""

    name = models.CharField(_("tên tỉnh"), max_length=100)
    code_suffix = models.CharField(_("mã tỉnh theo QCVN 102 (MX1X2)"), max_length=3)
    tier_model = models.CharField(
        _("mô hình chính quyền"), max_length=20, choices=TierModel.choices, default=TierModel.THREE_TIER
    )
    tier_model_since = models.DateField(_("áp dụng từ ngày"), default=datetime.date(2021, 1, 1))
    # The tier model before `tier_model_since` (a reorganisation records the model it replaced), so a date before
    # the change is still read with the tiers of its time (`ProvinceSettings.tier_model_on(day)`).
    previous_tier_model = models.CharField(
        _("mô hình chính quyền trước đó"), max_length=20, choices=TierModel.choices, blank=True
    )
    # NĐ 42/2022 (toàn trình / một phần instead of levels 3/4) and NĐ 118/2025 (Trung tâm phục vụ hành chính công
    # instead of bộ phận một cửa): pages use the current vocabulary from this date; empty = the 2021 wording.
    vocabulary_2025_since = models.DateField(_("dùng thuật ngữ NĐ 42/2022, NĐ 118/2025 từ ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("cấu hình tỉnh")
        verbose_name_plural = _("cấu hình tỉnh")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_tier_model_display()})"

    def tier_model_on(self, day: datetime.date | None = None) -> str:
        """The tier model in force on `day` (default today): the current one from `tier_model_since`, the one it
        replaced before (three tiers when nothing was recorded)."""
        if day is None or day >= self.tier_model_since:
            return self.tier_model
        return self.previous_tier_model or TierModel.THREE_TIER

    def active_tiers_on(self, day: datetime.date | None = None) -> list[str]:
        if self.tier_model_on(day) == TierModel.TWO_TIER:
            return [Tier.PROVINCE, Tier.COMMUNE]
        return [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE]

    @property
    def active_tiers(self) -> list[str]:
        return self.active_tiers_on(None)

    @property
    def is_two_tier(self) -> bool:
        return self.tier_model == TierModel.TWO_TIER

    def uses_2025_vocabulary(self, day: datetime.date | None = None) -> bool:
        if self.vocabulary_2025_since is None:
            return False
        return day is None or day >= self.vocabulary_2025_since


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def of_tier(self, tier: str):
        return self.filter(tier=tier)


class Agency(PublicIdModel):
    code = models.CharField(_("mã định danh (QCVN 102)"), max_length=13, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    tier = models.CharField(_("cấp"), max_length=10, choices=Tier.choices, db_index=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    # Materialised path of primary keys ("/1/12/40/"): subtree queries are one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("hoạt động từ"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Name, short name and code folded (no diacritics, lower case) for diacritics-insensitive search.
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="agency_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not is_valid_agency_code(self.code):
            raise ValidationError({"code": _("Mã cơ quan không đúng cấu trúc QCVN 102:2016.")})

    def save(self, *args, **kwargs):
        self.search_text = fold_text(f"{self.name} {self.short_name} {self.code}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    RENAME = "rename", _("Đổi tên, đổi mã")
    SPLIT = "split", _("Chia tách")
    ABOLISH = "abolish", _("Giải thể, chuyển nhiệm vụ")


class AgencySuccession(TimestampedModel):
    """`predecessor` handed its work to `successor` from `effective_on` (a merger, a rename with a new code, a split,
    an abolished tier). A split records one row per part; `primary` marks the part that takes what is not assigned
    to a particular part (open dossiers by default, the roll-up of statistics "as organised now").

    Written by a reorganisation plan (`dichvucong.reorg`); read with `selectors.successor_map` / `current_successor`.
    """

    predecessor = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="successions", verbose_name=_("cơ quan cũ")
    )
    successor = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="predecessions", verbose_name=_("cơ quan kế thừa")
    )
    effective_on = models.DateField(_("có hiệu lực từ"))
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    primary = models.BooleanField(_("kế thừa chính"), default=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        ordering = ["effective_on", "predecessor_id", "-primary", "successor_id"]
        verbose_name = _("kế thừa cơ quan")
        verbose_name_plural = _("kế thừa cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="agency_succession_once"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(primary=True), name="agency_succession_one_primary"
            ),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="agency_succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.effective_on})"

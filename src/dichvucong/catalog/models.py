"""The procedure catalogue (danh mục thủ tục hành chính): one uniform, versioned catalogue for every agency and tier.

Interface for other contexts (stable names)
-------------------------------------------
Models
- `Field` (lĩnh vực): `code` (unique), `name`.
- `Procedure` (TTHC): `code` (national code, unique, e.g. "1.001612"), `uuid`, `name`, `field` (FK Field),
  `tiers` (stored ",district,commune,"; read `procedure.tier_list` -> ["district", "commune"]; filter with
  `Procedure.objects.for_tier("district")`), `description` (steps), `processing_days` (Decimal working days,
  half days allowed), `processing_note`, `legal_basis`, `result_description`, `conditions`, `applicant_types`
  (stored ",citizen,business,"; read `applicant_type_list`), `online_level` 1-4 and `online_mode`
  full|partial|none (the published standard level; the level at one agency is the Offering's), `form_schema`
  (list of `{"name", "label", "type": text|textarea|date|number|select|checkbox, "required": bool,
  "choices": [...]}`; validate submitted data with `dichvucong.catalog.forms_schema.validate_form_data(schema,
  data)` -> cleaned dict or raises ValidationFailed), `search_text` (folded), `valid_from`/`valid_to` (in force).
  Related: `procedure.required_documents` (RequiredDocument, ordered), `procedure.fees` (FeeRule, ordered),
  `procedure.offerings` (Offering), `procedure.versions` (ProcedureVersion: history).
- `RequiredDocument`: `procedure`, `order`, `name`, `description`, `originals`, `copies`, `mandatory`,
  `form_file` (blank form, optional).
- `FeeRule`: `procedure`, `order`, `name`, `kind` fixed|per_page|per_copy, `amount` (VND integer per unit),
  `max_amount` (cap or None), `notes` (exemptions); `fee.amount_for(units)`.
- `Offering`: which agency (`agency`), or every agency of a tier (`tier`, agency empty: tier template), offers
  `procedure` at `online_level`/`online_mode` from `valid_from` to `valid_to`; `offered=False` means "this unit
  does not carry it out". A per-unit row for a district/commune procedure is an exception: `is_exception=True`
  with a mandatory `justification`.
- `CatalogDecision` (công bố: `number`, `title`, `signed_on`, `signer`, `effective_on`, `status`
  draft|published) with its `changes` (`CatalogChange`: kind add|change|retire, procedure record payload).
- `ChangeRequest`: an agency's request to the Provincial Office (`agency`, `kind`, `procedure_code`, `payload`,
  `reason`, `status` pending|applied|rejected, `submitted_at`); `age_working_days` is computed by the selector.
- Level mapping (NĐ 42/2022 vs NĐ 43/2011): `online_mode_for_level(level)`: 4 -> full (toàn trình),
  3 -> partial (một phần), 1-2 -> none.

Selectors (dichvucong.catalog.selectors)
- `procedure_get(code)` -> Procedure (raises NotFoundError); `offering_for(*, procedure, agency, on=None)` ->
  the effective Offering (agency row, exception, or tier template) or None;
  `procedures_offered_by(agency, on=None)` -> Procedure queryset annotated `offered_level`, `offered_mode`;
  `catalog_as_of(day)` -> Procedure queryset in force that day; `procedure_search(q, **filters)` -> ranked queryset;
  `procedure_version_on(procedure, day)` -> the ProcedureVersion in force that day; `procedure_as_of(procedure,
  day)` -> the procedure showing the content it had that day (never save it).
- `ProcedureVersion.pending`: the version of a decision effective in the future, not yet applied to the live
  procedure (the beat task `catalog.apply_due_versions` applies it on its day).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel
from dichvucong.common.search import fold_text


class OnlineMode(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


ONLINE_LEVELS = [(1, _("Mức độ 1")), (2, _("Mức độ 2")), (3, _("Mức độ 3")), (4, _("Mức độ 4"))]


def online_mode_for_level(level: int) -> str:
    """NĐ 42/2022/NĐ-CP art. 11 replaced levels 1-4 (NĐ 43/2011) by toàn trình / một phần: 4 -> full, 3 -> partial."""
    return {4: OnlineMode.FULL, 3: OnlineMode.PARTIAL}.get(int(level), OnlineMode.NONE)


_LEVEL_MODE_CONSISTENT = (
    (Q(online_level=4) & Q(online_mode="full"))
    | (Q(online_level=3) & Q(online_mode="partial"))
    | (Q(online_level__lte=2) & Q(online_mode="none"))
)


def pack_list(values) -> str:
    """Lists of choice values are stored as ",a,b," so that `__contains=",a,"` filters on every database."""
    values = [str(v) for v in values or [] if str(v)]
    return f",{','.join(values)}," if values else ""


def unpack_list(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v]


class Field(TimestampedModel):
    code = models.CharField(_("mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def for_tier(self, tier: str):
        return self.filter(tiers__contains=f",{tier},")

    def for_applicant_type(self, kind: str):
        return self.filter(applicant_types__contains=f",{kind},")

    def in_force_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _number(value) -> str:
    """3 → "3", 0.5 → "0,5" (Vietnamese decimal comma)."""
    text = format(value.normalize() if hasattr(value, "normalize") else value, "f")
    return text.replace(".", ",")


class Procedure(PublicIdModel):
    code = models.CharField(_("mã thủ tục (quốc gia)"), max_length=30, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    tiers = models.CharField(_("cấp thực hiện"), max_length=60, help_text=_("Dạng ,district,commune,"))
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    processing_days = models.DecimalField(_("thời hạn giải quyết (ngày làm việc)"), max_digits=6, decimal_places=1)
    # A procedure whose time is published in working hours ("trong 4 giờ làm việc"): when set, it is the statutory
    # time and `processing_days` is only its rounded-up display. `processing_days` = 0 without hours: "trong ngày"
    # (received in a morning session, due at the end of that afternoon; in an afternoon, by the end of next morning).
    processing_hours = models.DecimalField(
        _("thời hạn giải quyết (giờ làm việc)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    processing_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result_description = models.TextField(_("kết quả thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    applicant_types = models.CharField(_("đối tượng thực hiện"), max_length=60, default=",citizen,")
    online_level = models.PositiveSmallIntegerField(_("mức độ DVCTT"), choices=ONLINE_LEVELS, default=2)
    online_mode = models.CharField(
        _("hình thức (NĐ 42/2022)"), max_length=10, choices=OnlineMode.choices, default=OnlineMode.NONE
    )
    form_schema = models.JSONField(_("biểu mẫu điện tử"), default=list, blank=True)
    source_url = models.URLField(_("nguồn công bố"), max_length=500, blank=True)
    valid_from = models.DateField(_("có hiệu lực từ"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    search_name = models.CharField(max_length=500, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        constraints = [
            models.CheckConstraint(condition=_LEVEL_MODE_CONSISTENT, name="procedure_level_mode_consistent"),
            models.CheckConstraint(condition=Q(processing_days__gte=0), name="procedure_days_not_negative"),
            models.CheckConstraint(
                condition=Q(processing_hours__isnull=True) | Q(processing_hours__gt=0), name="procedure_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def processing_time_label(self) -> str:
        """How the statutory time reads: "4 giờ làm việc", "Trong ngày", "0,5 ngày làm việc", "3 ngày làm việc"."""
        if self.processing_hours:
            return _("%(n)s giờ làm việc") % {"n": _number(self.processing_hours)}
        if not self.processing_days:
            return str(_("Trong ngày"))
        return _("%(n)s ngày làm việc") % {"n": _number(self.processing_days)}

    @property
    def tier_list(self) -> list[str]:
        return unpack_list(self.tiers)

    @property
    def tier_labels(self) -> list[str]:
        """The levels that handle it, as people say them ("Cấp tỉnh", "Cấp huyện", "Cấp xã")."""
        labels = {"province": _("Cấp tỉnh"), "district": _("Cấp huyện"), "commune": _("Cấp xã")}
        return [str(labels.get(tier, tier)) for tier in self.tier_list]

    @property
    def applicant_type_list(self) -> list[str]:
        return unpack_list(self.applicant_types)

    @property
    def is_online(self) -> bool:
        return self.online_level >= 3

    def refresh_search_text(self, field_name: str | None = None) -> None:
        field_name = field_name if field_name is not None else (self.field.name if self.field_id else "")
        self.search_name = fold_text(self.name)[:500]
        self.search_text = fold_text(f"{self.name} {self.code} {field_name}")

    def save(self, *args, **kwargs):
        self.online_mode = online_mode_for_level(self.online_level)
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "search_name", "online_mode"}
        super().save(*args, **kwargs)


class RequiredDocument(TimestampedModel):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="required_documents")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    description = models.TextField(_("ghi chú"), blank=True)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    form_file = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/forms/", blank=True)

    class Meta:
        ordering = ["procedure_id", "order", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class FeeKind(models.TextChoices):
    FIXED = "fixed", _("Mức cố định")
    PER_PAGE = "per_page", _("Theo trang")
    PER_COPY = "per_copy", _("Theo bản")


class FeeRule(TimestampedModel):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    kind = models.CharField(_("cách tính"), max_length=10, choices=FeeKind.choices, default=FeeKind.FIXED)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    max_amount = models.PositiveBigIntegerField(_("mức thu tối đa (đồng)"), null=True, blank=True)
    # Pages/copies included before the per-unit charge starts (e.g. "from the 3rd copy on": 2).
    free_units = models.PositiveSmallIntegerField(_("số trang/bản không tính phí"), default=0)
    notes = models.TextField(_("ghi chú, miễn giảm"), blank=True)
    # Mục lục ngân sách nhà nước (Circular 324/2016/TT-BTC): the chapter (chương, 3 digits, the collecting level)
    # and the sub-item (tiểu mục, 4 digits, e.g. 2662 "Lệ phí chứng thực") the Treasury books the money under.
    budget_chapter = models.CharField(_("chương (mục lục ngân sách)"), max_length=3, blank=True)
    budget_subsection = models.CharField(_("tiểu mục (mục lục ngân sách)"), max_length=4, blank=True)

    class Meta:
        ordering = ["procedure_id", "order", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"

    def amount_for(self, units: int = 1) -> int:
        """Amount owed for `units` pages/copies (1 for a fixed fee) beyond the `free_units`, capped at `max_amount`."""
        total = self.amount if self.kind == FeeKind.FIXED else self.amount * max(int(units) - self.free_units, 0)
        return min(total, self.max_amount) if self.max_amount is not None else total


class OfferingQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def templates(self):
        return self.filter(agency__isnull=True)

    def exceptions(self):
        return self.filter(is_exception=True)


class Offering(PublicIdModel):
    """Who offers a procedure at which level, from when.

    A district- or commune-tier procedure is offered by one tier template (agency empty, `tier` set), so every
    unit of the tier offers the same procedures at the same level (Plan 111/KH-UBND: identical in every district
    and commune). A row for one unit of such a tier is an exception and must carry a justification.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="offerings")
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("cơ quan"),
    )
    tier = models.CharField(
        _("cấp (mẫu dùng chung)"),
        max_length=10,
        blank=True,
        choices=[("province", _("Cấp tỉnh")), ("district", _("Cấp huyện")), ("commune", _("Cấp xã"))],
    )
    online_level = models.PositiveSmallIntegerField(_("mức độ DVCTT"), choices=ONLINE_LEVELS)
    online_mode = models.CharField(_("hình thức (NĐ 42/2022)"), max_length=10, choices=OnlineMode.choices)
    offered = models.BooleanField(_("có thực hiện"), default=True)
    is_exception = models.BooleanField(_("ngoại lệ"), default=False)
    justification = models.TextField(_("lý do ngoại lệ"), blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    decision = models.ForeignKey(
        "CatalogDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offerings",
        verbose_name=_("quyết định công bố"),
    )

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["procedure_id", "tier", "agency_id", "valid_from"]
        verbose_name = _("cung cấp thủ tục")
        verbose_name_plural = _("cung cấp thủ tục")
        indexes = [models.Index(fields=["tier", "agency"], name="catalog_offering_tier_agency")]
        constraints = [
            models.CheckConstraint(condition=_LEVEL_MODE_CONSISTENT, name="offering_level_mode_consistent"),
            models.CheckConstraint(
                condition=(Q(agency__isnull=True) & ~Q(tier="") & Q(is_exception=False))
                | (Q(agency__isnull=False) & Q(tier="")),
                name="offering_agency_xor_tier",
            ),
            models.CheckConstraint(
                condition=Q(is_exception=False) | ~Q(justification=""), name="offering_exception_justified"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="offering_valid_period",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency.name if self.agency_id else f"({self.get_tier_display()})"
        return f"{self.procedure_id} @ {where}: {self.online_level}"

    @property
    def is_template(self) -> bool:
        return self.agency_id is None

    def save(self, *args, **kwargs):
        self.online_mode = online_mode_for_level(self.online_level)
        super().save(*args, **kwargs)


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")


class CatalogDecision(PublicIdModel):
    """Quyết định công bố danh mục TTHC (NĐ 63/2010, NĐ 92/2017; TT 02/2017/TT-VPCP)."""

    number = models.CharField(_("số quyết định"), max_length=60, unique=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=200)
    effective_on = models.DateField(_("ngày có hiệu lực"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-effective_on", "-signed_on", "number"]
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")

    def __str__(self) -> str:
        return f"{self.number} ({self.effective_on:%d/%m/%Y})"


class ChangeKind(models.TextChoices):
    ADD = "add", _("Công bố mới")
    CHANGE = "change", _("Sửa đổi, bổ sung")
    RETIRE = "retire", _("Bãi bỏ")


class CatalogChange(TimestampedModel):
    """One change of a decision. `payload` is a procedure record in the format of docs/catalog-format.md."""

    decision = models.ForeignKey(CatalogDecision, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=ChangeKind.choices)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30)
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    payload = models.JSONField(default=dict, blank=True)
    before = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = _("nội dung thay đổi")
        verbose_name_plural = _("nội dung thay đổi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.procedure_code}"


class ProcedureVersion(TimestampedModel):
    """A procedure as it stood from `valid_from` to `valid_to`: the history shown on the procedure page."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    snapshot = models.JSONField()
    decision = models.ForeignKey(
        CatalogDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    note = models.CharField(max_length=300, blank=True)
    # A decision effective after the day it was published records its version at once, but the live procedure
    # takes the snapshot only when the day comes (`catalog.apply_due_versions`, services.versions_apply_due).
    pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["procedure_id", "valid_from", "id"]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure_id} từ {self.valid_from}"


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xử lý")
    APPLIED = "applied", _("Đã cập nhật")
    REJECTED = "rejected", _("Từ chối")


class ChangeRequest(PublicIdModel):
    """An agency asks the Provincial Office to update the catalogue (Plan 111/KH-UBND: within 3 working days)."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="catalog_requests", verbose_name=_("cơ quan đề nghị")
    )
    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=ChangeKind.choices)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30)
    summary = models.CharField(_("nội dung"), max_length=500)
    reason = models.TextField(_("lý do, căn cứ"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
        db_index=True,
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("gửi lúc"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    response = models.TextField(_("ý kiến xử lý"), blank=True)
    decision = models.ForeignKey(
        CatalogDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="change_requests"
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("đề nghị cập nhật danh mục")
        verbose_name_plural = _("đề nghị cập nhật danh mục")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.summary}"

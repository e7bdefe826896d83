"""Electronic results (kết quả giải quyết TTHC điện tử) and how they reach the citizen.

- `ResultTemplate`: the layout of a procedure's result document: a title ("GIẤY CHỨNG NHẬN ...") and a body with
  placeholders `{{ applicant_name }}`, `{{ form.<field> }}` ... (see `rendering.PLACEHOLDERS`), as a certificate
  or as an extract (trích lục: the body followed by the e-form's fields). Procedures without one use
  `rendering.DEFAULT_TEMPLATE`.
- `ElectronicResult`: the one result document of a dossier: its number (per agency and year), the PDF in the
  default storage, its SHA-256, the signatures applied and its status draft → signed_by_leader → sealed → issued.
  Decree 45/2020/NĐ-CP art. 25: an electronic result signed by the competent person has the legal value of the
  paper one.
- `ResultDelivery`: how the applicant receives the result (online, at the counter, by post with carrier and
  tracking number: Decision 468/QĐ-TTg, result returned through public postal services).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel


class TemplateLayout(models.TextChoices):
    CERTIFICATE = "certificate", _("Giấy chứng nhận (nội dung)")
    EXTRACT = "extract", _("Trích lục (nội dung và các trường tờ khai)")


class ResultTemplate(PublicIdModel):
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.CASCADE, related_name="result_templates", verbose_name=_("thủ tục")
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    subtitle = models.CharField(_("tiêu đề phụ"), max_length=300, blank=True)
    body = models.TextField(_("nội dung (có trường thay thế {{ ... }})"))
    layout = models.CharField(
        _("bố cục"), max_length=12, choices=TemplateLayout.choices, default=TemplateLayout.CERTIFICATE
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["procedure_id", "-created_at"]
        verbose_name = _("mẫu kết quả")
        verbose_name_plural = _("mẫu kết quả")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(active=True), name="result_template_one_active_per_procedure"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED_BY_LEADER = "signed_by_leader", _("Lãnh đạo đã ký số")
    SEALED = "sealed", _("Đã ký số của cơ quan (đóng dấu)")
    ISSUED = "issued", _("Đã ban hành, trả cho công dân")


#: Statuses in which the document carries at least the leader's signature.
SIGNED_STATUSES = (ResultStatus.SIGNED_BY_LEADER, ResultStatus.SEALED, ResultStatus.ISSUED)


def result_path(instance, filename: str) -> str:
    return f"results/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ElectronicResult(PublicIdModel):
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="electronic_result")
    template = models.ForeignKey(ResultTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.CharField(_("số kết quả"), max_length=60)
    title = models.CharField(_("tiêu đề"), max_length=300)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ResultStatus.choices, default=ResultStatus.DRAFT, db_index=True
    )
    file = models.FileField(upload_to=result_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    #: [{"kind": "leader"|"seal", "signer", "username", "agency", "certificate_serial", "field", "signed_at"}]
    signatures = models.JSONField(default=list, blank=True)
    seal_required = models.BooleanField(_("cần chữ ký số của cơ quan"), default=False)
    issued_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")

    def __str__(self) -> str:
        return f"{self.number} ({self.dossier_id})"

    @property
    def file_name(self) -> str:
        return f"ket-qua-{self.dossier.code}.pdf"


class DeliveryMethod(models.TextChoices):
    ONLINE = "online", _("Nhận trực tuyến (tải về, kho dữ liệu)")
    COUNTER = "counter", _("Nhận trực tiếp tại Bộ phận một cửa")
    POSTAL = "postal", _("Nhận qua dịch vụ bưu chính")


class ResultDelivery(TimestampedModel):
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="result_delivery")
    method = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=DeliveryMethod.choices, default=DeliveryMethod.ONLINE
    )
    recipient_name = models.CharField(_("người nhận"), max_length=200, blank=True)
    recipient_phone = models.CharField(_("điện thoại người nhận"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ nhận"), max_length=300, blank=True)
    carrier = models.CharField(_("đơn vị bưu chính"), max_length=100, blank=True)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=60, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm phát thành công"), null=True, blank=True)
    # The post could not deliver (refused, nobody at the address...): the result came back to the one-stop desk.
    failed_at = models.DateTimeField(_("thời điểm phát không thành công"), null=True, blank=True)
    failure_reason = models.CharField(_("lý do phát không thành công"), max_length=300, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hình thức trả kết quả")
        verbose_name_plural = _("hình thức trả kết quả")
        constraints = [
            models.CheckConstraint(condition=~Q(method="postal") | ~Q(address=""), name="result_postal_needs_address"),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | ~Q(tracking_number=""), name="result_sent_needs_tracking_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.method}"


class ResultDraft(TimestampedModel):
    """What the specialist enters for the result at the processing step: the values of the template's fields that
    no data source fills (`{{ form.<name> }}` the e-form does not carry, e.g. «Tình trạng án tích»)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="result_draft")
    values = models.JSONField(_("nội dung dự thảo"), default=dict, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("dự thảo kết quả")
        verbose_name_plural = _("dự thảo kết quả")

    def __str__(self) -> str:
        return str(self.dossier_id)

    @staticmethod
    def values_for(dossier) -> dict:
        """The drafted values of `dossier` (empty without a draft)."""
        if dossier.pk is None:
            return {}
        row = ResultDraft.objects.filter(dossier_id=dossier.pk).only("values").first()
        return dict(row.values) if row else {}

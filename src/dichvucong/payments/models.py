"""Fees and charges (phí, lệ phí), online payments, electronic receipts (biên lai) and Treasury reconciliation.

Only `services.py`, `receipts.py` and `reconciliation.py` write these rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel

CURRENCY_VND = "VND"


class FeeAssessment(PublicIdModel):
    """What the applicant owes for one dossier, computed from the procedure's fee rules when payment is requested."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="fee_assessment")
    total = models.PositiveBigIntegerField(_("tổng phải nộp (đồng)"))
    currency = models.CharField(max_length=3, default=CURRENCY_VND)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("xác định phí, lệ phí")
        verbose_name_plural = _("xác định phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.total} {self.currency}"


class FeeAssessmentLine(models.Model):
    assessment = models.ForeignKey(FeeAssessment, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    fee_rule = models.ForeignKey("catalog.FeeRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    kind = models.CharField(_("cách tính"), max_length=10)
    unit_amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    quantity = models.PositiveIntegerField(_("số lượng (trang, bản)"), default=1)
    amount = models.PositiveBigIntegerField(_("thành tiền (đồng)"))
    exempt = models.BooleanField(_("miễn"), default=False)
    exemption_reason = models.CharField(_("lý do miễn"), max_length=500, blank=True)
    # The fee rule's budget codes when assessed (chương, tiểu mục): the cash book and the reconciliation book the
    # money under them even if the catalogue changes later.
    budget_chapter = models.CharField(_("chương"), max_length=3, blank=True)
    budget_subsection = models.CharField(_("tiểu mục"), max_length=4, blank=True)

    class Meta:
        ordering = ["assessment_id", "position"]
        verbose_name = _("khoản phí, lệ phí")
        verbose_name_plural = _("khoản phí, lệ phí")
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt=False) | ~Q(exemption_reason=""), name="fee_exemption_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.payable}"

    @property
    def payable(self) -> int:
        return 0 if self.exempt else self.amount


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class PaymentMethod(models.TextChoices):
    """How the money came: through the payment platform, or at the one-stop desk (cash, card at the POS terminal,
    bank transfer to the agency's account)."""

    ONLINE = "online", _("Trực tuyến qua nền tảng thanh toán")
    CASH = "cash", _("Tiền mặt tại Bộ phận một cửa")
    POS = "pos", _("Thẻ qua máy POS tại Bộ phận một cửa")
    TRANSFER = "transfer", _("Chuyển khoản ngân hàng")


DESK_METHODS = (PaymentMethod.CASH, PaymentMethod.POS, PaymentMethod.TRANSFER)
DESK_METHOD_CHOICES = [(method.value, method.label) for method in DESK_METHODS]


class Payment(PublicIdModel):
    """One payment of a dossier's fees: an attempt through the payment platform (order id = `uuid`), or a payment
    collected at the desk (`method` cash / pos / transfer, recorded paid by the `cashier`)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    assessment = models.ForeignKey(FeeAssessment, on_delete=models.PROTECT, related_name="payments")
    # The beneficiary unit (đơn vị thụ hưởng): the dossier's agency when the payment was created.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # The citizen's account (online); a walk-in applicant paying at the desk may have none.
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(
        _("hình thức thanh toán"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.ONLINE
    )
    # POS approval code or bank transfer reference (desk payments); empty for cash.
    reference = models.CharField(_("số tham chiếu"), max_length=64, blank=True)
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(max_length=3, default=CURRENCY_VND)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    gateway_txn_id = models.CharField(_("mã giao dịch"), max_length=64, null=True, blank=True, unique=True)
    redirect_url = models.URLField(max_length=500, blank=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        constraints = [
            # A dossier is paid at most once, and has at most one payment in flight.
            models.UniqueConstraint(fields=["dossier"], condition=Q(status="paid"), name="payment_paid_once"),
            models.UniqueConstraint(fields=["dossier"], condition=Q(status="pending"), name="payment_one_pending"),
            # A POS slip or a bank transfer is booked once (the same reference cannot pay two dossiers).
            models.UniqueConstraint(
                fields=["agency", "method", "reference"],
                condition=Q(status="paid") & ~Q(reference=""),
                name="payment_reference_once",
            ),
        ]
        indexes = [models.Index(fields=["agency", "paid_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.uuid} {self.amount} {self.currency} {self.status}"


class EventSource(models.TextChoices):
    CALLBACK = "callback", _("Thông báo từ nền tảng thanh toán")
    POLL = "poll", _("Tra cứu trạng thái")


class PaymentEvent(models.Model):
    """Every message from the platform about a payment, as received (the callback log), and what we did with it."""

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    source = models.CharField(max_length=10, choices=EventSource.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    event_id = models.CharField(max_length=64, blank=True, db_index=True)
    gateway_txn_id = models.CharField(max_length=64, blank=True)
    reported_status = models.CharField(max_length=20, blank=True)
    raw_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    signature_ok = models.BooleanField(default=False)
    duplicate = models.BooleanField(default=False)
    outcome = models.CharField(max_length=30)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("nhật ký thông báo thanh toán")
        verbose_name_plural = _("nhật ký thông báo thanh toán")

    def __str__(self) -> str:
        return f"{self.source} {self.gateway_txn_id} {self.outcome}"


class Receipt(PublicIdModel):
    """Biên lai thu phí, lệ phí điện tử (Decree 11/2020 art. 9; Decree 123/2020 on e-receipts)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    payer_name = models.CharField(max_length=300)
    payer_address = models.CharField(max_length=300, blank=True)
    description = models.CharField(max_length=600)
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default=CURRENCY_VND)

    class Meta:
        ordering = ["agency_id", "year", "number"]
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        constraints = [models.UniqueConstraint(fields=["agency", "year", "number"], name="receipt_number_unique")]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def receipt_no(self) -> str:
        return f"{self.number:07d}/{self.year}"

    @property
    def series(self) -> str:
        """Ký hiệu biên lai: BL + two-digit year + E (electronic)."""
        return f"BL{self.year % 100:02d}E"


class ReconciliationKind(models.TextChoices):
    MATCHED = "matched", _("Khớp")
    MISSING_AT_GATEWAY = "missing_at_gateway", _("Có trên hệ thống, không có trong bảng kê")
    MISSING_IN_SYSTEM = "missing_in_system", _("Có trong bảng kê, không có trên hệ thống")
    AMOUNT_MISMATCH = "amount_mismatch", _("Lệch số tiền")
    DESK = "desk", _("Thu tại Bộ phận một cửa (đối chiếu với sổ thu)")


class Reconciliation(PublicIdModel):
    """Đối soát: the system's paid transactions of one agency and day against the platform's settlement file."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    system_count = models.PositiveIntegerField(default=0)
    system_total = models.PositiveBigIntegerField(default=0)
    gateway_count = models.PositiveIntegerField(default=0)
    gateway_total = models.PositiveBigIntegerField(default=0)
    desk_count = models.PositiveIntegerField(default=0)
    desk_total = models.PositiveBigIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    differences = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đối soát")
        verbose_name_plural = _("đối soát")
        indexes = [models.Index(fields=["agency", "day"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"

    @property
    def balanced(self) -> bool:
        return self.differences == 0


class ReconciliationItem(models.Model):
    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ReconciliationKind.choices)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transaction_id = models.CharField(max_length=64, blank=True)
    order_id = models.CharField(max_length=64, blank=True)
    dossier_code = models.CharField(max_length=40, blank=True)
    system_amount = models.PositiveBigIntegerField(null=True, blank=True)
    gateway_amount = models.PositiveBigIntegerField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["reconciliation_id", "kind", "transaction_id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.transaction_id}"

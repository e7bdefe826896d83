from django.urls import reverse
from rest_framework import serializers

from dichvucong.common.dates import check_date_range

from ..models import FeeAssessment, FeeAssessmentLine, Payment, Reconciliation, ReconciliationItem


class PaymentSerializer(serializers.ModelSerializer):
    """API.md: `{id, amount, currency, status, redirect_url, receipt_url}` (+ transaction and times)."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    dossier = serializers.CharField(source="dossier.code", read_only=True)
    transaction_id = serializers.CharField(source="gateway_txn_id", read_only=True, allow_null=True)
    receipt_url = serializers.SerializerMethodField()
    receipt_number = serializers.SerializerMethodField()
    cashier = serializers.CharField(source="cashier.full_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Payment
        fields = [
            "id",
            "dossier",
            "amount",
            "currency",
            "status",
            "method",
            "reference",
            "cashier",
            "redirect_url",
            "receipt_url",
            "receipt_number",
            "transaction_id",
            "created_at",
            "paid_at",
        ]

    def _receipt(self, payment):
        return getattr(payment, "receipt", None) if payment.status == "paid" else None

    def get_receipt_url(self, payment) -> str | None:
        receipt = self._receipt(payment)
        if receipt is None:
            return None
        path = reverse("api:receipt-pdf", kwargs={"uuid": receipt.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_receipt_number(self, payment) -> str | None:
        receipt = self._receipt(payment)
        return f"{receipt.series} {receipt.receipt_no}" if receipt else None


class FeeLineSerializer(serializers.ModelSerializer):
    fee = serializers.IntegerField(source="fee_rule_id", read_only=True, allow_null=True)
    payable = serializers.IntegerField(read_only=True)

    class Meta:
        model = FeeAssessmentLine
        fields = [
            "fee",
            "name",
            "kind",
            "unit_amount",
            "quantity",
            "amount",
            "exempt",
            "exemption_reason",
            "payable",
            "budget_chapter",
            "budget_subsection",
        ]


class FeeAssessmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    dossier = serializers.CharField(source="dossier.code", read_only=True)
    lines = FeeLineSerializer(many=True, read_only=True)

    class Meta:
        model = FeeAssessment
        fields = ["id", "dossier", "total", "currency", "lines", "note", "created_at"]


class PaymentRequestSerializer(serializers.Serializer):
    quantities = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=1000),
        required=False,
        help_text="fee rule id → số trang / số bản (1-1000)",
    )
    exemptions = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="fee rule id → lý do miễn"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CallbackAckSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class ReconciliationRequestSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="Mã cơ quan (QCVN 102)")
    date = serializers.DateField()

    def validate_date(self, value):
        return check_date_range(value, field="date")


class ReconciliationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReconciliationItem
        fields = [
            "kind",
            "transaction_id",
            "order_id",
            "dossier_code",
            "system_amount",
            "gateway_amount",
            "paid_at",
            "note",
        ]


class ReconciliationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    date = serializers.DateField(source="day", read_only=True)
    items = ReconciliationItemSerializer(many=True, read_only=True)
    export_url = serializers.SerializerMethodField()

    class Meta:
        model = Reconciliation
        fields = [
            "id",
            "agency",
            "date",
            "system_count",
            "system_total",
            "gateway_count",
            "gateway_total",
            "desk_count",
            "desk_total",
            "matched",
            "differences",
            "items",
            "export_url",
            "created_at",
        ]

    def get_export_url(self, run) -> str:
        return reverse("api:reconciliation-export", kwargs={"uuid": run.uuid})


class CashBookRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    receipt_number = serializers.CharField(source="receipt_no")
    paid_at = serializers.DateTimeField()
    payer = serializers.CharField()
    dossier = serializers.CharField(source="dossier_code")
    method = serializers.CharField()
    method_label = serializers.CharField()
    reference = serializers.CharField()
    cashier = serializers.CharField()
    amount = serializers.IntegerField()
    budget = serializers.SerializerMethodField()

    def get_budget(self, row) -> list[dict]:
        return [{"chapter": c, "subsection": s, "amount": a} for c, s, a in row.budget]


class CashBookSerializer(serializers.Serializer):
    """The cash book of one agency and day (`payments.cash_book.CashBook`)."""

    agency = serializers.CharField(source="agency.code")
    date = serializers.DateField(source="day")
    total = serializers.IntegerField()
    desk_total = serializers.IntegerField()
    online_total = serializers.IntegerField()
    by_method = serializers.SerializerMethodField()
    by_budget_code = serializers.SerializerMethodField()
    rows = CashBookRowSerializer(many=True)

    def get_by_method(self, book) -> list[dict]:
        return [{"method": m, "label": label, "count": n, "total": t} for m, label, n, t in book.by_method]

    def get_by_budget_code(self, book) -> list[dict]:
        return [
            {"chapter": c, "subsection": s, "desk": d, "online": o, "total": d + o}
            for c, s, d, o in book.by_budget_code
        ]

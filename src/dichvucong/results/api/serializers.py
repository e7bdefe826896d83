from django.urls import reverse
from rest_framework import serializers

from ..models import DeliveryMethod, ElectronicResult, ResultDelivery


class ResultDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = ResultDelivery
        fields = [
            "method",
            "recipient_name",
            "recipient_phone",
            "address",
            "carrier",
            "tracking_number",
            "sent_at",
            "delivered_at",
            "failed_at",
            "failure_reason",
        ]


class ElectronicResultSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    dossier = serializers.CharField(source="dossier.code", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ElectronicResult
        fields = [
            "id",
            "dossier",
            "number",
            "title",
            "status",
            "issued_at",
            "sha256",
            "size",
            "signatures",
            "download_url",
        ]

    def get_download_url(self, obj) -> str:
        return reverse("api:dossier-result-pdf", args=[obj.dossier.code])


class DeliveryChoiceSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    recipient_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recipient_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ShipmentOutcomeSerializer(serializers.Serializer):
    """What the post reports: delivered (with its delivery time) or not delivered (with the reason)."""

    outcome = serializers.ChoiceField(choices=["delivered", "failed"], default="delivered")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Thời điểm bưu chính báo")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ShipmentSerializer(serializers.Serializer):
    # Both blank (or absent) with a configured carrier API (POSTAL_CARRIER_URL): the carrier creates the shipment.
    carrier = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    tracking_number = serializers.CharField(max_length=60, allow_blank=True, required=False, default="")

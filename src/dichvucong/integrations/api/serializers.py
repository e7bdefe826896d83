from rest_framework import serializers

from ..models import InboundDossier, MinistryTransfer, OutboxAttempt, OutboxMessage, WebhookSubscription
from ..webhooks import EVENTS


class OutboxMessageSerializer(serializers.ModelSerializer):
    """Exactly the fields of the issue's API section."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    dossier = serializers.CharField(source="dossier.code", default=None, read_only=True)

    class Meta:
        model = OutboxMessage
        fields = ["id", "target", "kind", "dossier", "status", "attempts", "last_error", "created_at", "delivered_at"]


class OutboxQuerySerializer(serializers.Serializer):
    dossier = serializers.CharField(required=False, allow_blank=True, max_length=40)
    target = serializers.ChoiceField(
        choices=["national_portal", "sms", "email", "webhook", "ministry"], required=False, allow_blank=True
    )
    status = serializers.ChoiceField(choices=["pending", "delivered", "dead"], required=False, allow_blank=True)


class InboundDossierSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code", default=None, read_only=True)

    class Meta:
        model = InboundDossier
        fields = ["national_code", "source", "status", "reason_code", "reason", "dossier", "created_at"]


class PushAckSerializer(serializers.Serializer):
    status = serializers.CharField()
    national_code = serializers.CharField()
    dossier = serializers.CharField(allow_null=True)
    reason_code = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboxAttempt
        fields = ["at", "ok", "status_code", "error", "duration_ms"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    dossier = serializers.CharField(source="dossier.code", default=None, read_only=True)
    attempts_list = AttemptSerializer(source="attempt_rows", many=True, read_only=True)

    class Meta:
        model = OutboxMessage
        fields = ["id", "kind", "dossier", "status", "attempts", "last_error", "created_at", "delivered_at",
                  "attempts_list"]  # fmt: skip


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.CharField(source="agency.code")
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), required=False)
    secret = serializers.CharField(read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "agency", "name", "url", "events", "active", "secret", "created_at"]


class MinistryTransferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    dossier = serializers.CharField(source="dossier.code")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    class Meta:
        model = MinistryTransfer
        fields = ["id", "dossier", "system", "system_name", "note", "status", "outcome", "result_note", "answered_at"]
        read_only_fields = ["system_name", "status", "outcome", "result_note", "answered_at"]

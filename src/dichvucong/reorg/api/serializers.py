from rest_framework import serializers

from ..models import JournalEntry, Operation, OperationKind, Plan


class OperationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=OperationKind.choices)
    spec = serializers.JSONField()

    class Meta:
        model = Operation
        fields = ["order", "kind", "spec"]
        read_only_fields = ["order"]


class JournalEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = JournalEntry
        fields = ["key", "done_at", "detail"]


class PlanSerializer(serializers.ModelSerializer):
    operations = OperationSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "uuid",
            "title",
            "legal_basis",
            "effective_on",
            "status",
            "approved_at",
            "applied_at",
            "operations",
        ]


class PlanDetailSerializer(PlanSerializer):
    journal = JournalEntrySerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "journal"]


class PlanCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    legal_basis = serializers.CharField()
    effective_on = serializers.DateField()
    operations = OperationSerializer(many=True)

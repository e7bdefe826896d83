from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dichvucong.catalog.models import (
    CatalogChange,
    CatalogDecision,
    ChangeKind,
    ChangeRequest,
    FeeRule,
    Offering,
    Procedure,
    RequiredDocument,
)


class ProcedureListSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.code")
    field_name = serializers.CharField(source="field.name")
    tier = serializers.SerializerMethodField()
    tiers = serializers.ListField(source="tier_list", child=serializers.CharField())
    online_level = serializers.SerializerMethodField()
    online_mode = serializers.SerializerMethodField()
    processing_days = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False)
    processing_hours = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True, read_only=True
    )
    processing_time = serializers.CharField(source="processing_time_label", read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "code",
            "uuid",
            "name",
            "field",
            "field_name",
            "tier",
            "tiers",
            "online_level",
            "online_mode",
            "processing_days",
            "processing_hours",
            "processing_time",
        ]

    def get_tier(self, obj) -> str:
        """With `agency`, that agency's tier; otherwise the first tier the procedure is carried out at."""
        return getattr(obj, "offered_tier", None) or (obj.tier_list[0] if obj.tier_list else "")

    def get_online_level(self, obj) -> int:
        """With `agency`, the level at that agency (its exception or its tier template)."""
        return getattr(obj, "offered_level", None) or obj.online_level

    def get_online_mode(self, obj) -> str:
        return getattr(obj, "offered_mode", None) or obj.online_mode


class RequiredDocumentSerializer(serializers.ModelSerializer):
    form_file = serializers.SerializerMethodField()

    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "description", "originals", "copies", "mandatory", "form_file"]

    def get_form_file(self, obj) -> str | None:
        return obj.form_file.url if obj.form_file else None


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeRule
        fields = ["name", "kind", "amount", "max_amount", "free_units", "notes", "budget_chapter", "budget_subsection"]


class ProcedureDetailSerializer(ProcedureListSerializer):
    required_documents = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    result = serializers.CharField(source="result_description")
    applicant_types = serializers.ListField(source="applicant_type_list", child=serializers.CharField())
    agencies_offering = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "description",
            "processing_note",
            "legal_basis",
            "result",
            "conditions",
            "applicant_types",
            "form_schema",
            "source_url",
            "valid_from",
            "valid_to",
            "required_documents",
            "fees",
            "agencies_offering",
            "history",
        ]

    @extend_schema_field(RequiredDocumentSerializer(many=True))
    def get_required_documents(self, obj):
        """As recorded on `as_of` (selectors.procedure_as_of), else the current ones."""
        rows = getattr(obj, "documents_shown", None)
        return RequiredDocumentSerializer(obj.required_documents.all() if rows is None else rows, many=True).data

    @extend_schema_field(FeeSerializer(many=True))
    def get_fees(self, obj):
        rows = getattr(obj, "fees_shown", None)
        return FeeSerializer(obj.fees.all() if rows is None else rows, many=True).data

    def get_agencies_offering(self, obj) -> list[dict]:
        return self.context.get("agencies_offering", [])

    def get_history(self, obj) -> list[dict]:
        return self.context.get("history", [])


class ChangeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    procedure_code = serializers.CharField(max_length=30)
    payload = serializers.DictField(required=False, default=dict)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=500)
    signed_on = serializers.DateField()
    signer = serializers.CharField(max_length=200)
    effective_on = serializers.DateField()
    changes = ChangeInputSerializer(many=True, required=False, default=list)
    publish = serializers.BooleanField(required=False, default=False)


class CatalogChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogChange
        fields = ["kind", "procedure_code", "payload", "note"]


class DecisionSerializer(serializers.ModelSerializer):
    changes = CatalogChangeSerializer(many=True, read_only=True)

    class Meta:
        model = CatalogDecision
        fields = ["uuid", "number", "title", "signed_on", "signer", "effective_on", "status", "published_at", "changes"]


class ChangeRequestInputSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="Mã QCVN 102 của cơ quan đề nghị")
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    procedure_code = serializers.CharField(max_length=30)
    summary = serializers.CharField(max_length=500)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    payload = serializers.DictField(required=False, default=dict)


class ChangeRequestSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    decision = serializers.CharField(source="decision.number", default=None, allow_null=True)
    age_working_days = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    is_late = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = ChangeRequest
        fields = [
            "uuid",
            "agency",
            "kind",
            "procedure_code",
            "summary",
            "reason",
            "payload",
            "status",
            "submitted_at",
            "handled_at",
            "response",
            "decision",
            "age_working_days",
            "is_late",
        ]


class ApplyInputSerializer(serializers.Serializer):
    decision = serializers.UUIDField(help_text="UUID của quyết định công bố (dự thảo)")
    response = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInputSerializer(serializers.Serializer):
    response = serializers.CharField()


class OfferingExceptionSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")

    class Meta:
        model = Offering
        fields = [
            "procedure",
            "procedure_name",
            "agency",
            "agency_name",
            "online_level",
            "online_mode",
            "offered",
            "justification",
            "valid_from",
            "valid_to",
        ]

from rest_framework import serializers

from dichvucong.workflows.models import ActionKind, Process, ProcessScope, StepRole
from dichvucong.workflows.validation import fmt_decimal


class StepSerializer(serializers.Serializer):
    key = serializers.CharField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    duration_hours = serializers.SerializerMethodField()
    actions = serializers.ListField(child=serializers.CharField())
    is_start = serializers.BooleanField()

    def get_duration_hours(self, step) -> float:
        return float(step.duration_hours)


class ProcessSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    scope = serializers.CharField(source="scope_code")
    scope_kind = serializers.CharField(source="scope")
    scope_label = serializers.CharField()
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    owner_agency = serializers.CharField(source="owner_agency.code")
    total_hours = serializers.SerializerMethodField()
    legal_days = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = [
            "id",
            "procedure",
            "procedure_name",
            "name",
            "scope",
            "scope_kind",
            "scope_label",
            "tier",
            "agency",
            "owner_agency",
            "justification",
            "version",
            "status",
            "active_from",
            "retired_on",
            "decision_number",
            "decision_date",
            "decision_signer",
            "review_note",
            "total_hours",
            "legal_days",
            "steps",
        ]

    def get_steps(self, process) -> list[dict]:
        return StepSerializer(list(process.steps.all()), many=True).data

    def get_total_hours(self, process) -> float:
        return float(sum((s.duration_hours for s in process.steps.all()), 0))

    def get_legal_days(self, process) -> str:
        return fmt_decimal(process.procedure.processing_days)


class StepInputSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=40, required=False)
    name = serializers.CharField(max_length=300)
    role = serializers.CharField(allow_blank=True, required=False, default="", help_text=", ".join(StepRole.values))
    duration_hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    duration_days = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    actions = serializers.ListField(child=serializers.CharField(), help_text=", ".join(ActionKind.values))
    is_start = serializers.BooleanField(required=False, default=False)
    other_agency = serializers.CharField(required=False, allow_blank=True, default="")
    next = serializers.DictField(required=False, help_text="{action: step key | [step keys] | null}")


class ProcessCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField()
    owner_agency = serializers.CharField()
    scope = serializers.ChoiceField(choices=ProcessScope.values)
    agency = serializers.CharField(required=False, allow_blank=True, default="")
    tier = serializers.CharField(required=False, allow_blank=True, default="")
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    name = serializers.CharField(required=False, allow_blank=True, default="")
    steps = StepInputSerializer(many=True)


class StepsUpdateSerializer(serializers.Serializer):
    steps = StepInputSerializer(many=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApproveSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField()
    decision_signer = serializers.CharField(max_length=200)
    active_from = serializers.DateField()


class WorkItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    dossier = serializers.CharField(source="run.dossier.code")
    procedure = serializers.CharField(source="run.dossier.procedure.code")
    procedure_name = serializers.CharField(source="run.dossier.procedure.name")
    applicant = serializers.CharField(source="run.dossier.applicant_name")
    agency = serializers.CharField(source="agency.code")
    current_step = serializers.CharField(source="step.name")
    step_key = serializers.CharField(source="step.key")
    role = serializers.CharField()
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    started_at = serializers.DateTimeField()
    step_due = serializers.DateTimeField(source="due_at")
    dossier_due = serializers.DateTimeField(source="run.dossier.due_at")
    run_status = serializers.CharField(source="run.status")


class ConsultationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    dossier = serializers.CharField(source="run.dossier.code")
    procedure = serializers.CharField(source="run.dossier.procedure.code")
    from_agency = serializers.CharField(source="run.agency.code")
    agency = serializers.CharField(source="agency.code")
    step = serializers.CharField(source="step.name")
    question = serializers.CharField()
    requested_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    status = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField()
    timeliness = serializers.CharField()


class HandoverSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_step = serializers.CharField(source="from_step.name", default=None, allow_null=True)
    to_step = serializers.CharField(source="to_step.name", default=None, allow_null=True)
    from_user = serializers.CharField(source="from_user.display_name", default=None, allow_null=True)
    to_user = serializers.CharField(source="to_user.display_name", default=None, allow_null=True)
    from_agency = serializers.CharField(source="from_agency.code")
    to_agency = serializers.CharField(source="to_agency.code", default=None, allow_null=True)
    step_due_at = serializers.DateTimeField()
    timeliness = serializers.CharField()
    note = serializers.CharField()


class StepActionSerializer(serializers.Serializer):
    """The `action` of a step action; the rest of the body is checked by that action's serializer (registry)."""

    action = serializers.ChoiceField(choices=ActionKind.values)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class AssignSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    assignee = serializers.CharField()
